"""Who is in the school, and the list of classes a member of staff may see."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Role, SchoolClass, User


def visible_classes(user: User) -> list[SchoolClass]:
    """A teacher's own classes; every class of the school for coordinators and admins.

    Ended classes (last school year's, or closed by the admin) are not taught any more: they
    keep their history but drop out of this list.
    """
    query = (
        sa.select(SchoolClass)
        .where(SchoolClass.school_id == user.school_id, SchoolClass.ended_at.is_(None))
        .options(selectinload(SchoolClass.pupils), selectinload(SchoolClass.teachers))
        .order_by(SchoolClass.year, SchoolClass.name)
    )
    if user.role is Role.TEACHER:
        query = query.where(SchoolClass.teachers.any(User.id == user.id))
    return list(db.session.scalars(query))


def school_users(school_id: int, query: str = "", limit: int = 200) -> list[User]:
    """People in a school, matching a name or username when a query is given."""
    statement = sa.select(User).where(User.school_id == school_id)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(sa.func.lower(User.display_name).like(pattern), User.username.like(pattern))
        )
    return list(db.session.scalars(statement.order_by(User.role, User.display_name).limit(limit)))

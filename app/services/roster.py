"""Who is in the school and which classes a member of staff may see."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import Forbidden, NotFound

from app.extensions import db
from app.models import Role, SchoolClass, User


def visible_classes(user: User) -> list[SchoolClass]:
    """A teacher's own classes; every class of the school for coordinators and admins."""
    query = (
        sa.select(SchoolClass)
        .where(SchoolClass.school_id == user.school_id)
        .options(selectinload(SchoolClass.pupils), selectinload(SchoolClass.teachers))
        .order_by(SchoolClass.year, SchoolClass.name)
    )
    if user.role is Role.TEACHER:
        query = query.where(SchoolClass.teachers.any(User.id == user.id))
    return list(db.session.scalars(query))


def may_see_class(user: User, school_class: SchoolClass) -> bool:
    """Whether user may see this class: their own, or any in their school for senior roles."""
    if school_class.school_id != user.school_id:
        return False
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return True
    return user.role is Role.TEACHER and user in school_class.teachers


def school_users(school_id: int, query: str = "", limit: int = 200) -> list[User]:
    """People in a school, matching a name or username when a query is given."""
    statement = sa.select(User).where(User.school_id == school_id)
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(sa.func.lower(User.display_name).like(pattern), User.username.like(pattern))
        )
    return list(db.session.scalars(statement.order_by(User.role, User.display_name).limit(limit)))


def class_in_school(user: User, class_id: int) -> SchoolClass | None:
    """A class of the user's own school by id; another school's class is as good as missing."""
    found = db.session.get(SchoolClass, class_id)
    return found if found is not None and found.school_id == user.school_id else None


def class_for_staff(user: User, class_id: int) -> SchoolClass:
    """A class user may see: NotFound if missing or another school's, Forbidden if a colleague's."""
    found = class_in_school(user, class_id)
    if found is None:
        raise NotFound()
    if not may_see_class(user, found):
        raise Forbidden()
    return found

"""Which schools a coordinator may see: their own, or every school of their trust if trust-wide."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Role, School, SchoolClass, User


def visible_schools(user: User) -> list[School]:
    """The schools whose figures this user may see, their own first; none for non-coordinators."""
    if user.role is not Role.COORDINATOR:
        return []
    if not (user.trust_wide and user.school.trust_id is not None):
        return [user.school]
    others = db.session.scalars(
        sa.select(School)
        .where(School.trust_id == user.school.trust_id, School.id != user.school_id)
        .order_by(School.name)
    ).all()
    return [user.school, *others]


def school_for(user: User, school_id: int | None) -> School | None:
    """The school asked for (own school when None), or None when this user may not see it."""
    if school_id is None:
        return user.school if user.role is Role.COORDINATOR else None
    return next((s for s in visible_schools(user) if s.id == school_id), None)


def sees_trust(user: User) -> bool:
    """Whether the user may see trust totals: a trust-wide coordinator of a school in a trust."""
    return len(visible_schools(user)) > 1 or bool(
        user.role is Role.COORDINATOR and user.trust_wide and user.school.trust_id
    )


def class_for(user: User, class_id: int) -> SchoolClass | None:
    """A class in a school this user may see, or None (the view answers 404)."""
    row = db.session.get(SchoolClass, class_id)
    if row is None or school_for(user, row.school_id) is None:
        return None
    return row

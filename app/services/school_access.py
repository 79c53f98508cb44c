"""Which schools, classes and children a user may reach: one place fetches what a URL names.

Every fetcher raises app.errors.NotFound (missing, or in a school the user may not see) or
Forbidden (in their school, but not theirs); the app answers 404 or 403.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.errors import Forbidden, NotFound
from app.extensions import db
from app.models import Role, School, SchoolClass, User
from app.services.family import children_of


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


def _visible_school(user: User, school_id: int | None) -> School | None:
    """The school asked for (own school when None), or None when this user may not see it."""
    if school_id is None:
        return user.school if user.role is Role.COORDINATOR else None
    return next((s for s in visible_schools(user) if s.id == school_id), None)


def school_for(user: User, school_id: int | None) -> School:
    """The school a coordinator asked for (their own when None); NotFound if not theirs to see."""
    found = _visible_school(user, school_id)
    if found is None:
        raise NotFound()
    return found


def sees_trust(user: User) -> bool:
    """Whether the user may see trust totals: a trust-wide coordinator of a school in a trust."""
    return len(visible_schools(user)) > 1 or bool(
        user.role is Role.COORDINATOR and user.trust_wide and user.school.trust_id
    )


def class_for_coordinator(user: User, class_id: int) -> SchoolClass:
    """A class in a school this coordinator may see (their trust's if trust-wide), else NotFound."""
    found = db.session.get(SchoolClass, class_id)
    if found is None or _visible_school(user, found.school_id) is None:
        raise NotFound()
    return found


def may_see_class(user: User, school_class: SchoolClass) -> bool:
    """Whether user may see this class: their own, or any in their school for senior roles."""
    if school_class.school_id != user.school_id:
        return False
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return True
    return user.role is Role.TEACHER and user in school_class.teachers


def class_for_staff(user: User, class_id: int) -> SchoolClass:
    """A class user may see: NotFound if missing or another school's, Forbidden if a colleague's."""
    found = db.session.get(SchoolClass, class_id)
    if found is None or found.school_id != user.school_id:
        raise NotFound()
    if not may_see_class(user, found):
        raise Forbidden()
    return found


def child_for(parent: User, child_id: int) -> User:
    """The child when this parent is linked to them in the same school, else NotFound.

    The one access check for every parent page about a child: any other id (a classmate,
    a pupil of another school, a member of staff, no one) is not found.
    """
    if parent.role is Role.PARENT:
        for child in children_of(parent):
            if child.id == child_id:
                return child
    raise NotFound()


def user_in_school(user: User, user_id: int) -> User:
    """Anyone in user's own school by id; another school's person is as good as missing."""
    found = db.session.get(User, user_id)
    if found is None or found.school_id != user.school_id:
        raise NotFound()
    return found

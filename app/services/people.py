"""Resetting how people sign in: who may, and giving new temporary passwords or pictures.

A teacher resets the pupils of the live classes they teach (coordinators any class's pupils,
as they see every class); the admin anyone else in their school. A reset sets a new temporary
password (the person chooses their own at next sign-in) or, for a pupil, three new pictures,
and ends the person's open sessions. The secrets are shown once, on the page or card that the
reset prints, and only their slow hashes are stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import LoginSession, Role, SchoolClass, User, utcnow
from app.services import passwords
from app.services.usernames import new_username

KINDS = ("password", "pictures")


@dataclass
class Secret:
    """What one person was given, to print once: a temporary password or pictures."""

    person: User
    password: str | None = None
    pictures: list[str] = field(default_factory=list)


def may_print_cards(staff: User, school_class: SchoolClass) -> bool:
    """Whether staff may give a live class's pupils new sign-in details: its teachers, and the
    coordinators and admin, who see every class of the school."""
    if school_class.school_id != staff.school_id or school_class.ended_at is not None:
        return False
    return staff.role in (Role.ADMIN, Role.COORDINATOR) or (
        staff.is_staff and staff in school_class.teachers
    )


def may_reset(staff: User, person: User) -> bool:
    """Whether staff may reset person: the admin anyone else in the school, other staff a pupil
    of a live class whose cards they may print. Nobody resets themselves (they change their own
    password)."""
    if person.school_id != staff.school_id or person.id == staff.id or not person.active:
        return False
    if staff.role is Role.ADMIN:
        return True
    return person.role is Role.PUPIL and any(may_print_cards(staff, c) for c in person.classes)


def kinds_for(person: User) -> tuple[str, ...]:
    """What can be reset for a person: pupils a password or pictures, everyone else a password."""
    return KINDS if person.role is Role.PUPIL else ("password",)


def default_kind(person: User) -> str:
    """Pictures for Reception and Key Stage 1, a password for everyone else."""
    return "pictures" if passwords.uses_pictures(person) else "password"


def needs_details(pupil: User) -> bool:
    """Whether a pupil has nothing to sign in with yet (an imported pupil): their card is due."""
    if passwords.uses_pictures(pupil):
        return pupil.picture_hash is None
    return pupil.password_hash is None


def reset(person: User, kind: str) -> Secret:
    """Give person a new temporary password or new pictures, ending their sessions; no commit.

    The caller records the reset in the security log and commits both together.
    """
    if kind not in kinds_for(person):
        raise ValueError(f"{person.role} cannot be given {kind!r}")
    if kind == "pictures":
        secret = Secret(person, pictures=passwords.give_new_pictures(person))
    else:
        secret = Secret(person, password=passwords.give_temporary_password(person))
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == person.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason="password_reset")
    )
    return secret


def card_pupils(school_class: SchoolClass) -> list[User]:
    """The pupils on roll in a class, by name: the people its sign-in cards are for."""
    return [p for p in school_class.pupils if p.role is Role.PUPIL and p.active]


# ---- People and classes by hand (the admin's pages) ----

STAFF_CHOICES = (Role.TEACHER, Role.COORDINATOR, Role.ADMIN)
NEW_PERSON_ROLES = (Role.PUPIL, Role.PARENT, *STAFF_CHOICES)


def add_person(school_id: int, role: Role, given: str, family: str, year: int | None) -> User:
    """A new person with a username made from their name (no password yet); no commit."""
    person = User(
        school_id=school_id,
        role=role,
        username=new_username(given, family, role),
        display_name=f"{given} {family}".strip()[:120],
        year=year if role is Role.PUPIL else None,
    )
    db.session.add(person)
    db.session.flush()
    return person


def mark_left(person: User) -> None:
    """They have left: they cannot sign in, their sessions end, every record is kept; no commit."""
    person.active = False
    person.left_at = utcnow()
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == person.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason="left_school")
    )


def mark_returned(person: User) -> None:
    """A leaver who has come back: they can sign in again, with all their history; no commit."""
    person.active = True
    person.left_at = None


def in_school(school_id: int, username: str, role: Role) -> User | None:
    """The person of this school with this username and role, or None."""
    return db.session.scalar(
        sa.select(User).where(
            User.school_id == school_id,
            User.username == username.strip().lower(),
            User.role == role,
        )
    )


def school_classes(school_id: int) -> list[SchoolClass]:
    """Every class of a school, live ones first, then by year group and name.

    With their teachers and pupils loaded in two more queries (the page lists both), not two
    per class: benchmarks/queries.py found the page's statements growing with its classes.
    """
    return list(
        db.session.scalars(
            sa.select(SchoolClass)
            .where(SchoolClass.school_id == school_id)
            .order_by(SchoolClass.ended_at.isnot(None), SchoolClass.year, SchoolClass.name)
            .options(selectinload(SchoolClass.teachers), selectinload(SchoolClass.pupils))
        )
    )


def class_name_taken(school_id: int, name: str, except_id: int | None = None) -> bool:
    """Whether another class of the school already has this name (names are unique in a school)."""
    query = sa.select(SchoolClass.id).where(
        SchoolClass.school_id == school_id, sa.func.lower(SchoolClass.name) == name.lower()
    )
    if except_id is not None:
        query = query.where(SchoolClass.id != except_id)
    return db.session.scalar(query) is not None


def staff_of(school_id: int) -> list[User]:
    """The school's staff on roll, by name."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.school_id == school_id,
                User.role.in_(STAFF_CHOICES),
                User.active.is_(True),
            )
            .order_by(User.display_name)
        )
    )


def pupils_for_class(school_class: SchoolClass) -> list[User]:
    """Pupils who could be in a class: those on roll in its year group, and its members."""
    found = db.session.scalars(
        sa.select(User)
        .where(
            User.school_id == school_class.school_id,
            User.role == Role.PUPIL,
            User.active.is_(True),
            User.year == school_class.year,
        )
        .order_by(User.display_name)
    )
    return sorted({*found, *card_pupils(school_class)}, key=lambda p: (p.display_name, p.id))

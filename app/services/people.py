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

from app.extensions import db
from app.models import LoginSession, Role, SchoolClass, User, utcnow
from app.services import passwords

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

"""Plain factory functions for test data: a school, classes and people."""

from __future__ import annotations

import itertools

from app.extensions import db
from app.models import Role, School, SchoolClass, User
from app.services.auth import hash_secret, picture_key

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def school(name: str | None = None, **fields) -> School:
    """A school."""
    row = School(name=name or f"School {next(_numbers)}", **fields)
    db.session.add(row)
    db.session.flush()
    return row


def school_class(in_school: School, name: str, year: int, **fields) -> SchoolClass:
    """A class in a year group."""
    row = SchoolClass(school=in_school, name=name, year=year, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def user(
    in_school: School,
    role: Role = Role.PUPIL,
    *,
    username: str | None = None,
    year: int | None = None,
    password: str | None = PASSWORD,
    pictures: list[str] | None = None,
    **fields,
) -> User:
    """A user who can sign in with PASSWORD (and pictures, if given)."""
    if role is Role.PUPIL and year is None:
        year = 4
    row = User(
        school=in_school,
        role=role,
        username=username or f"{role.value}{next(_numbers)}",
        display_name=fields.pop("display_name", (username or role.value).title()),
        year=year,
        password_hash=hash_secret(password) if password else None,
        picture_hash=hash_secret(picture_key(pictures)) if pictures else None,
        **fields,
    )
    db.session.add(row)
    db.session.flush()
    return row

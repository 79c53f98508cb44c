"""Usernames: made once from a person's name, unique, and kept when their name changes.

A username is what a pupil types at sign-in, so it is short, lower case and plain ASCII: a
pupil's first name and the first letter of their surname ("amyj"), a member of staff's or
parent's initial and surname ("jhughes"). When that is taken, the lowest free number follows
("amyj2"). Usernames are unique across the whole installation (sign-in asks for no school) and
are never changed by a roster import, so a child renamed in the MIS keeps signing in as before.
A person who has left keeps theirs, so it is never given to someone else.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa

from app.extensions import db
from app.models import Role, User

MAX_STEM = 20
"""Letters kept from a name before any number, so usernames stay easy to type."""


def _ascii_letters(text: str) -> str:
    """Lower-case a-z only: accents dropped (Siân -> sian), everything else removed."""
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z]", "", decomposed.encode("ascii", "ignore").decode().lower())


def stem(given: str, family: str, role: Role) -> str:
    """The name part: given name and surname initial for pupils, else initial and surname."""
    given_letters, family_letters = _ascii_letters(given), _ascii_letters(family)
    if role is Role.PUPIL:
        name = given_letters + family_letters[:1]
    else:
        name = given_letters[:1] + family_letters
    return (name or "user")[:MAX_STEM]


def new_username(given: str, family: str, role: Role, taken: set[str] | None = None) -> str:
    """A username no one has (in the database or in taken, which it then includes).

    taken lets a bulk import make thousands of usernames with one query: load every username
    once (`all_usernames()`) and pass the same set to each call.
    """
    base = stem(given, family, role)
    if taken is None:
        taken = all_usernames(prefix=base)
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate


def all_usernames(prefix: str = "") -> set[str]:
    """Every username in use (or only those starting with prefix), lower case."""
    query = sa.select(User.username)
    if prefix:
        query = query.where(User.username.startswith(prefix, autoescape=True))
    return {name.lower() for name in db.session.scalars(query)}

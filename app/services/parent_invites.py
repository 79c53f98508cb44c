"""Parent letters: a one-time code per child with which a parent makes their own account.

The code is twelve characters from the class-code alphabet (no 0/O, 1/I/L and the like), shown
as three groups of four: 23^12, about 2^54 codes, so a guess is hopeless even before the redeem
page's rate limit. Only its SHA-256 is stored (a random code needs no slow hash, like a session
token). A code works once, for 30 days, and only while its child is on roll.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import ParentInvite, Role, User
from app.services import auth
from app.services.usernames import new_username

CODE_LENGTH = 12
GROUP = 4
LIFETIME = timedelta(days=30)


def _hash(code: str) -> str:
    """What is stored for a code: the SHA-256 of its cleaned form."""
    return hashlib.sha256(clean(code).encode()).hexdigest()


def clean(code: str) -> str:
    """A code as typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in code.upper() if ch not in " -\t")


def shown(code: str) -> str:
    """A code as printed: groups of four joined by dashes."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def create(child: User, by: User | None, now: datetime) -> tuple[ParentInvite, str]:
    """A new letter code for a child (no commit); returns the row and the code to print."""
    if child.role is not Role.PUPIL:
        raise ValueError("parent letters are for pupils")
    code = "".join(secrets.choice(auth.CODE_ALPHABET) for _ in range(CODE_LENGTH))
    invite = ParentInvite(
        school_id=child.school_id,
        child_id=child.id,
        code_hash=_hash(code),
        created_by_id=by.id if by else None,
        created_at=now,
        expires_at=now + LIFETIME,
    )
    db.session.add(invite)
    return invite, shown(code)


def find(code: str, now: datetime) -> ParentInvite | None:
    """The unused, unexpired letter with this code whose child is still on roll, or None."""
    if len(clean(code)) != CODE_LENGTH:
        return None
    invite = db.session.scalar(sa.select(ParentInvite).where(ParentInvite.code_hash == _hash(code)))
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        return None
    return invite if invite.child.active else None


def redeem(invite: ParentInvite, given: str, family: str, password: str, now: datetime) -> User:
    """Make the parent's account (their own password) linked to the child; no commit."""
    child = invite.child
    parent = User(
        school_id=child.school_id,
        role=Role.PARENT,
        username=new_username(given, family, Role.PARENT),
        display_name=f"{given} {family}".strip()[:120],
        password_hash=auth.hash_secret(password),
        must_change_password=False,
    )
    db.session.add(parent)
    parent.children.append(child)
    db.session.flush()
    invite.used_at = now
    invite.used_by_id = parent.id
    return parent


def link_existing(invite: ParentInvite, parent: User, now: datetime) -> None:
    """Link a signed-in parent of the same school to the letter's child; no commit."""
    if parent.role is not Role.PARENT or parent.school_id != invite.school_id:
        raise ValueError("only a parent of the child's school can use this letter")
    if invite.child not in parent.children:
        parent.children.append(invite.child)
    invite.used_at = now
    invite.used_by_id = parent.id

"""Passwords, picture passwords and server-side sign-in sessions."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from app.database import begin_write, forget_saved
from app.extensions import db
from app.models import LoginSession, Role, User, utcnow

PICTURES: tuple[str, ...] = ("cat", "dog", "fish", "star", "sun", "tree", "apple", "boat", "car")
PICTURE_LENGTH = 3
MIN_PASSWORD_LENGTH = 10


def hash_secret(secret: str) -> str:
    """Hash a password with the slow hash set in config (scrypt by default)."""
    return generate_password_hash(secret, method=current_app.config["LANTERN_PASSWORD_METHOD"])


@cache
def _dummy_hash(method: str) -> str:
    """A hash to check against when the user is unknown, so both cases take as long."""
    return generate_password_hash(secrets.token_hex(8), method=method)


def _check(stored: str | None, secret: str) -> bool:
    """Check a secret against a stored hash, spending the same time when there is none."""
    if stored is None:
        check_password_hash(_dummy_hash(current_app.config["LANTERN_PASSWORD_METHOD"]), secret)
        return False
    return check_password_hash(stored, secret)


def authenticate(username: str, password: str) -> User | None:
    """The active user with this username and password, or None (whichever part was wrong)."""
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    ok = _check(user.password_hash if user else None, password)
    return user if ok and user.active else None


def picture_key(pictures: list[str]) -> str:
    """The secret a picture sequence stands for."""
    return "-".join(pictures)


def authenticate_pictures(pupil: User, pictures: list[str]) -> bool:
    """Whether the pictures are this pupil's picture password."""
    return pupil.active and _check(pupil.picture_hash, picture_key(pictures))


# Letters and digits a five-year-old can copy from the board without mixing them up: no 0/O,
# 1/I/L, 2/Z, 5/S, 6/G or 8/B. Six of them are 148 million codes, shown as two groups of three.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
CODE_LENGTH = 6


def sign_in_open(school_class, now: datetime) -> bool:
    """Whether the class's teacher has picture sign-in open (a code that has not expired)."""
    expires = school_class.sign_in_code_expires_at
    return bool(school_class.sign_in_code) and expires is not None and now < expires


def open_picture_sign_in(school_class, now: datetime) -> str:
    """Give the class a fresh sign-in code for the configured time; any earlier code stops."""
    from app.models import SchoolClass

    begin_write()
    taken = True
    while taken:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = db.session.scalar(sa.select(SchoolClass.id).where(SchoolClass.sign_in_code == code))
    minutes = current_app.config["LANTERN_PICTURE_CODE_MINUTES"]
    school_class.sign_in_code = code
    school_class.sign_in_code_expires_at = now + timedelta(minutes=minutes)
    db.session.commit()
    return code


def end_picture_sign_in(school_class) -> None:
    """Close picture sign-in for the class: its code stops working at once."""
    begin_write()
    school_class.sign_in_code = None
    school_class.sign_in_code_expires_at = None
    db.session.commit()


def class_by_code(code: str, now: datetime):
    """The class whose open sign-in code this is (case and spaces ignored), or None."""
    from app.models import SchoolClass

    cleaned = "".join(code.split()).upper()
    if not cleaned:
        return None
    return db.session.scalar(
        sa.select(SchoolClass).where(
            SchoolClass.sign_in_code == cleaned, SchoolClass.sign_in_code_expires_at > now
        )
    )


def picture_pupils(school_class) -> list[User]:
    """Pupils of a class who can sign in with pictures."""
    return [p for p in school_class.pupils if p.picture_hash and p.active and p.role is Role.PUPIL]


def _token_hash(token: str) -> str:
    """What is stored for a session token: its SHA-256, so a database leak opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> tuple[str, LoginSession]:
    """Open a server-side session for user; returns the token for the cookie and the record."""
    token = secrets.token_urlsafe(32)
    begin_write()
    record = LoginSession(user_id=user.id, token_hash=_token_hash(token))
    db.session.add(record)
    db.session.commit()
    return token, record


def find_session(token: str | None) -> LoginSession | None:
    """The open session for a cookie's token, or None."""
    if not token:
        return None
    return db.session.scalar(
        sa.select(LoginSession)
        .options(joinedload(LoginSession.user).joinedload(User.school))  # one query per page
        .where(LoginSession.token_hash == _token_hash(token), LoginSession.ended_at.is_(None))
    )


def idle_limit(user: User) -> timedelta:
    """How long a session may sit unused: 10 minutes for staff (policy 000)."""
    key = "LANTERN_STAFF_IDLE_MINUTES" if user.is_staff else "LANTERN_PUPIL_IDLE_MINUTES"
    return timedelta(minutes=current_app.config[key])


def is_idle(record: LoginSession, now: datetime) -> bool:
    """Whether the session has been unused for longer than its user's idle limit."""
    return now - record.last_seen_at > idle_limit(record.user)


def max_age(user: User) -> timedelta:
    """How long any one sign-in may last, however busy: a school day or a working day."""
    key = "LANTERN_STAFF_MAX_HOURS" if user.is_staff else "LANTERN_PUPIL_MAX_HOURS"
    return timedelta(hours=current_app.config[key])


def is_too_old(record: LoginSession, now: datetime) -> bool:
    """Whether the session began longer ago than its user's maximum age."""
    return now - record.created_at > max_age(record.user)


def touch(record: LoginSession, now: datetime) -> None:
    """Note activity, at most once per LANTERN_LAST_SEEN_SECONDS so reading pages stays cheap.

    Written through the request's own session under the write lock (see app.database): a write
    through another connection would make this request's own later write fail on SQLite.
    """
    interval = timedelta(seconds=current_app.config["LANTERN_LAST_SEEN_SECONDS"])
    if now - record.last_seen_at < interval:
        return
    record_id = record.id
    begin_write()
    db.session.execute(
        sa.update(LoginSession).where(LoginSession.id == record_id).values(last_seen_at=now)
    )
    db.session.commit()
    forget_saved()  # housekeeping, not something the person did


def end_session(record_id: int, reason: str) -> None:
    """End one session on the server; its cookie is refused from now on."""
    _end(LoginSession.id == record_id, reason)


def end_all_sessions(user_id: int, reason: str = "ended_by_admin") -> int:
    """End every open session of a user; returns how many were open."""
    return _end(LoginSession.user_id == user_id, reason)


def end_other_sessions(user_id: int, keep_id: int, reason: str) -> int:
    """End every open session of a user except one (this browser's); returns how many."""
    return _end(sa.and_(LoginSession.user_id == user_id, LoginSession.id != keep_id), reason)


def _end(condition, reason: str) -> int:
    """Mark matching open sessions ended, under the write lock, and commit."""
    begin_write()
    result = db.session.execute(
        sa.update(LoginSession)
        .where(condition, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason=reason)
    )
    db.session.commit()
    return result.rowcount


def set_password(user: User, password: str) -> None:
    """Give a user their own password and drop the temporary-password flag."""
    user.password_hash = hash_secret(password)
    user.must_change_password = False
    db.session.commit()

"""Staff MFA: authenticator (TOTP) codes after the password, and one-time recovery codes.

Coordinators (the DSL among them, and trust leads) and admins reach safeguarding records and
every child's data, so they always set up an authenticator app; teachers do when their school
asks (School.mfa_for_teachers). LANTERN_MFA_REQUIRED=0 lifts the requirement for a demo or a
development machine, never in production; someone who has set a code up is asked for it anyway.

The TOTP secret is encrypted with a key derived from SECRET_KEY, so a copy of the database alone
does not give the codes away (a new SECRET_KEY means every user sets their app up again, after
an admin's reset). Recovery codes are stored with the slow password hash and work once each.
"""

from __future__ import annotations

import base64
import hmac
import io
import secrets
import time

import pyotp
import segno
import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

from app.database import begin_write
from app.extensions import db
from app.models import LoginSession, MfaRecoveryCode, Role, User, utcnow
from app.services import audit
from app.services.auth import _check, end_all_sessions, hash_secret

ISSUER = "Lantern"
STEP_SECONDS = 30
DRIFT_STEPS = 1  # the previous and the next 30 seconds too: a phone's clock is often a bit off
RECOVERY_CODES = 10
# Recovery codes: two groups of five from letters and digits that are hard to mix up.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def required(user: User) -> bool:
    """Whether the user must set up an authenticator app (see the module's docstring)."""
    if not current_app.config.get("LANTERN_MFA_REQUIRED", True):
        return False
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return True
    return user.role is Role.TEACHER and bool(user.school.mfa_for_teachers)


def is_set_up(user: User) -> bool:
    """Whether the user has confirmed an authenticator app."""
    return user.mfa_enabled_at is not None and user.mfa_secret is not None


def needed(user: User) -> bool:
    """Whether a sign-in of this user needs a code (or setting one up) before it counts."""
    return is_set_up(user) or required(user)


def _fernet() -> Fernet:
    """The cipher for TOTP secrets, keyed from SECRET_KEY (HKDF, for this purpose only)."""
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"lantern mfa totp secret"
    ).derive(str(current_app.config["SECRET_KEY"]).encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _secret(user: User) -> str | None:
    """The user's TOTP secret in clear, or None (none, or SECRET_KEY has changed since)."""
    if not user.mfa_secret:
        return None
    try:
        return _fernet().decrypt(user.mfa_secret.encode()).decode()
    except InvalidToken:
        return None


def pending_secret(user: User) -> str:
    """The secret being set up: kept until confirmed, so reloading shows the same QR code."""
    secret = _secret(user)
    if secret is None or is_set_up(user):
        begin_write()
        secret = pyotp.random_base32()
        user.mfa_secret = _fernet().encrypt(secret.encode()).decode()
        user.mfa_enabled_at = None
        user.mfa_last_step = None
        db.session.commit()
    return secret


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(user: User, secret: str) -> str:
    """An SVG QR code of the otpauth:// address, as a data: URI for an <img> (the CSP allows)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _clean(code: str) -> str:
    """What was typed, without spaces or dashes, lower case."""
    return "".join(ch for ch in code if ch not in " -\t").lower()


def _matching_step(secret: str, code: str, now: float) -> int | None:
    """The time step (this one, the one before or after) whose code this is, or None."""
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def _use_step(user: User, secret: str, code: str, now: float) -> bool:
    """Accept a TOTP code once: a code of a step already used (or older) is refused.

    One conditional UPDATE, so two requests racing with the same code cannot both succeed.
    """
    step = _matching_step(secret, code, now)
    if step is None:
        return False
    begin_write()
    result = db.session.execute(
        sa.update(User)
        .where(User.id == user.id)
        .where(sa.or_(User.mfa_last_step.is_(None), User.mfa_last_step < step))
        .values(mfa_last_step=step)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(user, ["mfa_last_step"])
    return result.rowcount == 1


def confirm(
    user: User, code: str, now: float | None = None, address: str | None = None
) -> list[str] | None:
    """Finish setting up with a first code: returns the ten recovery codes (shown once), or None."""
    secret = _secret(user)
    if secret is None or is_set_up(user):
        return None
    if not _use_step(user, secret, _clean(code), time.time() if now is None else now):
        return None
    codes = [_recovery_code() for _ in range(RECOVERY_CODES)]
    begin_write()
    db.session.execute(sa.delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    db.session.add_all(MfaRecoveryCode(user_id=user.id, code_hash=hash_secret(c)) for c in codes)
    user.mfa_enabled_at = utcnow()
    audit.record(
        audit.Event.MFA_SET_UP, user.school_id, actor_id=user.id, subject_id=user.id,
        address=address,
    )  # fmt: skip
    db.session.commit()
    return codes


def _recovery_code() -> str:
    """A fresh recovery code: two groups of five characters."""
    chars = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def verify(user: User, code: str, now: float | None = None) -> str | None:
    """Check a sign-in code: "totp" or "recovery" for what worked, or None.

    Digits are an authenticator code; anything else is tried as an unused recovery code, which
    is then used up (even when the secret cannot be read after a change of SECRET_KEY).
    """
    if not is_set_up(user):
        return None
    cleaned, now = _clean(code), time.time() if now is None else now
    if cleaned.isdigit():
        secret = _secret(user)  # None after SECRET_KEY changed: recovery codes still work
        return "totp" if secret and _use_step(user, secret, cleaned, now) else None
    if len(cleaned) != 10:
        _check(None, cleaned)  # as slow as a wrong code, so the length is no shortcut
        return None
    typed = f"{cleaned[:5]}-{cleaned[5:]}"
    unused = db.session.scalars(
        sa.select(MfaRecoveryCode).where(
            MfaRecoveryCode.user_id == user.id, MfaRecoveryCode.used_at.is_(None)
        )
    ).all()
    for row in unused:
        if _check(row.code_hash, typed):
            begin_write()
            result = db.session.execute(  # conditional: a code raced twice is used once
                sa.update(MfaRecoveryCode)
                .where(MfaRecoveryCode.id == row.id, MfaRecoveryCode.used_at.is_(None))
                .values(used_at=utcnow())
                .execution_options(synchronize_session=False)
            )
            db.session.commit()
            return "recovery" if result.rowcount == 1 else None
    return None


def recovery_codes_left(user: User) -> int:
    """How many of the user's recovery codes are still unused."""
    return db.session.scalar(
        sa.select(sa.func.count(MfaRecoveryCode.id)).where(
            MfaRecoveryCode.user_id == user.id, MfaRecoveryCode.used_at.is_(None)
        )
    )


def passed(login_session_id: int) -> None:
    """Note that this sign-in's code was accepted: from now on it counts as signed in."""
    begin_write()
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.id == login_session_id)
        .values(second_factor_at=utcnow())
    )
    db.session.commit()


def reset(user: User, by: User | None = None, address: str | None = None) -> int:
    """Forget a user's authenticator and recovery codes and sign them out everywhere: they set a
    new app up at their next sign-in. Returns how many sessions were ended. by is the admin (None
    from the command line); the security log keeps who reset whom."""
    begin_write()
    user.mfa_secret = None
    user.mfa_enabled_at = None
    user.mfa_last_step = None
    db.session.execute(sa.delete(MfaRecoveryCode).where(MfaRecoveryCode.user_id == user.id))
    audit.record(
        audit.Event.MFA_RESET, user.school_id, actor_id=by.id if by else None,
        subject_id=user.id, detail={"method": "admin" if by else "command_line"}, address=address,
    )  # fmt: skip
    db.session.commit()
    return end_all_sessions(user.id, "mfa_reset")

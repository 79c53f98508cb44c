"""Flask-Login glue: a user is loaded only through an open server-side session."""

from __future__ import annotations

from flask import flash, g, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_url, login_user, logout_user

from app import auditing
from app.extensions import login_manager
from app.htmx import is_background, redirect_to
from app.models import User, utcnow
from app.services import audit, auth, mfa

KEEP_ON_SIGN_IN = ("lang",)
ALWAYS_OPEN = frozenset(
    {
        *("static", "auth.logout", "public.language", "public.health"),
        *("privacy.index", "privacy.show"),
    }
)
SECOND_FACTOR_PAGES = frozenset({"auth.mfa_setup", "auth.mfa_kept", "auth.mfa_code"})
OPEN_BEFORE_OWN_PASSWORD = ALWAYS_OPEN | SECOND_FACTOR_PAGES | {"auth.change_password"}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user of this browser's open session; ends it if too old or idle too long.

    A background request (the class grid reloading itself, see app.htmx.is_background) is not
    activity: it neither keeps the session from the idle sign-out nor moves last_seen_at on.
    """
    record = auth.find_session(session.get("sid"))
    if record is None or str(record.user_id) != user_id or not record.user.active:
        return None
    now = utcnow()
    if auth.is_too_old(record, now):
        auth.end_session(record.id, "max_age")
        _note_ended(record.user, "max_age")
        hours = int(auth.max_age(record.user).total_seconds() // 3600)
        _clear_session()
        flash(
            _("You were signed out because you had been signed in for %(n)s hours.", n=hours),
            "info",
        )
        return None
    if auth.is_idle(record, now):
        auth.end_session(record.id, "idle")
        _note_ended(record.user, "idle")
        minutes = int(auth.idle_limit(record.user).total_seconds() // 60)
        _clear_session()
        flash(_("You were signed out after %(n)s minutes without activity.", n=minutes), "info")
        return None
    if not is_background():
        auth.touch(record, now)
    g.login_session_id = record.id
    g.second_factor_done = record.second_factor_at is not None
    return record.user


@login_manager.unauthorized_handler
def send_to_sign_in():
    """Send someone not signed in to sign in; an htmx swap (the grid's reload) gets a full page.

    A board in present mode gets its lock screen instead, so the class never sees a sign-in.
    """
    if request.blueprint == "present" and request.method == "GET":
        return redirect_to(url_for("auth.board_locked", next=request.full_path), code=302)
    return redirect_to(login_url(login_manager.login_view, next_url=request.url), code=302)


def _note_ended(user: User, reason: str) -> None:
    """Record a session the server ended (idle, too old) as a sign-out."""
    audit.write(
        audit.Event.SIGN_OUT,
        user.school_id,
        subject_id=user.id,
        detail={"reason": reason},
        address=request.remote_addr,
    )


def sign_in(user: User, method: str) -> None:
    """Start a fresh server-side session for user in this browser, and record it."""
    token, record = auth.start_session(user)
    audit.write(
        audit.Event.SIGN_IN,
        user.school_id,
        actor_id=user.id,
        subject_id=user.id,
        detail={"method": method},
        address=request.remote_addr,
    )
    _clear_session()
    login_user(user)
    session["sid"] = token
    session.permanent = True
    g.login_session_id = record.id
    g.second_factor_done = False


def sign_out(reason: str = "signed_out") -> None:
    """End this browser's session on the server, record it, and forget it here."""
    if g.get("login_session_id"):
        auth.end_session(g.login_session_id, reason)
        auditing.note(
            audit.Event.SIGN_OUT,
            current_user.school_id,
            subject_id=current_user.id,
            detail={"reason": reason},
        )
    logout_user()
    _clear_session()


def _clear_session() -> None:
    """Empty the cookie session, keeping only the chosen language."""
    kept = {key: session[key] for key in KEEP_ON_SIGN_IN if key in session}
    session.clear()
    session.update(kept)


def require_second_factor():
    """Staff who need MFA reach nothing but setting it up, or typing a code, until it is done.

    Runs before every other gate: until then the sign-in does not count (no AUP, no page).
    """
    if not current_user.is_authenticated or g.get("second_factor_done"):
        return None
    if request.endpoint in ALWAYS_OPEN or request.endpoint in SECOND_FACTOR_PAGES:
        return None
    if not mfa.needed(current_user):
        return None
    page = "auth.mfa_code" if mfa.is_set_up(current_user) else "auth.mfa_setup"
    return redirect_to(url_for(page))


def require_own_password():
    """Staff with a temporary password must choose their own before anything else (000)."""
    if not current_user.is_authenticated or not current_user.must_change_password:
        return None
    if request.endpoint in OPEN_BEFORE_OWN_PASSWORD:
        return None
    return redirect_to(url_for("auth.change_password"))

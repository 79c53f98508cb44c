"""Sign-in with a password, sign-out and the first-logon password change."""

from __future__ import annotations

from flask import flash, g, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app import auditing
from app.access import SIGNED_IN, allow, open_before_aup, open_to_all, safe_next
from app.auth import bp
from app.auth.forms import LoginForm, NewPasswordForm
from app.auth.limits import (
    PER_ACCOUNT,
    PER_ACCOUNT_AND_ADDRESS,
    PER_ACCOUNT_ANYWHERE,
    PER_ADDRESS,
    failures_only,
)
from app.auth.sessions import require_own_password, require_second_factor, sign_in, sign_out
from app.htmx import redirect_to
from app.services import audit, auth

bp.before_app_request(require_second_factor)  # first: until then, the sign-in does not count
bp.before_app_request(require_own_password)


def username_key() -> str:
    """Rate-limit key for one account."""
    return "user:" + request.form.get("username", "").strip().lower()[:80]


def username_address_key() -> str:
    """Rate-limit key for one account from one address (see app/auth/limits.py)."""
    return f"{username_key()}@{get_remote_address()}"


@bp.route("/sign-in", methods=["GET", "POST"])
@open_to_all
@failures_only(PER_ADDRESS)
@failures_only(PER_ACCOUNT_AND_ADDRESS, username_address_key)
@failures_only(PER_ACCOUNT_ANYWHERE, username_key)
@open_before_aup
def login():
    """Sign in with a username and password; the same message whichever part was wrong."""
    if current_user.is_authenticated:
        return redirect_to(url_for("public.home"))
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        user = auth.authenticate(form.username.data, form.password.data)
        if user is not None:
            target = safe_next(form.next.data)
            sign_in(user, "password")
            if target:  # if the AUP is due first, I agree leads on to it (aup.routes.accept)
                session["next"] = target
            return redirect_to(target or url_for("public.home"))
        g.sign_in_failed = True
        audit.failed_sign_in(form.username.data, "password", request.remote_addr)
        flash(_("That username and password do not match. Check them and try again."), "error")
    status = 401 if g.get("sign_in_failed") else 200
    return render_template("auth/login.html", form=form), status


@bp.route("/sign-out", methods=["POST"])
@open_to_all
@open_before_aup
def logout():
    """Sign out: the session ends on the server, so a copied cookie stops working."""
    sign_out()
    flash(_("You have signed out. See you next time!"), "success")
    return redirect_to(url_for("auth.login"))


def own_account_key() -> str:
    """Rate-limit key for wrong current passwords: the signed-in account, from any session."""
    return f"password:{getattr(current_user, 'id', None)}"


@bp.route("/account/password", methods=["GET", "POST"])
@failures_only(PER_ACCOUNT, own_account_key)
@allow(*SIGNED_IN)
@open_before_aup
def change_password():
    """Choose your own password; required at first logon with a temporary one.

    The current password is asked for, so a browser left signed in cannot be used to take the
    account over; wrong guesses count like failed sign-ins. Not at the forced first-logon change:
    the temporary password was typed at sign-in a moment before, and until it is replaced that
    session can reach nothing but this page. Saving ends every other session of the account
    (whoever knew the old password is signed out), keeping this one.
    """
    form = NewPasswordForm()
    if form.validate_on_submit() and _current_password_right(form):
        if auth.authenticate(current_user.username, form.password.data) is not None:
            form.password.errors.append(
                _("Choose a password different from the one you were given.")
                if current_user.must_change_password
                else _("Choose a password different from your current one.")
            )
        else:
            auditing.note(
                audit.Event.PASSWORD_CHANGED,
                current_user.school_id,
                subject_id=current_user.id,
                detail={"first_logon": bool(current_user.must_change_password)},
                commit=False,
            )
            auth.set_password(current_user, form.password.data)  # commits the record with it
            auth.end_other_sessions(current_user.id, g.login_session_id, "password_changed")
            flash(
                _("Your new password is saved, and you are signed out everywhere else."), "success"
            )
            return redirect_to(url_for("public.home"))
    return render_template("auth/password.html", form=form)


def _current_password_right(form: NewPasswordForm) -> bool:
    """Whether the form's current password is right (or not asked); a wrong one is a failure."""
    if current_user.must_change_password:
        return True
    if not form.current.data:
        form.current.errors.append(_("Enter your current password."))
        return False
    if auth.authenticate(current_user.username, form.current.data) is None:
        g.sign_in_failed = True
        auditing.note(
            audit.Event.SIGN_IN_FAILED,
            current_user.school_id,
            subject_id=current_user.id,
            detail={"method": "current_password"},
        )
        form.current.errors.append(_("That is not your current password. Nothing was changed."))
        return False
    return True

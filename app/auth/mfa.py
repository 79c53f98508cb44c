"""Staff MFA pages: setting up an authenticator app, and its code at every sign-in."""

from __future__ import annotations

from flask import flash, g, make_response, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user

from app.access import allow, open_before_aup
from app.auth import bp
from app.auth.forms import EmptyForm, MfaCodeForm
from app.auth.limits import (
    PER_ACCOUNT_AND_ADDRESS,
    PER_ACCOUNT_ANYWHERE,
    PER_ADDRESS,
    failures_only,
)
from app.htmx import redirect_to
from app.models import STAFF_ROLES
from app.services import mfa

CODES_SHOWN = "mfa_codes_shown"  # the sign-in session whose recovery codes were just shown


def account_key() -> str:
    """Rate-limit key for codes typed for one account."""
    return f"mfa:{getattr(current_user, 'id', None)}"


def account_address_key() -> str:
    """Rate-limit key for codes typed for one account from one address (as for passwords)."""
    return f"{account_key()}@{get_remote_address()}"


def _limited(view):
    """Limit wrong codes exactly like wrong passwords (app/auth/limits.py)."""
    view = failures_only(PER_ACCOUNT_ANYWHERE, account_key)(view)
    view = failures_only(PER_ACCOUNT_AND_ADDRESS, account_address_key)(view)
    return failures_only(PER_ADDRESS)(view)


def _onwards():
    """Where a sign-in goes once its code is accepted: the deep link it began with, or home.

    The AUP gate comes next, and leads on to the same place once the AUP is accepted.
    """
    return redirect_to(session.get("next") or url_for("public.home"))


@bp.route("/account/authenticator", methods=["GET", "POST"])
@_limited
@allow(*STAFF_ROLES)
@open_before_aup
def mfa_setup():
    """Set up an authenticator app: scan the QR code (or type the key), then confirm a code."""
    if mfa.is_set_up(current_user):
        return redirect_to(url_for("auth.mfa_code"))
    form = MfaCodeForm()
    secret = mfa.pending_secret(current_user)
    if form.validate_on_submit():
        codes = mfa.confirm(current_user, form.code.data, address=request.remote_addr)
        if codes is not None:
            session[CODES_SHOWN] = g.login_session_id
            page = render_template("auth/mfa_recovery.html", codes=codes, form=EmptyForm())
            response = make_response(page)
            response.headers["Cache-Control"] = "no-store"
            return response
        g.sign_in_failed = True
        form.code.errors.append(_("That code is not right. Type the code your app shows now."))
    status = 400 if form.errors else 200
    return render_template(
        "auth/mfa_setup.html",
        form=form,
        qr=mfa.qr_data_uri(current_user, secret),
        secret=mfa.grouped(secret),
    ), status


@bp.route("/account/authenticator/kept", methods=["POST"])
@allow(*STAFF_ROLES)
@open_before_aup
def mfa_kept():
    """I have kept my recovery codes: the sign-in that set the app up now counts."""
    shown_for = session.pop(CODES_SHOWN, None)
    if EmptyForm().validate_on_submit() and mfa.is_set_up(current_user):
        if shown_for is not None and shown_for == g.get("login_session_id"):
            mfa.passed(g.login_session_id)
            flash(_("Your authenticator app is set up. You will need it each time you sign in."),
                  "success")  # fmt: skip
            return _onwards()
    return redirect_to(url_for("auth.mfa_code"))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@_limited
@allow(*STAFF_ROLES)
@open_before_aup
def mfa_code():
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    if g.get("second_factor_done"):
        return redirect_to(url_for("public.home"))
    if not mfa.is_set_up(current_user):
        return redirect_to(url_for("auth.mfa_setup"))
    form = MfaCodeForm()
    if form.validate_on_submit():
        used = mfa.verify(current_user, form.code.data)
        if used is not None:
            mfa.passed(g.login_session_id)
            if used == "recovery":
                left = mfa.recovery_codes_left(current_user)
                flash(_("You used a recovery code. Recovery codes left: %(n)s.", n=left),
                      "info")  # fmt: skip
            return _onwards()
        g.sign_in_failed = True
        form.code.errors.append(
            _("That code is not right, or was used already. Wait for a new code and try again.")
        )
    status = 401 if g.get("sign_in_failed") else 200
    return render_template("auth/mfa_code.html", form=form), status

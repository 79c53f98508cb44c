"""Idle sign-out that warns first (WCAG 2.2.1): staying signed in, signing out idle, the lock.

Staff pages carry a warning (templates/_idle_warning.html, static/js/idle.js) that opens before
the idle limit with a Stay signed in button. Without an answer the page signs itself out; on a
board (present mode) it then shows a lock screen with nothing about pupils on it, not the
sign-in page.
"""

from __future__ import annotations

from flask import current_app, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import SIGNED_IN, allow, open_before_aup, open_to_all, safe_next
from app.auth import bp
from app.auth.sessions import sign_out
from app.htmx import redirect_to
from app.services import auth

WARN_SECONDS = 120  # how long before the sign-out the warning opens


def idle_timing() -> dict[str, int]:
    """When this page should warn and sign out, in seconds after it loads.

    The server notes activity at most once per LANTERN_LAST_SEEN_SECONDS, so its idle clock
    may have started that much before this page loaded: the page allows for it.
    """
    limit = auth.idle_limit(current_user).total_seconds()
    slack = current_app.config["LANTERN_LAST_SEEN_SECONDS"]
    sign_out_after = max(limit - slack, limit / 2)
    return {"sign_out": int(sign_out_after), "warn": int(min(WARN_SECONDS, sign_out_after / 2))}


@bp.app_context_processor
def _idle_helpers() -> dict:
    """Give templates idle_timing()."""
    return {"idle_timing": idle_timing}


@bp.route("/account/stay-signed-in", methods=["POST"])
@allow(*SIGNED_IN)
@open_before_aup
def stay_signed_in():
    """Keep the session open: loading this request was activity; back to the page, or 204."""
    target = safe_next(request.form.get("next"))
    return redirect_to(target) if target else ("", 204)


@bp.route("/account/idle-sign-out", methods=["POST"])
@open_to_all
@open_before_aup
def idle_sign_out():
    """The page's own sign-out when nobody answered the warning; a board then shows its lock."""
    target = safe_next(request.form.get("next"))
    if current_user.is_authenticated:
        minutes = int(auth.idle_limit(current_user).total_seconds() // 60)
        sign_out("idle")
        flash(_("You were signed out after %(n)s minutes without activity.", n=minutes), "info")
    if request.form.get("board") == "1":
        return redirect_to(url_for("auth.board_locked", next=target))
    return redirect_to(url_for("auth.login", next=target))


@bp.route("/sign-in/locked")
@open_to_all
@open_before_aup
def board_locked():
    """The board's lock screen after an idle sign-out: nothing about pupils, a way back in."""
    target = safe_next(request.args.get("next"))
    return render_template("auth/locked.html", next_url=target)

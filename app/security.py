"""Security headers, sign-in, rate limits, CSRF, language and error pages, bound to the app."""

from __future__ import annotations

import sqlite3
import time
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, flash, g, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from app import i18n
from app.auth import limits
from app.database import request_writes, saved_in_this_request
from app.errors import Refused
from app.extensions import csrf, db, htmx, limiter, login_manager, talisman

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
"""No 'unsafe-inline' or 'unsafe-eval': no inline scripts or styles anywhere, htmx eval off."""


def init_app(app: Flask) -> None:
    """Bind the security-related extensions and the request hooks that use them."""
    if app.config["LANTERN_TRUSTED_PROXIES"]:
        n = app.config["LANTERN_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    https = app.config["LANTERN_HTTPS"]
    talisman.init_app(
        app,
        force_https=https,
        strict_transport_security=https,
        session_cookie_secure=https,
        content_security_policy=CSP,
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"camera": "()", "microphone": "()", "geolocation": "()"},
    )
    csrf.init_app(app)
    limiter.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    i18n.init_app(app)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.before_request(_no_nul_characters)
    app.after_request(_no_store_when_signed_in)
    app.after_request(limits.give_back)  # sign-in hits back, unless the attempt failed
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(Refused, _error_page)  # a service's NotFound or Forbidden
    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(OperationalError, _database_busy)


def _no_nul_characters() -> None:
    """Refuse (400) a form or query holding a NUL character, before any view reads it.

    No one types one and no browser form sends one; PostgreSQL refuses to store one, so a
    module title or message holding it was a server error there (and stored as is on SQLite).
    """
    for values in (request.args, request.form):
        if any("\x00" in key or "\x00" in value for key, value in values.items(multi=True)):
            abort(400)


def _no_store_when_signed_in(response):
    """Pages for a signed-in user must not be kept by shared school browsers or proxies.

    A server error or busy page is never kept either, and is marked without asking who is
    signed in: that would need the database the request could not have.
    """
    from flask_login import current_user

    if response.status_code >= 500 or (current_user and current_user.is_authenticated):
        response.headers["Cache-Control"] = "no-store"
    if htmx:
        response.vary.add("HX-Request")
    return response


ERROR_TEXT = {
    400: _l("That request could not be understood. Please go back and try again."),
    403: _l("You do not have access to this page."),
    404: _l("We could not find that page."),
    405: _l("That page cannot be used like that."),
    413: _l("That was too much to send at once. Please go back and send less."),
    500: _l("Something went wrong on our side. Please try again in a moment."),
    503: _l("Lantern is very busy just now. Please wait a moment and try again."),
}
BUSY_NOT_SAVED = _l(
    "Lantern is very busy just now, so what you sent was not saved. "
    "Please wait a moment and try again."
)
BUSY_RETRY_SECONDS = 5
POSTGRESQL_LOCK_NOT_AVAILABLE = "55P03"  # lock_timeout ran out (SQLSTATE lock_not_available)
ERROR_NOT_SAVED = _l(
    "Something went wrong on our side, and what you sent was not saved. "
    "Please try again in a moment."
)
ERROR_SAVED = _l(
    "Something went wrong on our side after what you sent was saved. "
    "Please go to the start and carry on from there."
)


PUBLIC_FORMS = frozenset(
    {
        "auth.login",
        "auth.parent_letter",
        "auth.picture_code",
        "auth.picture_name",
        "auth.picture_password",
        "public.language",
        "workshops_public.feedback",
    }
)
"""The forms someone who is not signed in may send; every other form needs a sign-in
(tests/views/test_security.py checks this list against every POST route)."""


def _csrf_refused(error):
    """A form refused by CSRF: usually one sent after its sign-in ended or left open too long.

    Nothing is saved. Someone whose sign-in ended (another tab, the idle time-out, "sign out
    everywhere") while on a signed-in page is sent to sign in, told why, and brought back to the
    page they were on (a lesson resumes at its saved step); htmx gets a full-page redirect, not a
    silent 400. Anything else is a 400 that says what to do.
    """
    from app.access import safe_next
    from app.htmx import redirect_to

    if current_user.is_authenticated or request.endpoint in PUBLIC_FORMS:
        message = _(
            "This page had been open for a long time, or the form came from somewhere else, "
            "so nothing was saved. Please reload the page and try again."
        )
        return render_template("error.html", code=400, message=message), 400
    if request.endpoint == "auth.idle_sign_out" and request.form.get("board") == "1":
        return redirect_to(url_for("auth.board_locked"))  # a board already signed out: its lock
    flash(_("You were signed out, so that was not saved. Please sign in again."), "info")
    back = urlsplit(request.referrer or "")
    target = safe_next(back.path) if back.netloc == request.host else None
    return redirect_to(url_for("auth.login", next=target))


def _error_page(error):
    """A friendly page for every HTTP error, with the right status code; it never fails itself.

    A server error rolls the request's transaction back first (a failed write leaves the session
    unusable, and the page itself reads the signed-in user), then says whether what the person
    sent was saved before the failure.
    """
    code = getattr(error, "code", 500) or 500
    if code >= 500:
        _roll_back()
    message = _wait_message() if code == 429 else ERROR_TEXT.get(code, ERROR_TEXT[500])
    if code >= 500 and request_writes():
        message = ERROR_SAVED if saved_in_this_request() else ERROR_NOT_SAVED
    try:
        return render_template("error.html", code=code, message=message), code
    except Exception:  # the page needs the database and templates; say it plainly without them
        current_app.logger.exception("The error page could not be shown")
        _roll_back()
        return _plain_error_page(message), code


def _database_busy(error: OperationalError):
    """A request that waited too long for the database's write lock: a 503 saying try again.

    Many people writing at once (a school signing in at 08:45) queue for the lock; one that
    waits longer than LANTERN_DB_LOCK_TIMEOUT is not a fault to report as "something went
    wrong" but a busy moment: its transaction is rolled back (nothing it sent was kept, unless
    a commit landed earlier in the request) and the page says so, with Retry-After. Any other
    database error stays a 500, logged.
    """
    if not _lock_wait_ran_out(error):
        raise error  # Flask logs it and answers with the 500 page, as for any other failure
    current_app.logger.warning("Gave up waiting for the database's lock: %s", error.orig)
    _roll_back()
    if "_login_user" not in g:  # loading who is signed in is what waited: show the page without
        g._login_user = login_manager.anonymous_user()  # (in the browser's language)
    message = ERROR_TEXT[503]
    if request_writes():
        message = ERROR_SAVED if saved_in_this_request() else BUSY_NOT_SAVED
    try:
        page = render_template("error.html", code=503, message=message)
    except Exception:  # reading the signed-in user may need the same lock: say it plainly
        _roll_back()
        page = _plain_error_page(message)
    return page, 503, {"Retry-After": str(BUSY_RETRY_SECONDS)}


def _lock_wait_ran_out(error: OperationalError) -> bool:
    """Whether a database error is a lock wait that ran out (SQLite busy, PostgreSQL 55P03)."""
    original = error.orig
    if isinstance(original, sqlite3.OperationalError):
        return "database is locked" in str(original)
    return getattr(original, "sqlstate", None) == POSTGRESQL_LOCK_NOT_AVAILABLE


def _roll_back() -> None:
    """End the request's transaction so the error page can read again."""
    try:
        db.session.rollback()
    except Exception:  # a broken connection: the plain page still needs no database
        current_app.logger.exception("Rollback failed while showing an error page")


def _plain_error_page(message) -> str:
    """The error page with nothing but its words: no template, no database.

    Babel picks the language from the signed-in user; when even that fails, the words are
    the English ones below (the same msgids).
    """
    try:
        words = (
            _("Sorry"),
            str(message),
            _("Go to the start"),
            getattr(get_locale(), "language", "en"),
        )
    except Exception:
        words = ("Sorry", "Something went wrong on our side.", "Go to the start", "en")
    title, text, start, lang = (escape(word) for word in words)
    return (
        f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{title}</title>'
        f'<main><h1>{title}</h1><p>{text}</p><p><a href="/">{start}</a></p></main></html>'
    )


def _wait_message() -> str:
    """Too many tries: how many minutes until the limit that was hit lets the user try again."""
    limit = limiter.current_limit
    seconds = max(0, limit.reset_at - time.time()) if limit else 60
    minutes = max(1, round(seconds / 60))
    if request.blueprint != "auth":  # the workshop feedback form, for one
        return ngettext(
            "Too many tries for now. Please wait %(num)s minute, then try again.",
            "Too many tries for now. Please wait %(num)s minutes, then try again.",
            minutes,
        )
    return ngettext(
        "Too many tries for now. Please wait %(num)s minute, then try again. If you still "
        "cannot sign in, ask your teacher or the school office.",
        "Too many tries for now. Please wait %(num)s minutes, then try again. If you still "
        "cannot sign in, ask your teacher or the school office.",
        minutes,
    )

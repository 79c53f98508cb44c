"""Security headers, sign-in, rate limits, CSRF, language and error pages, bound to the app."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from app import i18n
from app.extensions import csrf, htmx, limiter, login_manager, talisman

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
    app.after_request(_no_store_when_signed_in)
    for code in (400, 403, 404, 405, 429, 500):
        app.register_error_handler(code, _error_page)


def _no_store_when_signed_in(response):
    """Pages for a signed-in user must not be kept by shared school browsers or proxies."""
    from flask_login import current_user

    if current_user and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    if htmx:
        response.vary.add("HX-Request")
    return response


ERROR_TEXT = {
    400: _l("That request could not be understood. Please go back and try again."),
    403: _l("You do not have access to this page."),
    404: _l("We could not find that page."),
    405: _l("That page cannot be used like that."),
    429: _l("Too many tries. Please wait a minute and try again, or ask your teacher for help."),
    500: _l("Something went wrong on our side. Please try again in a moment."),
}


def _error_page(error):
    """A friendly page for every HTTP error, with the right status code."""
    code = getattr(error, "code", 500) or 500
    message = ERROR_TEXT.get(code, ERROR_TEXT[500])
    return render_template("error.html", code=code, message=message), code

"""Who may reach which pages: role guards for blueprints and the pre-AUP allow-list."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import abort, current_app, request
from flask_login import current_user

from app.models import Role


def open_before_aup(view: Callable) -> Callable:
    """Mark a view reachable by a signed-in user who has not yet accepted their AUP."""
    view.open_before_aup = True
    return view


def is_open_before_aup() -> bool:
    """Whether the current request is for static files or a view marked open_before_aup."""
    if request.endpoint is None:
        return False
    if request.endpoint == "static":
        return True
    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "open_before_aup", False))


def require_role(*roles: Role) -> Callable[[], None]:
    """A before_request guard: sign-in required, then one of roles, else 403."""

    def guard() -> None:
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        return None

    return guard


def safe_next(target: str | None) -> str | None:
    """A local path to return to after sign-in, or None for anything else.

    Browsers drop tabs and newlines from a Location header, so "/<tab>/evil.example" would
    become "//evil.example" (another site): any control character, a backslash, a scheme or a
    host refuses the target.
    """
    if not target or len(target) > 2000 or not target.startswith("/"):
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in target) or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target

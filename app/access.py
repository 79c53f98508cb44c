"""Who may reach which pages: role guards for blueprints and the pre-AUP allow-list."""

from __future__ import annotations

from collections.abc import Callable

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
    """A local path to return to after sign-in, or None for anything else."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None

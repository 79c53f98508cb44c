"""Who may reach which pages: role guards for blueprints and the pre-AUP allow-list.

Every route says who may reach it, and the guard that enforces it is the declaration: a
blueprint's `require_role` guard covers each of its views; a view in a blueprint without one
carries `@allow(...)` (sign-in and a role, checked) or `@open_to_all` (signed out too).
`who_may_reach` reads them; tests/views/test_route_roles.py fails on a route with neither.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, request
from flask_login import current_user

from app.models import Role

Allowed = frozenset[Role | None]
"""Who may reach a route: roles, and None for someone who has not signed in."""
EVERYONE: Allowed = frozenset({None, *Role})
SIGNED_IN: tuple[Role, ...] = tuple(Role)


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


def _refusal(roles: Allowed):
    """Sign-in for someone signed out, 403 for a role not in roles, else None (go on)."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if current_user.role not in roles:
        abort(403)
    return None


def require_role(*roles: Role) -> Callable[[], None]:
    """A before_request guard: sign-in required, then one of roles, else 403."""
    allowed = frozenset(roles)

    def guard() -> None:
        """Refuse the request unless a user with one of the roles is signed in."""
        return _refusal(allowed)

    guard.allowed = allowed
    return guard


def allow(*roles: Role) -> Callable[[Callable], Callable]:
    """For a view outside a guarded blueprint: sign-in required, then one of roles, else 403."""
    allowed = frozenset(roles)

    def decorate(view: Callable) -> Callable:
        """Wrap the view in the check."""

        @functools.wraps(view)
        def checked(*args, **kwargs):
            """Run the view for an allowed user only."""
            return _refusal(allowed) or view(*args, **kwargs)

        checked.allowed = allowed
        return checked

    return decorate


def open_to_all(view: Callable) -> Callable:
    """Mark a view outside a guarded blueprint as open to everyone, signed in or not."""
    view.allowed = EVERYONE
    return view


def who_may_reach(app: Flask, endpoint: str) -> Allowed | None:
    """Who may reach an endpoint (its own declaration, else its blueprint guard's), or None."""
    if endpoint == "static":
        return EVERYONE
    declared = getattr(app.view_functions[endpoint], "allowed", None)
    if declared is not None:
        return declared
    blueprint = endpoint.rpartition(".")[0]
    guards = [f for f in app.before_request_funcs.get(blueprint, ()) if hasattr(f, "allowed")]
    return guards[0].allowed if guards else None


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

"""Who may reach a workshop page, and finding the pack a URL names."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort

from app.access import require_role
from app.content import workshops
from app.content.workshops import Pack
from app.models import STAFF_ROLES

_staff_guard = require_role(*STAFF_ROLES)


def staff_only(view: Callable) -> Callable:
    """Let only signed-in staff reach a view; parents and pupils get 403, others sign in."""

    @wraps(view)
    def guarded(**kwargs):
        """Run the view for staff; otherwise the guard's answer (sign-in or 403)."""
        refused = _staff_guard()
        return refused if refused is not None else view(**kwargs)

    return guarded


def pack_or_404(pack_id: str) -> Pack:
    """Any pack in the library (every member of staff may use every pack), else 404."""
    try:
        return workshops().pack(pack_id)
    except KeyError:
        abort(404)

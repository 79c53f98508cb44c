"""The teacher blueprint object, shared by its view modules; staff only."""

from flask import Blueprint, render_template

from app.access import require_role
from app.extensions import htmx
from app.models import STAFF_ROLES

bp = Blueprint("teacher", __name__, url_prefix="/teacher", template_folder="templates")
bp.before_request(require_role(*STAFF_ROLES))


def wants_partial() -> bool:
    """An htmx swap of part of a page; a history restore (back button) needs the whole page."""
    return bool(htmx) and not htmx.history_restore_request


def page_or_partial(page: str, partial: str, **context) -> str:
    """app.htmx.page_or_partial, but the whole page when htmx restores history."""
    return render_template(partial if wants_partial() else page, **context)

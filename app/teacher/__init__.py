"""Teachers' pages: their classes, assignments, progress and present mode."""

from flask import Blueprint

from app.access import require_role
from app.models import STAFF_ROLES

bp = Blueprint("teacher", __name__, url_prefix="/teacher", template_folder="templates")
bp.before_request(require_role(*STAFF_ROLES))

from app.teacher import curriculum, modules, routes, sign_in_cards  # noqa: E402,F401  (their views attach to bp)

"""Present mode: a lesson, an AUP or a workshop's slides full-screen on the classroom board."""

from flask import Blueprint

from app.access import require_role
from app.models import STAFF_ROLES

bp = Blueprint("present", __name__, url_prefix="/present", template_folder="templates")
bp.before_request(require_role(*STAFF_ROLES))

from app.present import routes  # noqa: E402,F401  (its views attach themselves to bp)

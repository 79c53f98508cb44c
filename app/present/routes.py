"""Present mode for staff: one step per page, keyboard and clicker, notes apart."""

from flask import Blueprint

from app.access import require_role
from app.models import STAFF_ROLES

bp = Blueprint("present", __name__, url_prefix="/present", template_folder="templates")
bp.before_request(require_role(*STAFF_ROLES))

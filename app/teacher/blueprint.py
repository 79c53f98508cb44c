"""The teacher blueprint object, shared by its view modules; staff only."""

from flask import Blueprint

from app.access import require_role
from app.models import STAFF_ROLES

bp = Blueprint("teacher", __name__, url_prefix="/teacher", template_folder="templates")
bp.before_request(require_role(*STAFF_ROLES))

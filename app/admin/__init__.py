"""School admin pages: people, sessions, data requests."""

from flask import Blueprint

from app.access import require_role
from app.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
bp.before_request(require_role(Role.ADMIN))

from app.admin import class_pages, people_pages, routes  # noqa: E402,F401  (views attach to bp)

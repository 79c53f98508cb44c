"""School admin pages: people, sessions, data requests."""

from flask import Blueprint

from app.access import require_role
from app.models import Role

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")
bp.before_request(require_role(Role.ADMIN))

# the modules whose views attach themselves to bp (privacy_pages: erasing a leaver;
# roster_pages: importing the school's roster; people_pages and class_pages: by hand)
from app.admin import class_pages, people_pages, privacy_pages, roster_pages, routes  # noqa: E402,F401

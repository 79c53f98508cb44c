"""Parents' and carers' pages: their children, the AUP they signed, guides."""

from flask import Blueprint

from app.access import require_role
from app.models import Role

bp = Blueprint("parent", __name__, url_prefix="/parent", template_folder="templates")
bp.before_request(require_role(Role.PARENT))

from app.parent import routes  # noqa: E402,F401  (its views attach themselves to bp)

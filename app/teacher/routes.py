"""The teacher's home page: their classes."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.access import require_role
from app.models import STAFF_ROLES
from app.services.roster import visible_classes

bp = Blueprint("teacher", __name__, url_prefix="/teacher", template_folder="templates")
bp.before_request(require_role(*STAFF_ROLES))


@bp.route("/")
def home():
    """The classes this member of staff teaches (all the school's, for coordinators and admins)."""
    return render_template("teacher/home.html", classes=visible_classes(current_user))

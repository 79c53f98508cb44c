"""The pupil's home page."""

from flask import Blueprint, render_template

from app.access import require_role
from app.models import Role

bp = Blueprint("pupil", __name__, url_prefix="/pupil", template_folder="templates")
bp.before_request(require_role(Role.PUPIL))


@bp.route("/")
def home():
    """What to do next: assigned lessons first, then the lessons for the pupil's band."""
    return render_template("pupil/home.html")

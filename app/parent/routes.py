"""The parent's home page: their own children only."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.access import require_role
from app.models import Role

bp = Blueprint("parent", __name__, url_prefix="/parent", template_folder="templates")
bp.before_request(require_role(Role.PARENT))


@bp.route("/")
def home():
    """The parent's children, with what Lantern offers them at home."""
    return render_template("parent/home.html", children=current_user.children)

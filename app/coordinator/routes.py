"""The coordinator's home page: AUP compliance at a glance."""

from flask import Blueprint, render_template
from flask_login import current_user

from app.access import require_role
from app.models import Role
from app.services.compliance import audience_summary

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator", template_folder="templates")
bp.before_request(require_role(Role.COORDINATOR))


@bp.route("/")
def home():
    """Who has accepted the current AUP, per audience, for the coordinator's school."""
    return render_template("coordinator/home.html", summary=audience_summary(current_user.school))


from app.coordinator import consent as consent_pages  # noqa: E402  (owned by the parent work)

consent_pages.register(bp)

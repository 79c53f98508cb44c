"""Workshop packs for parents' sessions: facilitator notes, slides, handouts, feedback.

This blueprint is for staff only and guards itself once. The pages parents open without
signing in (the feedback form and the printable handout) are the workshops.public blueprint.
"""

from flask import Blueprint

from app.access import require_role
from app.models import STAFF_ROLES
from app.workshops.labels import labels

bp = Blueprint("workshops", __name__, url_prefix="/workshops", template_folder="templates")
bp.before_request(require_role(*STAFF_ROLES))
bp.context_processor(labels)

from app.workshops import routes, session_pages  # noqa: E402,F401  (their views attach to bp)

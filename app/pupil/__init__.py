"""Pupils' pages: their lessons and quizzes, at their age."""

from flask import Blueprint

from app.access import require_role
from app.models import Role

bp = Blueprint("pupil", __name__, url_prefix="/pupil", template_folder="templates")
bp.before_request(require_role(Role.PUPIL))

from app.pupil import consent, routes  # noqa: E402,F401  (their views attach themselves to bp)

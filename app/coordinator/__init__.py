"""The e-safety coordinator's pages: coverage, AUP compliance, incidents, reports.

The blueprint guards itself once (coordinators only, 403 for everyone else); which school's
figures a coordinator may see is decided by one service function (school_access.school_for).
"""

from flask import Blueprint

from app.access import require_role
from app.models import Role

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator", template_folder="templates")
bp.before_request(require_role(Role.COORDINATOR))

from app.coordinator import (  # noqa: E402,F401  (each module's views attach themselves to bp)
    audit_pages,
    compliance_pages,
    consent,
    coverage_pages,
    progression_pages,
    report_pages,
    routes,
    settings_pages,
)

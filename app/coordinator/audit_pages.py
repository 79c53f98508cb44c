"""The coordinator's (DSL's) audit page: who viewed photo-consent and safeguarding records."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app import auditing
from app.audit_pages import log_context
from app.coordinator import bp
from app.coordinator.routes import page_context
from app.services import audit


@bp.route("/audit")
def audit_log():
    """Who looked at whose consent (and, later, safeguarding) records, in the own school.

    Reading it is recorded (the admin sees it): the page tells who looked at which child's
    records, so who reads it is worth knowing too.
    """
    auditing.note(
        audit.Event.AUDIT_VIEWED,
        current_user.school_id,
        detail={"log": "safeguarding"},
    )
    return render_template(
        "coordinator/audit.html",
        **log_context(audit.SAFEGUARDING),
        **{**page_context(current_user.school), "schools": [current_user.school]},
    )

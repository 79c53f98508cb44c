"""AUP compliance pages: who has accepted the current AUP, and each class's outstanding list."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app.coordinator import bp
from app.coordinator.routes import chosen_school, page_context
from app.services import compliance, school_access, school_calendar, understanding


@bp.route("/compliance")
def compliance_page():
    """Per audience and current version: who has accepted, who has not, and when they last did."""
    school = chosen_school()
    found = compliance.report(school, school_calendar.today())
    return render_template(
        "coordinator/compliance.html",
        found=found,
        understood=understanding.figures_for(found, school_calendar.today()),
        parents=compliance.parent_coverage(found),
        pupil_audiences=compliance.PUPIL_AUDIENCES,
        **page_context(school),
    )


@bp.route("/compliance/class/<id:class_id>")
def compliance_class(class_id: int):
    """One class's pupils still to accept their AUP: a printable list a teacher can act on."""
    school_class = school_access.class_for_coordinator(current_user, class_id)
    today = school_calendar.today()
    outstanding = compliance.outstanding_for_class(school_class, today)
    return render_template(
        "coordinator/compliance_class.html",
        school_class=school_class,
        outstanding=outstanding,
        parents=compliance.class_parent_coverage(school_class, today),
        **page_context(school_class.school),
    )

"""The coordinator's photo-consent lists (policy 000): each class, and pupils without consent.

Which school (?school= for a trust-wide coordinator) and which class a coordinator may see is
decided by school_access, as on every other coordinator page. Each view is recorded in the audit
log (before the page reads the lists: recording commits), under the school whose pupils it shows.
"""

from __future__ import annotations

import re

from flask import Response, render_template
from flask_login import current_user

from app import auditing
from app.coordinator import bp
from app.coordinator.routes import chosen_school, page_context
from app.models import School
from app.reporting import exports
from app.services import audit, consent, school_access, school_calendar


@bp.route("/consent", endpoint="consent")
def consent_lists():
    """Every class's photo-consent state: pupil, in school, each public use, last change."""
    school = chosen_school()
    _viewed(school, page="school")
    lists = consent.school_lists(school)
    return render_template(
        "coordinator/consent.html",
        lists=lists,
        one_class=None,
        parts=consent.PARTS,
        **page_context(school),
    )


@bp.route("/consent/classes/<id:class_id>")
def consent_class(class_id: int):
    """One class's photo-consent state; a class of another school is not found."""
    chosen = school_access.class_for_coordinator(current_user, class_id)
    _viewed(chosen.school, page="class", class_id=chosen.id)
    lists = consent.school_lists(chosen.school, class_id=chosen.id)
    return render_template(
        "coordinator/consent.html",
        lists=lists,
        one_class=chosen,
        parts=consent.PARTS,
        **page_context(chosen.school),
    )


@bp.route("/consent/without")
def consent_without():
    """The office's list: pupils without consent for any use, by class, printable."""
    school = chosen_school()
    _viewed(school, page="without")
    missing = consent.without_consent(consent.school_lists(school))
    return render_template(
        "coordinator/consent_without.html",
        lists=missing,
        parts=consent.PARTS,
        **page_context(school),
    )


@bp.route("/consent.csv")
def consent_csv():
    """Every class's photo consent as CSV, one column per use; recorded as an export."""
    school, today = chosen_school(), school_calendar.today()
    auditing.note(audit.Event.EXPORT, school.id, detail={"export": "consent"})
    rows = exports.consent_rows(school.name, today, consent.school_lists(school))
    slug = re.sub(r"[^a-z0-9]+", "-", school.name.lower()).strip("-") or "school"
    response = Response(exports.to_csv(rows), mimetype="text/csv")
    name = f"photo-consent-{slug}-{today.isoformat()}.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _viewed(school: School, **detail) -> None:
    """Record that the coordinator looked at a school's photo-consent records."""
    auditing.note(
        audit.Event.CONSENT_VIEWED,
        school.id,
        detail=detail,
    )

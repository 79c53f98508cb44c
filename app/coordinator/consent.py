"""The coordinator's photo-consent lists (policy 000): each class, and pupils without consent.

Which school (?school= for a trust-wide coordinator) and which class a coordinator may see is
decided by school_access, as on every other coordinator page. Each view is recorded in the audit
log (before the page reads the lists: recording commits), under the school whose pupils it shows.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from app import auditing
from app.coordinator import bp
from app.coordinator.routes import chosen_school, page_context
from app.models import School
from app.services import audit, consent, school_access


@bp.route("/consent", endpoint="consent")
def consent_lists():
    """Every class's photo-consent state: pupil, in school, publications, last change."""
    school = chosen_school()
    _viewed(school, page="school")
    lists = consent.school_lists(school)
    return render_template(
        "coordinator/consent.html", lists=lists, one_class=None, **page_context(school)
    )


@bp.route("/consent/classes/<id:class_id>")
def consent_class(class_id: int):
    """One class's photo-consent state; a class of another school is not found."""
    chosen = school_access.class_for_coordinator(current_user, class_id)
    _viewed(chosen.school, page="class", class_id=chosen.id)
    lists = consent.school_lists(chosen.school, class_id=chosen.id)
    return render_template(
        "coordinator/consent.html", lists=lists, one_class=chosen, **page_context(chosen.school)
    )


@bp.route("/consent/without")
def consent_without():
    """The office's list: pupils without consent for either part, by class, printable."""
    school = chosen_school()
    _viewed(school, page="without")
    missing = consent.without_consent(consent.school_lists(school))
    return render_template(
        "coordinator/consent_without.html", lists=missing, **page_context(school)
    )


def _viewed(school: School, **detail) -> None:
    """Record that the coordinator looked at a school's photo-consent records."""
    auditing.note(
        audit.Event.CONSENT_VIEWED,
        school.id,
        detail=detail,
    )

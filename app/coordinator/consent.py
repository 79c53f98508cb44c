"""The coordinator's photo-consent lists (policy 000): each class, and pupils without consent."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from app.coordinator.routes import chosen_school, page_context
from app.services import consent, school_access


def register(bp: Blueprint) -> None:
    """Add the consent pages to the coordinator blueprint (which already guards the role).

    Which school (?school= for a trust-wide coordinator) and which class a coordinator may
    see is decided by school_access, as on every other coordinator page.
    """
    bp.add_url_rule("/consent", "consent", consent_lists)
    bp.add_url_rule("/consent/classes/<int:class_id>", "consent_class", consent_class)
    bp.add_url_rule("/consent/without", "consent_without", consent_without)


def consent_lists():
    """Every class's photo-consent state: pupil, in school, publications, last change."""
    school = chosen_school()
    lists = consent.school_lists(school)
    return render_template(
        "coordinator/consent.html", lists=lists, one_class=None, **page_context(school)
    )


def consent_class(class_id: int):
    """One class's photo-consent state; a class of another school is not found."""
    chosen = school_access.class_for_coordinator(current_user, class_id)
    lists = consent.school_lists(chosen.school, class_id=chosen.id)
    return render_template(
        "coordinator/consent.html", lists=lists, one_class=chosen, **page_context(chosen.school)
    )


def consent_without():
    """The office's list: pupils without consent for either part, by class, printable."""
    school = chosen_school()
    missing = consent.without_consent(consent.school_lists(school))
    return render_template(
        "coordinator/consent_without.html", lists=missing, **page_context(school)
    )

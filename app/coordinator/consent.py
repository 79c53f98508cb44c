"""The coordinator's photo-consent lists (policy 000): each class, and pupils without consent."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.extensions import db
from app.models import SchoolClass
from app.services import consent, roster
from app.services.acceptance import school_today


def register(bp: Blueprint) -> None:
    """Add the consent pages to the coordinator blueprint (which already guards the role)."""
    bp.add_url_rule("/consent", "consent", consent_lists)
    bp.add_url_rule("/consent/classes/<int:class_id>", "consent_class", consent_class)
    bp.add_url_rule("/consent/without", "consent_without", consent_without)


def consent_lists():
    """Every class's photo-consent state: pupil, in school, publications, last change."""
    lists = consent.school_lists(current_user.school)
    return render_template("coordinator/consent.html", lists=lists, one_class=None)


def consent_class(class_id: int):
    """One class's photo-consent state; a class of another school is not found."""
    chosen = db.session.get(SchoolClass, class_id)
    if chosen is None or not roster.may_see_class(current_user, chosen):
        abort(404)
    lists = consent.school_lists(current_user.school, class_id=chosen.id)
    return render_template("coordinator/consent.html", lists=lists, one_class=chosen)


def consent_without():
    """The office's list: pupils without consent for either part, by class, printable."""
    missing = consent.without_consent(consent.school_lists(current_user.school))
    return render_template("coordinator/consent_without.html", lists=missing, today=school_today())

"""The once-a-term question after a pupil agrees: it never stands between a pupil and Lantern.

Any failure (no question written, a database error, a stale form) sends the pupil on to where
they were going; Skip always does; a wrong answer shows the promise again, kindly, and is kept.
"""

from __future__ import annotations

import logging

from flask import flash, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import SQLAlchemyError
from wtforms import HiddenField, RadioField
from wtforms.validators import InputRequired

from app.access import allow, safe_next
from app.aup import bp
from app.content.aup import Aup
from app.extensions import db
from app.htmx import redirect_to
from app.models import Role
from app.services import school_calendar
from app.services import understanding as service

NEXT = "aup_check_next"
"""Where the pupil was going when they agreed, kept while the question is on screen."""

log = logging.getLogger(__name__)


class CheckForm(FlaskForm):
    """One answer to the question about one statement."""

    statement = HiddenField()
    answer = RadioField(coerce=int, validators=[InputRequired()])  # the page words any error


def after_agreeing(aup: Aup, next_url: str) -> str:
    """Where to go after agreeing: the question when one is due this term, else next_url."""
    try:
        if service.due(current_user, aup, school_calendar.today()) is None:
            return next_url
    except Exception:  # noqa: BLE001 - the question is a help, never a gate
        log.exception("AUP understanding question could not be prepared")
        db.session.rollback()
        return next_url
    session[NEXT] = next_url
    return url_for("aup.check")


def _next_url() -> str:
    """Where the pupil was going (a page of this site), else home."""
    return safe_next(session.get(NEXT)) or url_for("public.home")


def _go_on():
    """Send the pupil on to where they were going."""
    return redirect_to(_next_url())


def _question():
    """The question due for the signed-in pupil now, or None."""
    from app.aup.routes import current_aup  # the gate's rule for which AUP is current

    return service.due(current_user, current_aup(), school_calendar.today())


def _form(question) -> CheckForm:
    """The answer form, its options in this pupil's order."""
    form = CheckForm()
    form.answer.choices = [(n, question.check.options[n].text) for n in question.order]
    return form


@bp.route("/aup/check", methods=["GET", "POST"])
@allow(Role.PUPIL)
def check():
    """One short question about one promise; Skip, or any error, lets the pupil go on."""
    try:
        question = _question()
    except SQLAlchemyError:
        log.exception("AUP understanding question could not be read")
        db.session.rollback()
        return _go_on()
    if question is None:
        return _go_on()
    form = _form(question)
    if form.is_submitted() and form.statement.data != str(question.statement):
        return redirect_to(url_for("aup.check"))  # a question from another term or tab
    if not form.validate_on_submit():
        form.statement.data = str(question.statement)
        return render_template("aup/check.html", q=question, form=form, next_url=_next_url())
    try:
        row = service.record(current_user, question, form.answer.data)
    except SQLAlchemyError:
        log.exception("AUP understanding answer could not be recorded")
        db.session.rollback()
        return _go_on()
    if row.correct:
        flash(_("That's right. Thank you!"), "success")
        return _go_on()
    right = question.check.options[question.check.right].text
    return render_template("aup/check_again.html", q=question, right=right, next_url=_next_url())

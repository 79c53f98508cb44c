"""Entering parents' AUP agreements from returned paper slips, a class at a time."""

from __future__ import annotations

from flask import flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app import auditing
from app.content.aup import DEFAULT_LOCALE
from app.errors import NotFound
from app.extensions import db
from app.htmx import redirect_to
from app.models import Method
from app.paper_agreements import bp
from app.paper_agreements.forms import OnBehalfForm
from app.services import (
    acceptance,
    audit,
    compliance,
    school_access,
    school_calendar,
    school_settings,
)
from app.teacher.sign_in_cards import ticked_ids


@bp.app_template_filter("on_behalf")
def on_behalf_filter(record) -> str:
    """The marking of an agreement entered by staff: 'recorded on behalf (paper slip, by …)'."""
    return compliance.on_behalf_text(record) if record else ""


@bp.route("/")
def index():
    """Each class of the school with how many pupils' parents have agreed, to pick one."""
    school, today = current_user.school, school_calendar.today()
    found = compliance.report(school, today)
    return render_template(
        "paper_agreements/index.html",
        school=school,
        coverage=compliance.parent_coverage(found),
        today=today,
    )


@bp.route("/class/<id:class_id>", methods=["GET", "POST"])
def record_class(class_id: int):
    """A class's pupils, those outstanding first: tick those whose slips came back, and record.

    Each ticked pupil gets one record in the school's chain, all in one transaction; a pupil
    whose parent has agreed meanwhile (a second submit, another tab) is skipped. A refused
    submit shows the form again with every tick, the method, the date and the note kept.
    """
    school_class = school_access.class_for_staff(current_user, class_id)
    if school_class.ended_at is not None:
        raise NotFound()
    school, today = school_class.school, school_calendar.today()
    aup = school_settings.current_aup(school.id, "parent", DEFAULT_LOCALE, today)
    rows = compliance.class_parent_coverage(school_class, today)
    form = OnBehalfForm()
    if request.method == "GET":
        form.received_on.data = today
    ticked = ticked_ids() if request.method == "POST" else set()
    in_class = {row.pupil.id for row in rows}
    tick_error = None
    if form.validate_on_submit():
        chosen = [row.pupil for row in rows if row.pupil.id in ticked and not row.agreed]
        if not ticked & in_class:
            tick_error = _("Tick at least one pupil whose parent or carer has agreed.")
        else:
            made = _record(school_class, aup, chosen, form, today) if chosen else []
            _say_what_was_recorded(len(made), len(ticked & in_class) - len(made))
            return redirect_to(url_for("paper_agreements.record_class", class_id=school_class.id))
    status = 400 if form.errors or tick_error else 200
    return render_template(
        "paper_agreements/class.html",
        school=school,
        school_class=school_class,
        aup=aup,
        rows=rows,
        agreed=sum(row.agreed for row in rows),
        form=form,
        ticked=ticked,
        tick_error=tick_error,
        today=today,
    ), status


def _record(school_class, aup, chosen: list, form: OnBehalfForm, today) -> list:
    """Record the chosen pupils' agreements and the security-log line, in one transaction."""
    method = Method(form.method.data)
    made = acceptance.record_on_behalf(
        current_user, aup, chosen, method, form.received_on.data, form.note.data, today
    )
    auditing.note(
        audit.Event.AUP_RECORDED_ON_BEHALF,
        current_user.school_id,
        detail={"class_id": school_class.id, "count": len(made), "method": method.value},
        commit=False,
    )
    db.session.commit()
    return made


def _say_what_was_recorded(made: int, skipped: int) -> None:
    """Flash how many agreements were recorded, and how many were already on record."""
    if made:
        flash(
            ngettext(
                "%(num)d parent agreement recorded.", "%(num)d parent agreements recorded.", made
            ),
            "success",
        )
    if skipped:
        flash(
            ngettext(
                "%(num)d pupil ticked already had a parent agreement: nothing was recorded twice.",
                "%(num)d pupils ticked already had a parent agreement: nothing was recorded twice.",
                skipped,
            ),
            "info",
        )

"""Safeguarding pages: a pupil's worry, a staff concern, the DSL team's log, records and exports.

Every view, export and change of a safeguarding record is written to the audit log; alerts
(the DSL's inbox badge) carry a count only. The DSL team's pages answer 404 to anyone else.
"""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app import auditing
from app.access import allow
from app.audit_pages import log_context
from app.content import lessons
from app.database import begin_write
from app.errors import NotFound
from app.extensions import db
from app.ids import parse_id
from app.models import IncidentEntry, Role, User
from app.models.years import year_label
from app.reporting.exports import to_csv
from app.safeguarding import bp
from app.safeguarding.forms import (
    ConcernForm,
    EntryForm,
    PickForm,
    SanctionForm,
    TalkForm,
    WorryForm,
)
from app.safeguarding.records import csv_rows, export_name
from app.services import audit, school_calendar
from app.services import safeguarding as sg

STAFF = (Role.TEACHER, Role.COORDINATOR, Role.ADMIN)
EVENT = audit.Event


@bp.app_context_processor
def _safeguarding_context() -> dict:
    """What every page may show: whether the user is on the DSL team and their inbox count;
    for a parent, the guides the school shared (read only when a page asks)."""
    if current_user.is_authenticated and current_user.role is Role.PARENT:
        return {
            "is_dsl": False,
            "sg_shared_guides": lambda: sg.shared_guides(current_user),
            "shared_guide": _guide,
        }
    if not sg.is_dsl(current_user):
        return {"is_dsl": False}
    return {"is_dsl": True, "sg_new_count": sg.new_count(current_user.school_id)}


def _guide(guide_id: str):
    """A guide in the reader's language, or None if it is no longer in the library."""
    from flask_babel import get_locale

    from app.content import guides

    try:
        return guides().get(guide_id, str(get_locale()))
    except KeyError:
        return None


def _require_dsl() -> None:
    """Staff outside the DSL team do not see the log exist: 404."""
    if not sg.is_dsl(current_user):
        raise NotFound()


def _labels() -> dict:
    """The names of every code a safeguarding page shows."""
    from app.content.topics import TOPICS

    return {
        "about_labels": sg.ABOUT_LABELS,
        "categories": sg.CATEGORIES,
        "parts": sg.PARTS,
        "statuses": sg.STATUSES,
        "referrals": sg.REFERRALS,
        "referral_options": [(key, label) for key, (label, _route) in sg.REFERRALS.items()],
        "pupil_sanctions": dict(sg.sanction_options(current_user.school_id, "pupil")),
        "staff_sanctions": dict(sg.sanction_options(current_user.school_id, "staff")),
        "sanctions": sg.sanction_labels(current_user.school_id),
        "topics": {topic.id: topic.label for topic in TOPICS},
        "kind_labels": sg.KIND_LABELS,
        "today": school_calendar.today(),
    }


# ---- Pupils ----------------------------------------------------------------------------------


@bp.route("/worry", methods=["GET", "POST"])
@allow(Role.PUPIL)
def worry():
    """A pupil says they are worried: what about, and their own words if they like."""
    form = WorryForm()
    if form.validate_on_submit():
        return _send_worry(form.about.data, form.text.data)
    return render_template(
        "safeguarding/worry.html",
        form=form,
        talk_form=TalkForm(),
        mine=sg.own_reports(current_user),
        **_labels(),
    )


@bp.route("/talk", methods=["POST"])
@allow(Role.PUPIL)
def talk():
    """A young pupil's one tap: "I want to talk to my teacher", sent to the DSL team."""
    if not TalkForm().validate_on_submit():
        flash(_("That did not work, so nothing was sent. Please try again."), "error")
        return redirect(url_for("safeguarding.worry"), 303)
    return _send_worry(sg.TALK, None)


def _send_worry(about: str, text: str | None):
    """Send the signed-in pupil's worry to the DSL team, recorded in the audit log with it."""
    report = sg.send_worry(current_user, about, text)
    db.session.flush()
    auditing.note(
        EVENT.SAFEGUARDING_REPORTED,
        current_user.school_id,
        subject_id=current_user.id,
        detail={"report": report.id},
        commit=False,
    )
    db.session.commit()
    return redirect(url_for("safeguarding.worry_sent"), 303)


@bp.route("/worry/sent")
@allow(Role.PUPIL)
def worry_sent():
    """Thank you: who will see it, that they are not in trouble, and who else can help."""
    return render_template("safeguarding/worry_sent.html")


# ---- Staff -----------------------------------------------------------------------------------


def _concern_form() -> ConcernForm:
    """The concern form with the school's pupils to choose from."""
    form = ConcernForm()
    form.pupils.choices = [
        SelectChoice(p.id, f"{p.display_name} ({p.username})", optgroup=str(year_label(p.year)))
        if p.year is not None
        else SelectChoice(p.id, f"{p.display_name} ({p.username})")
        for p in sg.school_pupils(current_user.school_id)
    ]
    return form


@bp.route("/concern", methods=["GET", "POST"])
@allow(*STAFF)
def concern():
    """Any member of staff logs an online-safety concern; they see their own, and if read."""
    form = _concern_form()
    if form.validate_on_submit():
        pupils = [sg.pupil_in_school(current_user, pid) for pid in form.pupils.data]
        try:
            report = sg.log_concern(
                current_user,
                pupils,
                form.text.data,
                form.happened.data,
                form.platform.data,
                form.action_taken.data,
            )
        except sg.SafeguardingError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            db.session.flush()
            auditing.note(
                EVENT.SAFEGUARDING_REPORTED,
                current_user.school_id,
                detail={"report": report.id},
                commit=False,
            )
            db.session.commit()
            flash(_("Sent to your safeguarding team. Thank you."), "success")
            return redirect(url_for("safeguarding.concern"), 303)
    return render_template(
        "safeguarding/concern.html", form=form, mine=sg.own_reports(current_user), **_labels()
    )


# ---- The DSL team ----------------------------------------------------------------------------


@bp.route("/log")
@allow(*STAFF)
def log():
    """The DSL team's inbox of reports not yet in an incident, and every incident."""
    _require_dsl()
    auditing.note(EVENT.SAFEGUARDING_VIEWED, current_user.school_id, detail={"page": "log"})
    return render_template(
        "safeguarding/log.html",
        inbox=sg.inbox(current_user.school_id),
        incidents=sg.incidents(current_user.school_id),
        **_labels(),
    )


@bp.route("/reports/<id:report_id>")
@allow(*STAFF)
def report(report_id: int):
    """One report as its author wrote it; opening it marks it read (the author sees that)."""
    _require_dsl()
    found = sg.report_for_dsl(current_user, report_id)
    begin_write()
    sg.mark_read(found, current_user)
    auditing.note(
        EVENT.SAFEGUARDING_VIEWED,
        current_user.school_id,
        detail={"report": found.id},
        commit=False,
    )
    db.session.commit()
    incident = sg.incident_of(found)
    open_ones = [s for s in sg.incidents(current_user.school_id) if not s.closed]
    return render_template(
        "safeguarding/report.html",
        report=found,
        incident=incident,
        open_incidents=open_ones,
        form=PickForm(),
        **_labels(),
    )


@bp.route("/reports/<id:report_id>/open", methods=["POST"])
@allow(*STAFF)
def open_incident(report_id: int):
    """Open an incident from a report (or add the report to an open incident)."""
    _require_dsl()
    found = sg.report_for_dsl(current_user, report_id)
    if sg.incident_of(found) is not None:
        flash(_("This report is already in an incident."), "error")
        return redirect(url_for("safeguarding.report", report_id=found.id), 303)
    choice = (request.form.get("choice") or "").strip()
    if _int_or_none(choice) is not None:
        incident = sg.incident_for_dsl(current_user, _int_or_none(choice))
        sg.add_report(incident, found, current_user)
    elif choice == "new":
        incident = sg.open_incident(found, current_user)
    else:
        flash(_("Choose a new incident or an open one."), "error")
        return redirect(url_for("safeguarding.report", report_id=found.id), 303)
    db.session.flush()
    auditing.note(
        EVENT.SAFEGUARDING_RECORDED,
        current_user.school_id,
        detail={"incident": incident.id, "report": found.id},
        commit=False,
    )
    db.session.commit()
    return redirect(url_for("safeguarding.incident", incident_id=incident.id), 303)


def _incident_page(incident, form: EntryForm | None = None, error: str | None = None, code=200):
    """The incident page: its state, chronology and the forms that add to it."""
    found = sg.state(incident)
    from app.safeguarding.loop import loop_context

    return (
        render_template(
            "safeguarding/incident.html",
            found=found,
            form=form or EntryForm(),
            error=error,
            sent=dict(request.form) if form else {},
            school_pupils=[
                (p.id, f"{p.display_name} ({p.username})")
                for p in sg.school_pupils(incident.school_id)
            ],
            lesson_title=lessons().title,
            **loop_context(found),
            **_labels(),
        ),
        code,
    )


@bp.route("/incidents/<id:incident_id>")
@allow(*STAFF)
def incident(incident_id: int):
    """One incident: pupils and their part, category, chronology, referrals, sanctions."""
    _require_dsl()
    found = sg.incident_for_dsl(current_user, incident_id)
    auditing.note(EVENT.SAFEGUARDING_VIEWED, current_user.school_id, detail={"incident": found.id})
    return _incident_page(found)


def _int_or_none(text: str | None) -> int | None:
    """A database id (app.ids.parse_id: within PostgreSQL's integer range) from a form field, or
    None (an 11-digit number was a 500 on PostgreSQL, found by the fuzz test)."""
    try:
        return parse_id((text or "").strip())
    except ValueError:
        return None


@bp.route("/incidents/<id:incident_id>/entries", methods=["POST"])
@allow(*STAFF)
def add_entry(incident_id: int):
    """Add one line to an incident (an action, a referral, a sanction, a correction, ...)."""
    _require_dsl()
    found = sg.incident_for_dsl(current_user, incident_id)
    form = EntryForm()
    if not form.validate_on_submit():
        return _incident_page(found, form, _("Choose what to record and fill it in."), 400)
    pupil_id = _int_or_none(form.pupil.data)
    pupil = db.session.get(User, pupil_id) if pupil_id else None
    corrects_id = _int_or_none(form.corrects.data)
    corrects = db.session.get(IncidentEntry, corrects_id) if corrects_id else None
    try:
        entry = sg.add_entry(
            found,
            current_user,
            form.kind.data.strip(),
            value=(form.value.data or "").strip() or None,
            text=form.text.data,
            pupil=pupil,
            corrects=corrects,
        )
    except sg.SafeguardingError as error:
        return _incident_page(found, form, str(error.message), 400)
    db.session.flush()
    auditing.note(
        EVENT.SAFEGUARDING_RECORDED,
        current_user.school_id,
        subject_id=entry.pupil_id,
        detail={"incident": found.id, "entry": entry.kind},
        commit=False,
    )
    db.session.commit()
    flash(_("Added to the record."), "success")
    return redirect(url_for("safeguarding.incident", incident_id=found.id), 303)


# ---- Exports ---------------------------------------------------------------------------------


def _exported(what: str, **detail) -> None:
    """Record an export in the audit log."""
    auditing.note(
        EVENT.SAFEGUARDING_EXPORTED, current_user.school_id, detail={"export": what, **detail}
    )


def _csv(states, name: str, pupil: User | None = None) -> Response:
    """A CSV download of incidents (of one pupil's rows only, for their file)."""
    return Response(
        to_csv(csv_rows(states, pupil)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/log.csv")
@allow(*STAFF)
def log_csv():
    """The whole log as CSV, one row per pupil per incident."""
    _require_dsl()
    _exported("log_csv")
    return _csv(sg.incidents(current_user.school_id), export_name("incident-log"))


@bp.route("/log/print")
@allow(*STAFF)
def log_print():
    """The whole log as printable pages."""
    _require_dsl()
    _exported("log_print")
    return _printable(_("Online-safety incident log"), sg.incidents(current_user.school_id))


@bp.route("/incidents/<id:incident_id>/export.csv")
@allow(*STAFF)
def incident_csv(incident_id: int):
    """One incident as CSV."""
    _require_dsl()
    found = sg.incident_for_dsl(current_user, incident_id)
    _exported("incident_csv", incident=found.id)
    return _csv([sg.state(found)], export_name(f"incident-{found.id}"))


@bp.route("/incidents/<id:incident_id>/print")
@allow(*STAFF)
def incident_print(incident_id: int):
    """One incident as printable pages."""
    _require_dsl()
    found = sg.incident_for_dsl(current_user, incident_id)
    _exported("incident_print", incident=found.id)
    return _printable(_("Incident %(n)s", n=found.id), [sg.state(found)])


@bp.route("/pupils/<id:user_id>/file.csv")
@allow(*STAFF)
def pupil_csv(user_id: int):
    """A pupil's incident file as CSV (to go with their file when they leave)."""
    pupil = _pupil_file(user_id, "pupil_csv")
    return _csv(sg.incidents_of_pupil(pupil), export_name(f"pupil-{pupil.username}"), pupil=pupil)


@bp.route("/pupils/<id:user_id>/file")
@allow(*STAFF)
def pupil_print(user_id: int):
    """A pupil's incident file as printable pages: every report about them and every incident."""
    pupil = _pupil_file(user_id, "pupil_print")
    return _printable(
        _("Safeguarding file: %(name)s", name=pupil.display_name),
        sg.incidents_of_pupil(pupil),
        reports=sg.reports_about(pupil),
        pupil=pupil,
    )


def _pupil_file(user_id: int, export: str) -> User:
    """The pupil whose file the DSL exports (as export), with the export recorded."""
    _require_dsl()
    pupil = sg.pupil_in_school(current_user, user_id)
    auditing.note(
        EVENT.SAFEGUARDING_EXPORTED,
        current_user.school_id,
        subject_id=pupil.id,
        detail={"export": export},
    )
    return pupil


def _printable(title: str, states, reports=(), **extra):
    """Incidents (and reports) as printable pages."""
    return render_template(
        "safeguarding/print.html",
        title=title,
        states=states,
        reports=list(reports),
        **extra,
        **_labels(),
    )


@bp.route("/audit")
@allow(*STAFF)
def audit_log():
    """Every view, export and change of a safeguarding record, for the DSL team to read.

    Reading it is recorded too (the admin's security log shows who read it).
    """
    _require_dsl()
    auditing.note(EVENT.AUDIT_VIEWED, current_user.school_id, detail={"log": "incident_log"})
    return render_template("safeguarding/audit.html", **log_context(audit.SAFEGUARDING_LOG))


@bp.route("/sanctions", methods=["GET", "POST"])
@allow(*STAFF)
def sanctions():
    """The school's sanctions matrices: the defaults of seed policy 001, shown or hidden, and
    sanctions of the school's own. Every change is a new row; a recorded sanction never changes.
    """
    _require_dsl()
    form = SanctionForm()
    error = None
    if form.is_submitted():
        action, audience = (form.action.data or "").strip(), (form.audience.data or "").strip()
        try:
            if not form.validate():
                raise sg.SafeguardingError("form", _("Please try again."))
            if action == "add":
                row = sg.add_sanction(current_user, audience, form.label.data)
            elif action in ("hide", "show"):
                key = (form.choice.data or "").strip()
                row = sg.change_sanction(current_user, audience, key, action == "show")
            else:
                raise sg.SafeguardingError("action", _("Choose one of the options."))
        except sg.SafeguardingError as problem:
            error = str(problem.message)
        else:
            db.session.flush()
            auditing.note(
                EVENT.SAFEGUARDING_RECORDED,
                current_user.school_id,
                detail={"sanctions": action, "key": row.key},
                commit=False,
            )
            db.session.commit()
            flash(_("The sanctions matrix is saved."), "success")
            return redirect(url_for("safeguarding.sanctions"), 303)
    return render_template(
        "safeguarding/sanctions.html",
        matrices=[(a, sg.sanction_matrix(current_user.school_id, a)) for a in sg.AUDIENCES],
        error=error,
        sent=request.form,
    ), (400 if error else 200)

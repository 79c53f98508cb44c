"""School settings: AUP frequency, the school year's start, teachers' MFA, a new AUP version."""

from __future__ import annotations

from flask import abort, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import auditing
from app.content import aups
from app.content.aup import DEFAULT_LOCALE
from app.coordinator import bp
from app.coordinator.forms import (
    AupFormForm,
    PublishForm,
    TeacherMfaForm,
    YearStartForm,
    frequency_form,
)
from app.coordinator.routes import FREQUENCY_LABELS, page_context
from app.htmx import redirect_to
from app.models import Frequency
from app.services import audit, school_calendar
from app.services import school_settings as settings_service


def _audiences() -> dict[str, str]:
    """Each audience with the title of its current AUP at the coordinator's school."""
    school, today = current_user.school, school_calendar.today()
    return {
        a: settings_service.current_aup(school.id, a, DEFAULT_LOCALE, today).title
        for a in aups().audiences()
    }


def _render(freq_form=None, year_form=None, status: int = 200):
    """The settings page with both forms (keeping whatever was typed into one of them)."""
    school = current_user.school
    current = {f"freq_{a}": f.value for a, f in settings_service.frequencies(school).items()}
    year = {"day": school.year_start_day, "month": school.year_start_month}
    page = render_template(
        "coordinator/settings.html",
        freq_form=freq_form or frequency_form(_audiences(), FREQUENCY_LABELS, current),
        year_form=year_form or YearStartForm(data=year),
        mfa_form=TeacherMfaForm(data={"required": school.mfa_for_teachers}),
        aup_form_form=AupFormForm(data={"full_every_time": school.aup_full_every_time}),
        audiences=_audiences(),
        upcoming=settings_service.upcoming(school.id, school_calendar.today()),
        **page_context(school),
    )
    return page, status


@bp.route("/settings")
def settings():
    """The school's AUP frequencies, school year start and AUP versions."""
    return _render()


@bp.route("/settings/frequency", methods=["POST"])
def save_frequency():
    """Save how often each audience accepts its AUP."""
    form = frequency_form(_audiences(), FREQUENCY_LABELS)
    if not form.validate_on_submit():
        return _render(freq_form=form, status=400)
    for audience in _audiences():
        value = getattr(form, f"freq_{audience}").data
        settings_service.set_frequency(current_user.school, audience, Frequency(value))
    flash(_("AUP frequencies saved."), "success")
    return redirect_to(url_for("coordinator.settings"))


@bp.route("/settings/aup-form", methods=["POST"])
def save_aup_form():
    """Save whether pupils read their AUP's full text at every sign-in; audited."""
    form = AupFormForm()
    if not form.validate_on_submit():
        return _render(status=400)
    school, full = current_user.school, bool(form.full_every_time.data)
    if school.aup_full_every_time != full:
        settings_service.set_aup_full_every_time(school, full)
        auditing.note(audit.Event.AUP_FORM_CHANGED, school.id, detail={"full_every_time": full})
    flash(
        _("Pupils will read the whole agreement at every sign-in.")
        if full
        else _(
            "Pupils will see the short form at most sign-ins, and the whole agreement "
            "when it matters."
        ),
        "success",
    )
    return redirect_to(url_for("coordinator.settings"))


@bp.route("/settings/year-start", methods=["POST"])
def save_year_start():
    """Save the first day of the school year."""
    form = YearStartForm()
    if not form.validate_on_submit():
        return _render(year_form=form, status=400)
    settings_service.set_year_start(current_user.school, form.day.data, form.month.data)
    flash(_("School year start saved."), "success")
    return redirect_to(url_for("coordinator.settings"))


@bp.route("/settings/teacher-mfa", methods=["POST"])
def save_teacher_mfa():
    """Save whether teachers sign in with an authenticator app (off by default)."""
    form = TeacherMfaForm()
    if not form.validate_on_submit():
        return _render(status=400)
    settings_service.set_teacher_mfa(current_user.school, form.required.data)
    flash(
        _("Teachers will be asked to set up an authenticator app when they next sign in.")
        if form.required.data
        else _("Teachers sign in with their password only."),
        "success",
    )
    return redirect_to(url_for("coordinator.settings"))


@bp.route("/settings/aup/<audience>", methods=["GET", "POST"])
def publish_aup(audience: str):
    """Edit the current text of an audience's AUP and publish it as a new version."""
    if audience not in aups().audiences():
        abort(404)
    school, today = current_user.school, school_calendar.today()
    current = settings_service.current_aup(school.id, audience, DEFAULT_LOCALE, today)
    draft = settings_service.draft_from(current, today)
    form = PublishForm(data={**draft.__dict__, "statements": "\n".join(draft.statements)})
    if form.validate_on_submit():
        lines = [line.strip() for line in form.statements.data.splitlines() if line.strip()]
        fields = {k: getattr(form, k).data for k in ("version", "effective", "title", "intro",
                  "closing", "decline_message")}  # fmt: skip
        new = settings_service.Draft(audience=audience, statements=lines, **fields)
        aup, problems = settings_service.publish(school, new, current_user, today)
        if aup is not None:
            flash(_("Version %(v)s published.", v=aup.version), "success")
            return redirect_to(url_for("coordinator.settings"))
        for name, problem in problems:
            getattr(form, name, form.statements).errors.append(problem)
    status = 400 if form.errors else 200
    return render_template(
        "coordinator/publish.html", form=form, current=current, audience=audience,
        **page_context(school),
    ), status  # fmt: skip

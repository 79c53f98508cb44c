"""The teacher's home page and class pages: progress grid, CSV export and question analysis."""

from __future__ import annotations

from flask import Response, abort, flash, render_template, request, url_for
from flask_babel import format_time
from flask_babel import gettext as _
from flask_login import current_user

from app import auditing
from app.auth.forms import EmptyForm
from app.content import lessons
from app.htmx import redirect_to, wants_partial
from app.models import utcnow
from app.reporting import class_progress, misconceptions
from app.services import (
    assignments,
    audit,
    auth,
    compliance,
    people,
    school_access,
    school_calendar,
    teaching_record,
    understanding,
)
from app.services.roster import visible_classes
from app.teacher import bp
from app.teacher.lookup import lesson_or_abort


@bp.route("/")
def home():
    """The classes this member of staff teaches (all the school's, for coordinators and admins)."""
    classes = visible_classes(current_user)
    set_counts = assignments.active_counts(current_user.school_id, classes)
    due = teaching_record.classes_needing_introduction(current_user, school_calendar.today())
    return render_template(
        "teacher/home.html", classes=classes, set_counts=set_counts, introductions_due=due
    )


def _grid(school_class):
    """The progress grid for a class, sorted as the query string asks."""
    return class_progress.grid(
        school_class,
        assignments.for_class(school_class),
        lessons(),
        school_calendar.today(),
        sort=request.args.get("sort", "name"),
        descending=request.args.get("order") == "desc",
    )


@bp.route("/classes/<id:class_id>")
def class_page(class_id: int):
    """A class: its progress grid, what is set, what was taught and its pupils."""
    school_class = school_access.class_for_staff(current_user, class_id)
    grid = _grid(school_class)
    if wants_partial():  # the grid's sort links, Refresh button and 60-second refresh
        return render_template("teacher/_grid.html", grid=grid, cls=school_class)
    set_now = assignments.for_class(school_class)
    notes = {a.id: assignments.band_notes(a.module, school_class.year, lessons()) for a in set_now}
    return render_template(
        "teacher/class.html", cls=school_class, grid=grid, set_now=set_now, notes=notes,
        taught=[(t, lessons().title(t.lesson_id))
               for t in assignments.taught_in_class(school_class)],
        outstanding=compliance.outstanding_for_class(school_class),
        understood=understanding.for_class(school_class, school_calendar.today()),
        sign_in=_picture_sign_in(school_class), sign_in_form=EmptyForm(),
        may_print_cards=people.may_print_cards(current_user, school_class),
    )  # fmt: skip


def _picture_sign_in(school_class) -> dict | None:
    """What the class page shows of picture sign-in: None for a class without picture pupils."""
    if not auth.picture_pupils(school_class):
        return None
    if not auth.sign_in_open(school_class, utcnow()):
        return {"open": False}
    code = school_class.sign_in_code
    if len(code) == auth.CODE_LENGTH:
        code = f"{code[:3]} {code[3:]}"  # two groups of three are easier to copy
    return {
        "open": True,
        "code": code,
        "until": format_time(school_class.sign_in_code_expires_at, "short"),
    }


@bp.route("/classes/<id:class_id>/picture-sign-in", methods=["POST"])
def open_picture_sign_in(class_id: int):
    """Open picture sign-in for the class with a fresh code (the old one stops working)."""
    school_class = school_access.class_for_staff(current_user, class_id)
    if not EmptyForm().validate_on_submit() or not auth.picture_pupils(school_class):
        abort(400)
    auth.open_picture_sign_in(school_class, utcnow())
    return redirect_to(url_for("teacher.class_page", class_id=class_id) + "#sign-in-title")


@bp.route("/classes/<id:class_id>/picture-sign-in/end", methods=["POST"])
def end_picture_sign_in(class_id: int):
    """End picture sign-in for the class: its code stops working at once."""
    school_class = school_access.class_for_staff(current_user, class_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    auth.end_picture_sign_in(school_class)
    flash(_("Picture sign-in has ended for class %(name)s.", name=school_class.name), "success")
    return redirect_to(url_for("teacher.class_page", class_id=class_id))


@bp.route("/classes/<id:class_id>/progress.csv")
def progress_csv(class_id: int):
    """The class's progress grid as a spreadsheet, safe to open in Excel."""
    school_class = school_access.class_for_staff(current_user, class_id)
    today = school_calendar.today()
    heading = [
        (_("School"), current_user.school.name),
        (_("Class"), school_class.name),
        (_("Date"), today.isoformat()),
    ]
    labels = {
        "pupil": _("Pupil"), "score": _("best quiz score, per cent"), "overdue": _("overdue"),
        "not_started": _("not started"), "in_progress": _("in progress"), "done": _("done"),
    }  # fmt: skip
    text = class_progress.to_csv(_grid(school_class), heading, labels)
    name = f"lantern-progress-{school_class.id}-{today.isoformat()}.csv"
    auditing.note(
        audit.Event.EXPORT,
        school_class.school_id,
        detail={"export": "class_progress", "class_id": school_class.id},
    )
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/classes/<id:class_id>/quiz/<lesson_id>")
def quiz_analysis(class_id: int, lesson_id: str):
    """Per question: right first time and the top wrong answer; the class's top misconceptions."""
    school_class = school_access.class_for_staff(current_user, class_id)
    lesson = lesson_or_abort(lesson_id)
    stats, attempted = class_progress.question_analysis(school_class, lesson.id, lessons())
    common = misconceptions.for_class(
        school_class, school_class.school, lessons(), school_calendar.today()
    )
    return render_template(
        "teacher/quiz_analysis.html",
        cls=school_class, lesson=lesson, stats=stats, attempted=attempted, common=common,
    )  # fmt: skip

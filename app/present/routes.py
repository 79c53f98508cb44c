"""Present mode for staff: one step per page, keyboard and clicker, notes apart."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.content import lessons
from app.content.schema import Lesson
from app.ids import parse_id
from app.models import SchoolClass
from app.present import bp
from app.present.aup_deck import aup_slides
from app.present.deck import fragment, render_deck, render_notes
from app.present.forms import TaughtForm
from app.present.lesson_deck import lesson_slides
from app.services import school_access, school_calendar, school_settings, teaching_record
from app.services.roster import visible_classes


def _lesson_or_404(lesson_id: str) -> Lesson:
    """Any lesson in the library (any member of staff may present any lesson), else 404."""
    return lessons().find(lesson_id) or abort(404)


@bp.route("/lesson/<lesson_id>")
def lesson(lesson_id: str):
    """Start presenting a lesson at its first slide."""
    chosen = _lesson_or_404(lesson_id)
    return redirect(url_for("present.lesson_slide", lesson_id=chosen.id, n=1))


@bp.route("/lesson/<lesson_id>/<int:n>")
def lesson_slide(lesson_id: str, n: int):
    """One slide of a lesson on the board; ?reveal=k shows its k-th answer (404 out of range)."""
    shown = request.args.get("reveal", 0, type=int)
    return _lesson_deck(_lesson_or_404(lesson_id), n, None, shown)


@bp.route("/lesson/<lesson_id>/<int:n>/notes")
def lesson_notes(lesson_id: str, n: int):
    """The presenter's notes for one slide of a lesson, for a second window."""
    chosen = _lesson_or_404(lesson_id)
    return render_notes(
        title=chosen.title, slides=_slides(chosen), index=n,
        notes_url=lambda i: url_for("present.lesson_notes", lesson_id=chosen.id, n=i),
        slide_url=lambda i: url_for("present.lesson_slide", lesson_id=chosen.id, n=i),
    )  # fmt: skip


@bp.route("/lesson/<lesson_id>/taught", methods=["POST"])
def mark_taught(lesson_id: str):
    """Record that the lesson was taught to a class on a date, once per class and date."""
    chosen = _lesson_or_404(lesson_id)
    class_id = request.form.get("class_id", type=parse_id)
    if class_id is None:
        abort(400)
    school_class = school_access.class_for_staff(current_user, class_id)
    form = _taught_form()
    if form.validate_on_submit():
        try:
            _, created = teaching_record.mark_taught(
                current_user, school_class, chosen, form.taught_on.data, school_calendar.today()
            )
        except teaching_record.InvalidDate as error:
            form.taught_on.errors.append(str(error))
        else:
            _flash_taught(school_class, form.taught_on.data, created)
            return redirect(_last_slide_url(chosen), 303)
    return _lesson_deck(chosen, len(_slides(chosen)), form), 422


def _taught_form() -> TaughtForm:
    """The mark-as-taught form, offering the classes this member of staff may see."""
    return TaughtForm(taught_on=school_calendar.today()).offer(visible_classes(current_user))


def _flash_taught(school_class: SchoolClass, taught_on, created: bool) -> None:
    """Confirm the record, or say kindly that it was already there."""
    names = {"name": school_class.name, "day": format_date(taught_on, "long")}
    if created:
        flash(_("Marked as taught to %(name)s on %(day)s.", **names), "success")
    else:
        flash(
            _("This lesson was already marked as taught to %(name)s on %(day)s.", **names), "info"
        )


def _last_slide_url(chosen: Lesson) -> str:
    """Where the mark-as-taught form is: the lesson's last slide."""
    count = len(_slides(chosen))
    return url_for("present.lesson_slide", lesson_id=chosen.id, n=count) + "#deck-actions"


def _slides(chosen: Lesson):
    """The lesson's slides, its quiz included."""
    return lesson_slides(chosen, lessons().quiz_for(chosen.id))


def _lesson_deck(chosen: Lesson, n: int, form: TaughtForm | None, shown: int = 0) -> str:
    """A lesson's slide n (answer `shown` revealed), with the mark-as-taught form at the end.

    The form (a new one unless given) is built only for the last slide, where it is shown.
    """

    def actions() -> Markup:
        """The mark-as-taught form."""
        return fragment("present/_mark_taught.html", form=form or _taught_form(), lesson=chosen)

    return render_deck(
        title=chosen.title, slides=_slides(chosen), index=n,
        slide_url=lambda i: url_for("present.lesson_slide", lesson_id=chosen.id, n=i),
        notes_url=url_for("present.lesson_notes", lesson_id=chosen.id, n=n),
        exit_url=url_for("teacher.home"), actions=actions, actions_label=_("Mark as taught"),
        shown=shown,
        reveal_url=lambda i, k: url_for("present.lesson_slide", lesson_id=chosen.id, n=i, reveal=k),
    )  # fmt: skip


@bp.route("/aup/<id:class_id>")
def aup(class_id: int):
    """Start the year-start AUP introduction for a class."""
    school_class = school_access.class_for_staff(current_user, class_id)
    return redirect(url_for("present.aup_slide", class_id=school_class.id, n=1))


@bp.route("/aup/<id:class_id>/<int:n>")
def aup_slide(class_id: int, n: int):
    """One slide of a class's AUP on the board."""
    school_class = school_access.class_for_staff(current_user, class_id)
    shown = _class_aup(school_class)

    def actions() -> Markup:
        """The form recording the introduction, or when it was recorded this year."""
        earlier = teaching_record.introduction_this_year(school_class, school_calendar.today())
        return fragment(
            "present/_record_introduction.html", school_class=school_class, earlier=earlier
        )

    return render_deck(
        title=shown.title, slides=aup_slides(shown, school_class), index=n,
        slide_url=lambda i: url_for("present.aup_slide", class_id=school_class.id, n=i),
        notes_url=url_for("present.aup_notes", class_id=school_class.id, n=n),
        exit_url=url_for("teacher.home"), actions=actions, actions_label=_("Record"),
    )  # fmt: skip


@bp.route("/aup/<id:class_id>/<int:n>/notes")
def aup_notes(class_id: int, n: int):
    """The presenter's notes for one slide of a class's AUP."""
    school_class = school_access.class_for_staff(current_user, class_id)
    shown = _class_aup(school_class)
    return render_notes(
        title=shown.title, slides=aup_slides(shown, school_class), index=n,
        notes_url=lambda i: url_for("present.aup_notes", class_id=school_class.id, n=i),
        slide_url=lambda i: url_for("present.aup_slide", class_id=school_class.id, n=i),
    )  # fmt: skip


@bp.route("/aup/<id:class_id>/introduced", methods=["POST"])
def record_introduction(class_id: int):
    """Record that the class was introduced to its AUP today (once per school year)."""
    school_class = school_access.class_for_staff(current_user, class_id)
    shown = _class_aup(school_class)
    row, created = teaching_record.introduce_aup(
        current_user, school_class, shown, school_calendar.today()
    )
    names = {"name": school_class.name, "day": format_date(row.introduced_on, "long")}
    if created:
        flash(_("Recorded: %(name)s was introduced to the AUP on %(day)s.", **names), "success")
    else:
        flash(
            _("Already recorded: %(name)s was introduced to the AUP on %(day)s.", **names), "info"
        )
    return redirect(url_for("teacher.home"), 303)


def _class_aup(school_class: SchoolClass):
    """The AUP the class's pupils must accept (the school's own version where it has one).

    The same lookup as the AUP gate's (school_settings.current_aup), in the current language.
    """
    audience = teaching_record.class_audience(school_class)
    today = school_calendar.today()
    return school_settings.current_aup(school_class.school_id, audience, str(get_locale()), today)

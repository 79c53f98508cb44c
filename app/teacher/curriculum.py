"""Browsing the curriculum: every lesson by year group and topic, its notes, a pupil's preview."""

from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user

from app.content import lessons
from app.content.order import attempt_seed, quiz_order
from app.content.strands import BANDS
from app.content.topics import TOPICS
from app.htmx import page_or_partial
from app.models.years import YEARS
from app.services import curriculum as catalogue
from app.teacher import bp
from app.teacher.lookup import lesson_or_abort


@bp.app_template_global("module_key")
def module_key(lesson) -> str:
    """The ready-made module holding a lesson, for links that set it (services/curriculum.py)."""
    return catalogue.preset_for(lesson)


@bp.route("/curriculum")
def curriculum():
    """Every lesson, searchable by words and filtered by year group, key stage and topic."""
    args = request.args
    filters = catalogue.Filters.clean(
        args.get("q"), args.get("band"), args.get("topic"), args.get("year")
    )
    found = catalogue.search(lessons(), filters)
    return page_or_partial(
        "teacher/curriculum.html", "teacher/_curriculum_results.html",
        filters=filters, groups=catalogue.grouped(found), count=len(found),
        bands=BANDS, topics=TOPICS, years=YEARS,
    )  # fmt: skip


def present_url(lesson_id: str) -> str | None:
    """The lesson in present mode, when present mode is installed."""
    if "present.lesson" not in current_app.view_functions:
        return None
    return url_for("present.lesson", lesson_id=lesson_id)


@bp.route("/curriculum/<lesson_id>")
def lesson(lesson_id: str):
    """One lesson for the teacher: notes, strands, the quiz with answers and misconceptions."""
    chosen = lesson_or_abort(lesson_id)
    return render_template(
        "teacher/lesson.html",
        lesson=chosen,
        quiz=lessons().quiz_for(chosen.id),
        present_url=present_url(chosen.id),
        preset_key=catalogue.preset_for(chosen),
        statement=lessons().statement,
        rshe_outcome=lessons().rshe_outcome,
    )


@bp.route("/curriculum/<lesson_id>/preview/<step_id>")
def preview(lesson_id: str, step_id: str):
    """A step exactly as pupils see it, read-only: nothing can be answered or recorded."""
    chosen = lesson_or_abort(lesson_id)
    current = chosen.find_step(step_id) or abort(404)
    index = [s.id for s in chosen.steps].index(current.id)
    quiz = lessons().quiz_for(chosen.id)
    # options shuffled as for a pupil's first attempt (seeded with the teacher's own id)
    orders = quiz_order(quiz, attempt_seed(current_user.id, chosen.id, 1))
    return render_template(
        "teacher/preview.html",
        lesson=chosen, step=current, index=index, preview=True,
        quiz=quiz, attempt=1, orders=orders,
        before=chosen.steps[index - 1] if index else None,
        after=chosen.step_after(current.id),
    )  # fmt: skip

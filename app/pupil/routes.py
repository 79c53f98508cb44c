"""The pupil's home page and the lesson player: one step at a time, then the quiz."""

from __future__ import annotations

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.content import lessons
from app.content.kinds import (
    ANSWER_PREFIX,
    InvalidAnswer,
    check_quiz,
    check_step,
    step_kind,
)
from app.content.order import attempt_seed, quiz_order
from app.content.schema import Lesson
from app.htmx import page_or_partial, redirect_to
from app.ids import parse_id
from app.pupil import bp
from app.services import consent, progress, school_calendar


@bp.route("/")
def home():
    """What to do next: modules set for the pupil first, then the rest of their band."""
    page = progress.home(current_user, lessons(), school_calendar.today())
    return render_template(
        "pupil/home.html",
        home=page,
        not_started=progress.NOT_STARTED,
        own_consent=consent.decides_own(current_user),
    )


def _lesson_or_404(lesson_id: str) -> Lesson:
    """A lesson this pupil may open; another is not found, one still to be taught is explained."""
    lesson = lessons().find(lesson_id)
    if lesson is None or not progress.may_open(current_user, lesson):
        abort(404)
    if progress.waits_for_teacher(current_user, lesson):
        page = render_template("pupil/not_yet_taught.html", lesson=lesson)
        abort(make_response(page, 403))  # a teacher-led lesson is met in class first
    return lesson


@bp.route("/lessons/<lesson_id>")
def lesson(lesson_id: str):
    """Open a lesson where the pupil left off, or at its first step."""
    chosen = _lesson_or_404(lesson_id)
    row = progress.progress_for(current_user, chosen)
    step_id = row.current_step if row else chosen.steps[0].id
    if step_id not in {step.id for step in chosen.steps}:  # the lesson changed since
        step_id = chosen.steps[0].id
    return redirect_to(url_for("pupil.step", lesson_id=chosen.id, step_id=step_id))


@bp.route("/lessons/<lesson_id>/<step_id>", methods=["GET", "POST"])
def step(lesson_id: str, step_id: str):
    """Show a step; a POST answers it, saves progress and shows the feedback."""
    chosen = _lesson_or_404(lesson_id)
    current = chosen.find_step(step_id) or abort(404)
    if request.method == "GET":
        return _render(chosen, current)
    kind = step_kind(current)
    if kind.holds_quiz:
        return _submit_quiz(chosen, current)
    if not kind.takes_answer:
        following = chosen.step_after(current.id)
        progress.advance(current_user, chosen, _hash(chosen), following.id)
        # a plain redirect: htmx follows it and swaps the next step into the player
        return redirect(url_for("pupil.step", lesson_id=chosen.id, step_id=following.id), 303)
    try:
        result = check_step(current, request.form)
    except InvalidAnswer:
        return _bad_answer()
    following = getattr(result, "next_step", None) or chosen.step_after(current.id).id
    progress.record_step(current_user, chosen, _hash(chosen), result, following)
    return _render(chosen, current, result=result, following=following)


def _hash(chosen: Lesson) -> str:
    """The content hash progress rows keep, to know which text a pupil saw."""
    return lessons().content_hash(chosen.id)


def _render(chosen: Lesson, current, **context):
    """The player for one step: the whole page, or just the player for htmx."""
    index = [s.id for s in chosen.steps].index(current.id)
    extra = {}
    if step_kind(current).holds_quiz:
        quiz = lessons().quiz_for(chosen.id)
        number = progress.next_attempt_number(current_user, chosen)
        extra = {
            "quiz": quiz,
            "attempt": number,
            "orders": quiz_order(quiz, attempt_seed(current_user.id, chosen.id, number)),
        }
    return page_or_partial(
        "pupil/step.html", "pupil/_player.html",
        lesson=chosen, step=current, index=index, **extra, **context,
    )  # fmt: skip


def _submit_quiz(chosen: Lesson, current):
    """Grade the quiz, keep the attempt with every answer, then show the result."""
    quiz = lessons().quiz_for(chosen.id)
    number = request.form.get("attempt", type=parse_id)
    given = {q.id: request.form.getlist(ANSWER_PREFIX + q.id) for q in quiz.questions}
    if number is not None and not all(given.values()):
        # a question left blank (a "choose all" one cannot be required in HTML): show the quiz
        # again with every answer kept and the blank ones named; nothing is recorded
        unanswered = [n for n, q in enumerate(quiz.questions, 1) if not given[q.id]]
        return _render(chosen, current, given=given, unanswered=unanswered)
    try:
        result = check_quiz(quiz, request.form)
    except InvalidAnswer:
        return _bad_answer()
    if number is None:
        return _bad_answer()
    try:
        progress.record_quiz(current_user, chosen, _hash(chosen), quiz, result, number)
    except progress.AlreadySubmitted:
        message = _("You have already handed in this quiz. Your answers are saved.")
        return _bad_answer(message)
    return redirect_to(url_for("pupil.quiz_result", lesson_id=chosen.id, number=number))


def _bad_answer(message: str | None = None):
    """A clear 400 for an answer that does not fit the question; nothing is recorded."""
    text = message or _("That answer does not fit this question. Please go back and try again.")
    page = render_template("error.html", code=400, message=text)
    return make_response(page, 400)


@bp.route("/lessons/<lesson_id>/quiz/<id:number>")
def quiz_result(lesson_id: str, number: int):
    """The pupil's own result for one quiz attempt, with feedback on every answer."""
    chosen = _lesson_or_404(lesson_id)
    attempt = progress.attempt(current_user, chosen, number)
    if attempt is None:
        abort(404)
    shown = progress.review(attempt, lessons().quiz_for(chosen.id), _hash(chosen))
    return render_template("pupil/quiz_result.html", lesson=chosen, attempt=attempt, review=shown)

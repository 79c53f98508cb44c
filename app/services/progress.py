"""Pupils' progress: which lessons a pupil may open, saving each step, and quiz attempts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.content.kinds import (
    QuestionResult,
    QuizResult,
    StepResult,
    step_kind,
)
from app.content.library import Library, RemovedLesson
from app.content.order import attempt_seed, option_order
from app.content.schema import Lesson, Question, Quiz
from app.content.strands import band_for_year
from app.extensions import db
from app.models import (
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
    QuizMisconception,
    StepResponse,
    User,
    utcnow,
)
from app.services import assignments


class AlreadySubmitted(Exception):
    """This quiz attempt was submitted already (a double submit, or a second tab)."""


@dataclass(frozen=True)
class Status:
    """How far a pupil has got with one lesson, for their home page."""

    state: str  # "not_started", "in_progress" or "done"
    current_step: str | None = None
    percent: int | None = None  # latest quiz score
    attempts: int = 0


NOT_STARTED = Status("not_started")


def pupil_band(pupil: User) -> str:
    """The content band of a pupil's year group (Reception uses KS1)."""
    return band_for_year(pupil.year if pupil.year is not None else 0)


def may_open(pupil: User, lesson: Lesson) -> bool:
    """Pupils open their own band's lessons and any lesson set for them, from any band."""
    return lesson.band == pupil_band(pupil) or assignments.is_set_for(pupil, lesson.id)


def waits_for_teacher(
    pupil: User, lesson: Lesson, taught_on: Mapping[str, date] | None = None
) -> bool:
    """Whether a teacher-led lesson is still to be taught to the pupil's class before they open it.

    taught_on, when given, is the home page's map of lessons taught to the pupil's classes.
    """
    if not lesson.teacher_led:
        return False
    if taught_on is not None:
        return lesson.id not in taught_on
    return not assignments.taught_to(pupil, lesson.id)


def lessons_for(pupil: User, library: Library) -> tuple[Lesson, ...]:
    """The lessons a pupil may see on their home page."""
    return library.by_band(pupil_band(pupil))


@dataclass(frozen=True)
class SetForPupil:
    """A module set for the pupil with its lessons, and whether it is overdue."""

    module: assignments.SetModule
    lessons: tuple[Lesson | RemovedLesson, ...]
    overdue: bool


@dataclass(frozen=True)
class Home:
    """The pupil's home page: modules set for them, then their year's lessons, then the band's.

    The band's other lessons are split into earlier years' (to revise) and later years' (for a
    mixed-age class, or a pupil ready for more); each list keeps progress-first order.
    """

    set_modules: tuple[SetForPupil, ...]
    own_year: tuple[Lesson, ...]
    revise: tuple[Lesson, ...]
    later: tuple[Lesson, ...]
    statuses: dict[str, Status]
    taught_on: dict[str, date]
    waiting: frozenset[str]  # teacher-led lessons not yet taught to the pupil's class


def by_year(pupil: User, found: list[Lesson]) -> tuple[list[Lesson], list[Lesson], list[Lesson]]:
    """Split lessons into the pupil's own year's, earlier years' (newest first) and later ones."""
    year = pupil.year if pupil.year is not None else 0
    own = [x for x in found if year in x.years]
    earlier = sorted(
        (x for x in found if year not in x.years and max(x.years) < year),
        key=lambda x: -max(x.years),
    )
    later = [x for x in found if year not in x.years and max(x.years) > year]
    return own, earlier, later


def home(pupil: User, library: Library, today: date) -> Home:
    """What a pupil sees first: what is set for them, then their band in progress-first order."""
    plan, taught_on = assignments.pupil_plan(pupil)
    listed = {module: library.listed(module.lesson_ids) for module in plan}
    set_ids = [lid for module in plan for lid in module.lesson_ids]
    rest = [x for x in lessons_for(pupil, library) if x.id not in set_ids]
    found = statuses(pupil, list(dict.fromkeys(set_ids + [x.id for x in rest])))
    done = {lid for lid, status in found.items() if status.state == "done"}
    to_do = {module: {x.id for x in listed[module] if not x.removed} - done for module in plan}
    set_modules = tuple(
        SetForPupil(
            module,
            listed[module],
            module.due_on is not None and module.due_on < today and bool(to_do[module]),
        )  # a removed lesson cannot be done, so it never makes a module overdue
        for module in plan
    )
    order = {"in_progress": 0, "not_started": 1, "done": 2}
    own, earlier, later = by_year(pupil, rest)
    for part in (own, later):  # earlier years stay newest first: last year's lessons to revise
        part.sort(key=lambda lesson: order[found.get(lesson.id, NOT_STARTED).state])
    shown = [x for m in set_modules for x in m.lessons if not x.removed] + rest
    waiting = frozenset(x.id for x in shown if waits_for_teacher(pupil, x, taught_on))
    return Home(set_modules, tuple(own), tuple(earlier), tuple(later), found, taught_on, waiting)


def statuses(pupil: User, lesson_ids: list[str]) -> dict[str, Status]:
    """Status of each lesson for a pupil, in one query whatever the number of lessons."""
    latest = (
        sa.select(QuizAttempt.lesson_id, sa.func.max(QuizAttempt.number).label("number"))
        .where(QuizAttempt.pupil_id == pupil.id, QuizAttempt.lesson_id.in_(lesson_ids))
        .group_by(QuizAttempt.lesson_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(LessonProgress, QuizAttempt.percent, QuizAttempt.number)
        .outerjoin(latest, latest.c.lesson_id == LessonProgress.lesson_id)
        .outerjoin(
            QuizAttempt,
            sa.and_(
                QuizAttempt.pupil_id == pupil.id,
                QuizAttempt.lesson_id == latest.c.lesson_id,
                QuizAttempt.number == latest.c.number,
            ),
        )
        .where(LessonProgress.pupil_id == pupil.id, LessonProgress.lesson_id.in_(lesson_ids))
    )
    return {
        row.lesson_id: Status(
            "done" if row.completed_at else "in_progress", row.current_step, percent, number or 0
        )
        for row, percent, number in rows
    }


def progress_for(pupil: User, lesson: Lesson) -> LessonProgress | None:
    """The pupil's progress row for a lesson, if they have started it."""
    return db.session.scalar(
        sa.select(LessonProgress).where(
            LessonProgress.pupil_id == pupil.id, LessonProgress.lesson_id == lesson.id
        )
    )


def _progress(pupil: User, lesson: Lesson, content_hash: str) -> LessonProgress:
    """The progress row, created at the lesson's first step when the pupil starts."""
    row = progress_for(pupil, lesson)
    if row is None:
        row = LessonProgress(
            pupil_id=pupil.id,
            lesson_id=lesson.id,
            lesson_version=lesson.version,
            content_hash=content_hash,
            current_step=lesson.steps[0].id,
        )
        db.session.add(row)
    return row


def advance(pupil: User, lesson: Lesson, content_hash: str, to_step: str) -> None:
    """Save that the pupil has moved on to a step."""
    _progress(pupil, lesson, content_hash).current_step = to_step
    db.session.commit()


def record_step(
    pupil: User, lesson: Lesson, content_hash: str, result: StepResult, to_step: str
) -> None:
    """Save a pupil's answer to an activity step (their latest answer wins) and move them on."""
    row = _progress(pupil, lesson, content_hash)
    row.current_step = to_step
    db.session.flush()
    response = db.session.scalar(
        sa.select(StepResponse).where(
            StepResponse.progress_id == row.id, StepResponse.step_id == result.step_id
        )
    ) or StepResponse(progress_id=row.id, step_id=result.step_id)
    step = lesson.step(result.step_id)
    response.answer, response.score, response.total = step_kind(step).stored(result)
    db.session.add(response)
    db.session.commit()


def next_attempt_number(pupil: User, lesson: Lesson) -> int:
    """The number the pupil's next quiz attempt for this lesson will have."""
    done = db.session.scalar(
        sa.select(sa.func.count(QuizAttempt.id)).where(
            QuizAttempt.pupil_id == pupil.id, QuizAttempt.lesson_id == lesson.id
        )
    )
    return done + 1


def record_quiz(
    pupil: User, lesson: Lesson, content_hash: str, quiz: Quiz, result: QuizResult, number: int
) -> QuizAttempt:
    """Keep a quiz attempt with every answer as shown and mark the lesson done; refuse a double."""
    if number != next_attempt_number(pupil, lesson):
        raise AlreadySubmitted
    seed = attempt_seed(pupil.id, lesson.id, number)
    attempt = QuizAttempt(
        pupil_id=pupil.id, lesson_id=lesson.id, lesson_version=lesson.version,
        content_hash=content_hash, number=number, score=result.score, total=result.total,
        percent=result.percent, passed=result.passed, needed=quiz.needed_to_pass(result.total),
        answers=[QuizAnswer(question_id=q.question_id, chosen=sorted(q.chosen), correct=q.correct,
                            shown=_shown(quiz.question(q.question_id), q, seed),
                            misconceptions=[QuizMisconception(misconception_id=m)
                                            for m in dict.fromkeys(q.misconceptions)])
                 for q in result.questions],
    )  # fmt: skip
    progress = _progress(pupil, lesson, content_hash)
    progress.current_step = lesson.steps[-1].id
    progress.completed_at = progress.completed_at or utcnow()
    db.session.add(attempt)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise AlreadySubmitted from None
    return attempt


def _shown(question: Question, result: QuestionResult, seed: str) -> dict:
    """What the pupil saw of one question, in the order shown, and what the result page shows.

    Kept so the result reads the same, and the class's analysis counts an answer only against
    the option it was, even if the quiz file changes later.
    """
    order = option_order(question, seed)
    picked = {f.option_id: f for f in result.feedback}
    return {
        "question": question.text,
        "options": [[option.id, option.text] for option in order],
        "chosen": [
            {"text": option.text, "feedback": picked[option.id].feedback}
            for option in order
            if option.id in picked
        ],
        "right": [option.text for option in order if option.correct],
        "missed": len(result.missed),
    }


@dataclass(frozen=True)
class ChosenShown:
    """An option the pupil chose, with its feedback; text None if it has left the quiz since."""

    text: str | None
    feedback: str


@dataclass(frozen=True)
class AnswerShown:
    """One answer on the result page, with the verdict recorded when it was handed in."""

    question: str | None  # None: a question that has left the quiz since (an old attempt)
    correct: bool
    chosen: tuple[ChosenShown, ...]
    right: tuple[str, ...]  # the right answers' text, when known as they were
    missed: int


@dataclass(frozen=True)
class Review:
    """A quiz attempt as the pupil handed it in, and whether the quiz has changed since."""

    answers: tuple[AnswerShown, ...]
    needed: int
    changed: bool


def review(attempt: QuizAttempt, quiz: Quiz, content_hash: str) -> Review:
    """Show an attempt from its stored answers and verdicts; it is never graded again.

    Attempts from before answers kept their text fall back on the quiz as it is now, matched
    by id, and leave out the right answers if the quiz has changed (they may be new ones).
    """
    changed = attempt.content_hash != content_hash
    answers = tuple(
        _from_stored(answer.shown, answer.correct)
        if answer.shown is not None
        else _from_quiz(answer, quiz, changed)
        for answer in attempt.answers
    )
    needed = attempt.needed if attempt.needed is not None else quiz.needed_to_pass(attempt.total)
    return Review(answers, needed, changed)


def _from_stored(shown: dict, correct: bool) -> AnswerShown:
    """An answer from the text kept when it was handed in."""
    chosen = tuple(ChosenShown(c["text"], c["feedback"]) for c in shown["chosen"])
    return AnswerShown(shown["question"], correct, chosen, tuple(shown["right"]), shown["missed"])


def _from_quiz(answer: QuizAnswer, quiz: Quiz, changed: bool) -> AnswerShown:
    """An older answer, without kept text, shown through the quiz's current text by id."""
    question = next((q for q in quiz.questions if q.id == answer.question_id), None)
    options = {o.id: o for o in question.options} if question else {}
    chosen = tuple(
        ChosenShown(options[x].text, options[x].feedback) if x in options else ChosenShown(None, "")
        for x in answer.chosen
    )
    if question is None or changed:
        return AnswerShown(question and question.text, answer.correct, chosen, (), 0)
    right = tuple(o.text for o in question.options if o.correct)
    missed = len(question.correct_ids() - set(answer.chosen))
    return AnswerShown(question.text, answer.correct, chosen, right, missed)


def attempt(pupil: User, lesson: Lesson, number: int) -> QuizAttempt | None:
    """One of the pupil's own quiz attempts for a lesson."""
    return db.session.scalar(
        sa.select(QuizAttempt).where(
            QuizAttempt.pupil_id == pupil.id,
            QuizAttempt.lesson_id == lesson.id,
            QuizAttempt.number == number,
        )
    )

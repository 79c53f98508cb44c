"""Pupils' progress: which lessons a pupil may open, saving each step, and quiz attempts."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.content.kinds import QuizResult, ScenarioResult, SortResult, StepResult, TrueFalseResult
from app.content.library import Library
from app.content.schema import Lesson
from app.content.strands import band_for_year
from app.extensions import db
from app.models import LessonProgress, QuizAnswer, QuizAttempt, StepResponse, User, utcnow


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
    """Pupils open their own band's lessons (and, later, those assigned to them)."""
    return lesson.band == pupil_band(pupil)


def lessons_for(pupil: User, library: Library) -> tuple[Lesson, ...]:
    """The lessons a pupil may see on their home page."""
    return library.by_band(pupil_band(pupil))


def statuses(pupil: User, lesson_ids: list[str]) -> dict[str, Status]:
    """Status of each lesson for a pupil, in two queries whatever the number of lessons."""
    progress = db.session.scalars(
        sa.select(LessonProgress).where(
            LessonProgress.pupil_id == pupil.id, LessonProgress.lesson_id.in_(lesson_ids)
        )
    ).all()
    latest = _latest_attempts(pupil.id, lesson_ids)
    result = {}
    for row in progress:
        attempt = latest.get(row.lesson_id)
        state = "done" if row.completed_at else "in_progress"
        result[row.lesson_id] = Status(
            state, row.current_step, attempt.percent if attempt else None,
            attempt.number if attempt else 0,
        )  # fmt: skip
    return result


def _latest_attempts(pupil_id: int, lesson_ids: list[str]) -> dict[str, QuizAttempt]:
    """Each lesson's most recent quiz attempt by this pupil."""
    attempts = db.session.scalars(
        sa.select(QuizAttempt)
        .where(QuizAttempt.pupil_id == pupil_id, QuizAttempt.lesson_id.in_(lesson_ids))
        .order_by(QuizAttempt.number)
    )
    return {attempt.lesson_id: attempt for attempt in attempts}


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
    response.answer, response.score, response.total = _answer(result)
    db.session.add(response)
    db.session.commit()


def _answer(result: StepResult) -> tuple[dict, int | None, int | None]:
    """What to store of a step result: the answer itself and any score."""
    if isinstance(result, ScenarioResult):
        return {"choice": result.choice_id, "outcome": result.outcome}, None, None
    if isinstance(result, SortResult):
        return {i.item_id: i.chosen_group for i in result.items}, result.score, result.total
    if isinstance(result, TrueFalseResult):
        answers = {s.statement_id: s.chosen for s in result.statements}
        return answers, result.score, result.total
    raise TypeError(f"no answer to store for {type(result).__name__}")


def next_attempt_number(pupil: User, lesson: Lesson) -> int:
    """The number the pupil's next quiz attempt for this lesson will have."""
    done = db.session.scalar(
        sa.select(sa.func.count(QuizAttempt.id)).where(
            QuizAttempt.pupil_id == pupil.id, QuizAttempt.lesson_id == lesson.id
        )
    )
    return done + 1


def record_quiz(
    pupil: User, lesson: Lesson, content_hash: str, result: QuizResult, number: int
) -> QuizAttempt:
    """Keep a quiz attempt with every answer and mark the lesson done; refuse a double submit."""
    if number != next_attempt_number(pupil, lesson):
        raise AlreadySubmitted
    attempt = QuizAttempt(
        pupil_id=pupil.id, lesson_id=lesson.id, lesson_version=lesson.version,
        content_hash=content_hash, number=number, score=result.score, total=result.total,
        percent=result.percent, passed=result.passed,
        answers=[QuizAnswer(question_id=q.question_id, chosen=sorted(q.chosen), correct=q.correct)
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


def attempt(pupil: User, lesson: Lesson, number: int) -> QuizAttempt | None:
    """One of the pupil's own quiz attempts for a lesson."""
    return db.session.scalar(
        sa.select(QuizAttempt).where(
            QuizAttempt.pupil_id == pupil.id,
            QuizAttempt.lesson_id == lesson.id,
            QuizAttempt.number == number,
        )
    )

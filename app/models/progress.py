"""Pupils' progress through lessons: the step they reached, their answers, quiz attempts.

Lessons themselves live in files; rows here refer to them by id, version and content hash.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import utcnow


class LessonProgress(db.Model):
    """Where one pupil is in one lesson, and whether they have finished it."""

    __tablename__ = "lesson_progress"
    __table_args__ = (sa.UniqueConstraint("pupil_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(sa.String(80), index=True)
    lesson_version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    current_step: Mapped[str] = mapped_column(sa.String(80))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    completed_at: Mapped[datetime | None]
    responses: Mapped[list[StepResponse]] = relationship(
        back_populates="progress", cascade="all, delete-orphan"
    )


class StepResponse(db.Model):
    """A pupil's latest answer to one activity step (a scenario choice, a sort, true or false)."""

    __tablename__ = "step_response"
    __table_args__ = (sa.UniqueConstraint("progress_id", "step_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    progress_id: Mapped[int] = mapped_column(
        sa.ForeignKey("lesson_progress.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[str] = mapped_column(sa.String(80))
    answer: Mapped[dict] = mapped_column(sa.JSON)
    score: Mapped[int | None]
    total: Mapped[int | None]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    progress: Mapped[LessonProgress] = relationship(back_populates="responses")


class QuizAttempt(db.Model):
    """One go at a lesson's quiz; every attempt is kept."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (sa.UniqueConstraint("pupil_id", "lesson_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(sa.String(80), index=True)
    lesson_version: Mapped[int]
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    number: Mapped[int]  # 1 for the first attempt, 2 for the next...
    score: Mapped[int]
    total: Mapped[int]
    percent: Mapped[int]
    passed: Mapped[bool]
    needed: Mapped[int | None]  # right answers the pass mark asked for; None on rows before 0005
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    answers: Mapped[list[QuizAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="QuizAnswer.id"
    )


class QuizAnswer(db.Model):
    """The options a pupil chose for one question in one attempt."""

    __tablename__ = "quiz_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_attempt.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[str] = mapped_column(sa.String(80))
    chosen: Mapped[list] = mapped_column(sa.JSON)
    correct: Mapped[bool]
    # the text the result page shows, as it was when handed in (None on rows before 0005):
    # {"question": str, "chosen": [{"text", "feedback"}], "right": [str], "missed": int,
    #  "options": [[id, text], ...]} with options (and chosen, right) in the order the pupil saw
    # them (see app.content.order); rows from before options were shuffled have no "options"
    shown: Mapped[dict | None] = mapped_column(sa.JSON)
    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")
    misconceptions: Mapped[list[QuizMisconception]] = relationship(
        back_populates="answer", cascade="all, delete-orphan"
    )


class QuizMisconception(db.Model):
    """A misconception one wrong answer revealed, kept by its id so a school can count it.

    The id is from quizzes/misconceptions.yaml as it was when the quiz was handed in, so counts
    stay right if a quiz file is edited later.
    """

    __tablename__ = "quiz_misconception"
    __table_args__ = (sa.UniqueConstraint("answer_id", "misconception_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quiz_answer.id", ondelete="CASCADE"), index=True
    )
    misconception_id: Mapped[str] = mapped_column(sa.String(60), index=True)
    answer: Mapped[QuizAnswer] = relationship(back_populates="misconceptions")

"""Parents' workshop sessions: running one, who may see it, and its anonymous feedback."""

from __future__ import annotations

import csv
import io
import secrets
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from app.content.workshops import FeedbackQuestion, Pack
from app.extensions import db
from app.models import Role, User, WorkshopFeedback, WorkshopSession
from app.services.csv_safety import safe_cell

CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
"""Letters and digits that cannot be mistaken for each other (no 0/o, 1/l/i) when typed."""
CODE_LENGTH = 10  # 31**10: about 8 * 10**14 codes, far beyond guessing at the rate limit
TEXT_MAX = 1000
RATINGS = (1, 2, 3, 4, 5)
FIELD_PREFIX = "q-"


def new_code() -> str:
    """Return a fresh unguessable session code from the unmistakable alphabet."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not db.session.scalar(sa.select(WorkshopSession.id).where(WorkshopSession.code == code)):
            return code


def normalise_code(typed: str) -> str:
    """Return a code as stored: lower case, with any spaces or hyphens people typed removed."""
    return "".join(typed.split()).replace("-", "").lower()


def date_problem(held_on: date, today: date) -> str | None:
    """Why a session date cannot be used, or None: within a year either side of today."""
    if held_on > today + timedelta(days=366):
        return _("Choose a date within the next year.")
    if held_on < today - timedelta(days=366):
        return _("Choose a date within the last year.")
    return None


def start_session(user: User, pack: Pack, held_on: date) -> WorkshopSession:
    """Record that user is running pack on held_on at their school, with a new feedback code."""
    session = WorkshopSession(
        school_id=user.school_id,
        pack_id=pack.id,
        held_on=held_on,
        code=new_code(),
        created_by_id=user.id,
    )
    db.session.add(session)
    db.session.commit()
    return session


def _visible_to(user: User) -> sa.ColumnElement[bool]:
    """Which sessions a member of staff may read: coordinators and admins all of their school's,
    teachers those they ran themselves."""
    mine = WorkshopSession.school_id == user.school_id
    if user.role in (Role.COORDINATOR, Role.ADMIN):
        return mine
    if user.role is Role.TEACHER:
        return sa.and_(mine, WorkshopSession.created_by_id == user.id)
    return sa.false()


def sessions_for(user: User) -> list[WorkshopSession]:
    """The sessions user may read, newest first."""
    query = sa.select(WorkshopSession).where(_visible_to(user))
    order = (WorkshopSession.held_on.desc(), WorkshopSession.id.desc())
    return list(db.session.scalars(query.order_by(*order)))


def session_for(user: User, session_id: int) -> WorkshopSession | None:
    """The one access check for a session: it, if user may read it, else None (a 404)."""
    query = sa.select(WorkshopSession).where(WorkshopSession.id == session_id, _visible_to(user))
    return db.session.scalar(query)


def session_by_code(code: str) -> WorkshopSession | None:
    """The session a public feedback code opens, or None for an unknown code."""
    code = normalise_code(code)
    if not code or len(code) > CODE_LENGTH or set(code) - set(CODE_ALPHABET):
        return None
    return db.session.scalar(sa.select(WorkshopSession).where(WorkshopSession.code == code))


def feedback_count(session_ids: list[int]) -> dict[int, int]:
    """How many parents answered each session, in one query ({session_id: count})."""
    if not session_ids:
        return {}
    query = (
        sa.select(WorkshopFeedback.session_id, sa.func.count())
        .where(WorkshopFeedback.session_id.in_(session_ids))
        .group_by(WorkshopFeedback.session_id)
    )
    return {session_id: count for session_id, count in db.session.execute(query)}


def field_name(question: FeedbackQuestion) -> str:
    """The form field that carries the answer to one question."""
    return FIELD_PREFIX + question.id


def check_answers(
    pack: Pack, form: Mapping[str, str]
) -> tuple[dict[str, int | str], dict[str, str]]:
    """Read a feedback form: (answers by question id, errors by question id). Blank is skipped."""
    answers: dict[str, int | str] = {}
    errors: dict[str, str] = {}
    for question in pack.feedback:
        typed = (form.get(field_name(question)) or "").strip()
        if not typed:
            continue
        value, problem = _check(question, typed)
        if problem:
            errors[question.id] = problem
        else:
            answers[question.id] = value
    if not answers and not errors:
        errors[""] = _("Answer at least one question, then send your feedback.")
    return answers, errors


def _check(question: FeedbackQuestion, typed: str) -> tuple[int | str, str | None]:
    """Check one non-blank answer: a rating from 1 to 5, one of the options, or short text."""
    if question.kind == "rating":
        if typed not in {str(n) for n in RATINGS}:
            return typed, _("Choose a number from 1 to 5.")
        return int(typed), None
    if question.kind == "choice":
        if typed not in {option.id for option in question.options}:
            return typed, _("Choose one of the answers.")
        return typed, None
    if len(typed) > TEXT_MAX:
        return typed, _(
            "Please keep this answer under %(max)s characters (it has %(n)s).",
            max=TEXT_MAX,
            n=len(typed),
        )
    return typed, None


def record_feedback(session: WorkshopSession, answers: dict[str, int | str]) -> None:
    """Store one parent's checked answers; nothing about who sent them is kept."""
    db.session.add(WorkshopFeedback(session_id=session.id, answers=dict(answers)))
    db.session.commit()


@dataclass(frozen=True)
class QuestionResult:
    """What parents answered to one question: how many, the average, the counts, the texts."""

    question: FeedbackQuestion
    answered: int
    average: float | None
    counts: tuple[tuple[str, int], ...]
    texts: tuple[str, ...]


def results(session: WorkshopSession, pack: Pack) -> list[QuestionResult]:
    """Sum up every answer to a session's feedback form, one result per question."""
    answers = [row.answers for row in session.feedback]
    return [
        _result(question, [a[question.id] for a in answers if question.id in a])
        for question in pack.feedback
    ]


def _result(question: FeedbackQuestion, given: list) -> QuestionResult:
    """Sum up the answers given to one question."""
    if question.kind == "text":
        return QuestionResult(question, len(given), None, (), tuple(given))
    tally = Counter(given)
    if question.kind == "rating":
        average = round(sum(given) / len(given), 1) if given else None
        counts = tuple((str(n), tally[n]) for n in RATINGS)
        return QuestionResult(question, len(given), average, counts, ())
    known = [option.id for option in question.options]
    order = known + sorted(set(tally) - set(known))
    counts = tuple((question.option_label(o), tally[o]) for o in order)
    return QuestionResult(question, len(given), None, counts, ())


def feedback_csv(session: WorkshopSession, pack: Pack) -> str:
    """Every answer to a session's form as CSV, one row per parent, safe in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Sent (UTC)"), *(question.label for question in pack.feedback)])
    for row in session.feedback:
        cells = [_answer_text(q, row.answers.get(q.id)) for q in pack.feedback]
        writer.writerow([row.submitted_at.strftime("%Y-%m-%d %H:%M"), *map(safe_cell, cells)])
    return out.getvalue()


def _answer_text(question: FeedbackQuestion, value: int | str | None) -> str:
    """One answer as text for the CSV: a choice by its label, nothing for a blank."""
    if value is None:
        return ""
    return question.option_label(str(value)) if question.kind == "choice" else str(value)

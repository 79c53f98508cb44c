"""Retention: how long each kind of record is kept, and applying it (`flask retention apply`).

A registry of record types. Each has a default (in days, or kept), what the days are counted
from, what happens when they run out (deleted or anonymised), and the reason for the default,
which the README's Retention section repeats. The defaults follow the shape of the IRMS
Information Management Toolkit for Schools: keep a record while the pupil (or member of staff)
is at the school and the school still needs it, then a set time, then destroy it.

The periods are installation-wide (LANTERN_RETENTION overrides any of them; LANTERN_AUDIT_DAYS
the security log's): the data controller sets a retention schedule, and a trust is the
controller for every school it runs, so its schools share one. Each record type is applied
school by school (`apply(school_id, cutoff, dry_run)`), so a per-school override can be added
later without changing the types.

A later piece registers its own records with `register` (e.g. safeguarding incident records,
kept "until the pupil is 25" as the toolkit says, counted from a date it holds).
Applying is idempotent: what was deleted or anonymised is not counted again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    AuditEvent,
    LessonProgress,
    LoginSession,
    QuizAttempt,
    Role,
    School,
    User,
    WorkshopFeedback,
    WorkshopSession,
)
from app.services import audit, erasure

Apply = Callable[[int | None, datetime, bool], int]
"""Delete or anonymise one school's records older than the cutoff (or count them: dry run).

The school id is None for records that belong to no school (failed sign-ins with an unknown
username); most types have none and return 0.
"""


@dataclass(frozen=True)
class RecordType:
    """One kind of record and how long it is kept."""

    name: str  # as in LANTERN_RETENTION and the command's output
    label: str
    default_days: int | None  # None: kept (no apply)
    counted_from: str
    action: str  # what happens when the days run out: "deleted", "anonymised" or "kept"
    why: str
    apply: Apply | None = None
    setting: str | None = None  # a config key of its own instead of LANTERN_RETENTION


REGISTRY: dict[str, RecordType] = {}


def register(record_type: RecordType) -> RecordType:
    """Add a record type to the registry (its name must be new)."""
    if record_type.name in REGISTRY:
        raise ValueError(f"retention: {record_type.name!r} is registered twice")
    REGISTRY[record_type.name] = record_type
    return record_type


def check_overrides(overrides: dict[str, int | None]) -> None:
    """Refuse LANTERN_RETENTION names that are not record types, or that cannot be changed."""
    for name, days in overrides.items():
        known = REGISTRY.get(name)
        if known is None:
            names = ", ".join(sorted(REGISTRY))
            raise ValueError(f"LANTERN_RETENTION: no record type {name!r} (there are: {names})")
        if known.setting:
            raise ValueError(f"LANTERN_RETENTION: set {name!r} with {known.setting} instead")
        if known.apply is None and days is not None:
            raise ValueError(f"LANTERN_RETENTION: {name!r} is always kept ({known.why})")


def days_for(record_type: RecordType, config) -> int | None:
    """How many days this installation keeps a record type (None: kept)."""
    if record_type.setting:
        return config[record_type.setting]
    return config.get("LANTERN_RETENTION", {}).get(record_type.name, record_type.default_days)


@dataclass(frozen=True)
class Line:
    """What applying one record type did (or would do) at one school."""

    record_type: RecordType
    school_id: int | None
    count: int


def apply_all(config, now: datetime, dry_run: bool) -> list[Line]:
    """Apply every record type at every school (and to records of no school); no commit.

    The caller holds the write lock and commits (or, for a dry run, rolls back).
    """
    check_overrides(config.get("LANTERN_RETENTION", {}))
    schools: list[int | None] = [*db.session.scalars(sa.select(School.id).order_by(School.id))]
    lines = []
    for record_type in REGISTRY.values():
        days = days_for(record_type, config)
        if record_type.apply is None or days is None:
            continue
        cutoff = now - timedelta(days=days)
        for school_id in [*schools, None]:
            count = record_type.apply(school_id, cutoff, dry_run)
            if count or school_id is not None:
                lines.append(Line(record_type, school_id, count))
    return lines


def _count_or_delete(model, where: list, dry_run: bool) -> int:
    """Count the rows of model matching where; unless a dry run, delete them."""
    ids = list(db.session.scalars(sa.select(model.id).where(*where)))
    if ids and not dry_run:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            db.session.execute(
                sa.delete(model).where(model.id.in_(chunk)),
                execution_options={"synchronize_session": False},
            )
    return len(ids)


def _people(school_id: int) -> sa.Select:
    """The ids of a school's people."""
    return sa.select(User.id).where(User.school_id == school_id)


def _leavers(school_id: int, cutoff: datetime, role: Role | None = None) -> sa.Select:
    """The ids of a school's people who left before the cutoff."""
    query = sa.select(User.id).where(
        User.school_id == school_id, User.active.is_(False), User.left_at < cutoff
    )
    return query.where(User.role == role) if role else query


def _sessions(school_id, cutoff, dry_run):
    """Sign-in sessions that ended (or were last used) before the cutoff."""
    if school_id is None:
        return 0
    finished = sa.func.coalesce(LoginSession.ended_at, LoginSession.last_seen_at)
    where = [LoginSession.user_id.in_(_people(school_id)), finished < cutoff]
    return _count_or_delete(LoginSession, where, dry_run)


def _security_log(school_id, cutoff, dry_run):
    """Security-log events older than the cutoff (school None: those of no school)."""
    school = (
        AuditEvent.school_id.is_(None) if school_id is None else (AuditEvent.school_id == school_id)
    )
    return _count_or_delete(AuditEvent, [school, AuditEvent.at < cutoff, audit.prunable()], dry_run)


def _leavers_accounts(school_id, cutoff, dry_run):
    """Leavers' accounts anonymised (app/services/erasure.py) once the period has passed."""
    if school_id is None:
        return 0
    due = [
        user
        for user in db.session.scalars(
            sa.select(User)
            .where(User.id.in_(_leavers(school_id, cutoff)), User.erased_at.is_(None))
            .order_by(User.id)
        )
        if not erasure.held_for_safeguarding(user)  # kept with the child-protection file
    ]
    if not dry_run:
        for user in due:
            erasure.erase(user, erasure.Reason.RETENTION, actor_id=None)
        db.session.flush()
    return len(due)


def _leavers_learning(school_id, cutoff, dry_run):
    """Leavers' lesson progress (with their answers) and quiz attempts (with their answers)."""
    if school_id is None:
        return 0
    pupils = _leavers(school_id, cutoff, Role.PUPIL)
    count = 0
    for model in (LessonProgress, QuizAttempt):
        rows = list(db.session.scalars(sa.select(model).where(model.pupil_id.in_(pupils))))
        count += len(rows)
        if not dry_run:
            for row in rows:  # through the ORM: their step and quiz answers go with them
                db.session.delete(row)
    if not dry_run:
        db.session.flush()
    return count


def _workshop_feedback(school_id, cutoff, dry_run):
    """Anonymous workshop feedback given before the cutoff."""
    if school_id is None:
        return 0
    sessions = sa.select(WorkshopSession.id).where(WorkshopSession.school_id == school_id)
    where = [WorkshopFeedback.session_id.in_(sessions), WorkshopFeedback.submitted_at < cutoff]
    return _count_or_delete(WorkshopFeedback, where, dry_run)


register(RecordType(
    "sign_in_sessions", "Sign-in sessions", 30,
    "the session ended (or, never ended, was last used)", "deleted",
    "A session row is only needed to end it and, for a short while, to answer whether an account "
    "was in use on a given day; the security log keeps sign-ins and sign-outs for longer.",
    _sessions,
))  # fmt: skip
register(RecordType(
    "security_log", "Security log (audit events)", 400, "the event", "deleted",
    "A school year and a term: last year's events are still there when a complaint or an "
    "inspection asks about them a term later, and nothing is kept for years without need.",
    _security_log, setting="LANTERN_AUDIT_DAYS",
))  # fmt: skip
register(RecordType(
    "leavers_accounts", "Accounts of people who have left", 365, "the day they left",
    "anonymised",
    "The toolkit keeps a pupil's day-to-day records while they are at the school and for the "
    "year after: long enough to answer a parent's or a returning pupil's question, or a "
    "subject access request, about last year. Names, usernames and sign-in secrets then go; "
    "the records that name the account's id stay, unidentifiable.",
    _leavers_accounts,
))  # fmt: skip
register(RecordType(
    "leavers_learning", "Lesson progress and quiz answers of pupils who have left", 365,
    "the day they left", "deleted",
    "Pupils' work is kept for the current year plus one in the toolkit; progress is only of use "
    "while the pupil is taught, and class and school figures are counted again without it.",
    _leavers_learning,
))  # fmt: skip
register(RecordType(
    "workshop_feedback", "Parents' workshop feedback (anonymous)", 730, "when it was given",
    "deleted",
    "Anonymous, and read to improve the next workshops: two years lets a school compare this "
    "year's with last year's, after which it is not needed.",
    _workshop_feedback,
))  # fmt: skip
register(RecordType(
    "photo_consent", "Photo consent decisions", None, "-", "kept",
    "The school's proof that it may use an image, needed as long as any image taken under it "
    "may still be in use; insert-only. The pupil is anonymised with their account.",
))  # fmt: skip
register(RecordType(
    "safeguarding_records", "Safeguarding reports and incidents, and the people they name",
    None, "-", "kept",
    "A child-protection file is kept until the pupil is 25 and travels with them when they "
    "leave (the DSL exports it); what was written is insert-only, so the DSL reviews and "
    "destroys it by hand, never this job. Anyone it names is not anonymised while it is kept.",
))  # fmt: skip
register(RecordType(
    "aup_acceptances", "AUP acceptances", None, "-", "kept",
    "The proof that each person agreed to the exact text shown, hash-chained; it names ids, "
    "not people, and the person is anonymised with their account.",
))  # fmt: skip

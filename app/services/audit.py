"""The audit log: record security and privacy events, read a school's events, prune old ones.

Rows are only ever added (app.models.audit refuses changes and deletions through the ORM);
prune() is the one thing that deletes, in bulk, rows older than LANTERN_AUDIT_DAYS.
A row never holds a secret or text a user typed, except the first characters of a username
that matched no account (so an admin can see a guessing attack without the log keeping
anything longer, such as a password typed into the wrong box).
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.database import begin_write, forget_saved
from app.extensions import db
from app.models import AuditEvent, User, utcnow

USERNAME_KEPT = 32
"""How much of an unknown username a failed sign-in keeps."""

PER_PAGE = 50


class Event(enum.StrEnum):
    """What happened."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105 (an event name)
    PASSWORD_RESET = "password_reset"  # noqa: S105 (by someone else: a teacher, admin or the CLI)
    SESSIONS_ENDED = "sessions_ended"  # an admin signed someone out everywhere
    MFA_SET_UP = "mfa_set_up"  # a member of staff set up their authenticator app
    MFA_RESET = "mfa_reset"  # an admin (or the command line) made someone set it up again
    ROLE_CHANGED = "role_changed"  # the admin changed a role or the DSL flag
    PARENT_LINKED = "parent_linked"  # a parent linked to a child (by a letter's code)
    YEAR_ROLLED_OVER = "year_rolled_over"  # everyone moved up a year (the admin's button)
    EXPORT = "export"
    AUDIT_VIEWED = "audit_viewed"  # the coordinator's audit page (the admin's is not logged)
    CONSENT_VIEWED = "consent_viewed"
    SAFEGUARDING_VIEWED = "safeguarding_viewed"  # the DSL team opened a report, incident or file
    SAFEGUARDING_REPORTED = "safeguarding_reported"  # a pupil's worry or a staff concern was sent
    SAFEGUARDING_RECORDED = "safeguarding_recorded"  # an incident opened, or an entry added to one
    SAFEGUARDING_EXPORTED = "safeguarding_exported"  # an incident, the log or a pupil's file
    PERSON_ERASED = "person_erased"  # a leaver's identifying fields erased (app/services/erasure)
    ROSTER_IMPORTED = "roster_imported"  # people and classes changed by a roster import
    AUP_FORM_CHANGED = "aup_form_changed"  # pupils' AUP: full text every time, or the short form
    AUP_RECORDED_ON_BEHALF = "aup_recorded_on_behalf"  # parent agreements entered from slips


SECURITY = (
    Event.SIGN_IN, Event.SIGN_IN_FAILED, Event.SIGN_OUT, Event.PASSWORD_CHANGED,
    Event.PASSWORD_RESET, Event.SESSIONS_ENDED, Event.MFA_SET_UP, Event.MFA_RESET,
    Event.ROLE_CHANGED, Event.PARENT_LINKED, Event.YEAR_ROLLED_OVER, Event.EXPORT,
    Event.AUDIT_VIEWED, Event.PERSON_ERASED, Event.ROSTER_IMPORTED, Event.AUP_FORM_CHANGED,
    Event.AUP_RECORDED_ON_BEHALF,
)  # fmt: skip
"""The events the admin reads."""

SAFEGUARDING = (
    Event.CONSENT_VIEWED, Event.SAFEGUARDING_VIEWED, Event.SAFEGUARDING_REPORTED,
    Event.SAFEGUARDING_RECORDED, Event.SAFEGUARDING_EXPORTED,
)  # fmt: skip
"""The events the coordinator (DSL) reads."""

SAFEGUARDING_LOG = (
    Event.SAFEGUARDING_VIEWED, Event.SAFEGUARDING_REPORTED, Event.SAFEGUARDING_RECORDED,
    Event.SAFEGUARDING_EXPORTED,
)  # fmt: skip
"""The events the DSL team reads on the incident log's own audit page."""

DETAIL_TEXT_MAX = 40


def _detail_json(detail: dict | None) -> str:
    """The detail as JSON: short keys and values only (numbers, flags or short codes)."""
    clean = {}
    for key, value in (detail or {}).items():
        if isinstance(value, str):
            value = value[:DETAIL_TEXT_MAX]
        elif not (value is None or isinstance(value, bool | int)):
            raise TypeError(f"audit detail {key!r} must be a short string, a number or a flag")
        clean[str(key)[:DETAIL_TEXT_MAX]] = value
    return json.dumps(clean, sort_keys=True, separators=(",", ":"))


def record(
    event: Event,
    school_id: int | None,
    *,
    actor_id: int | None = None,
    subject_id: int | None = None,
    detail: dict | None = None,
    address: str | None = None,
) -> AuditEvent:
    """Add one event to the request's transaction (the caller commits)."""
    row = AuditEvent(
        event=str(Event(event)),
        school_id=school_id,
        actor_id=actor_id,
        subject_id=subject_id,
        detail=_detail_json(detail),
        ip_address=(address or "")[:45],
    )
    db.session.add(row)
    return row


def write(event: Event, school_id: int | None, **fields) -> None:
    """Record one event and commit it at once, under the write lock (also from a GET page).

    What the request already loaded (the user, the school) is kept rather than expired by the
    two commits, so a page that records a view costs one INSERT and no second round of SELECTs;
    the row is the only thing these commits write.
    """
    session = db.session()
    expiring = session.expire_on_commit
    session.expire_on_commit = False
    try:
        begin_write()
        record(event, school_id, **fields)
        db.session.commit()
    finally:
        session.expire_on_commit = expiring
    forget_saved()  # the log, not something the person did


def failed_sign_in(username: str, method: str, address: str | None) -> None:
    """Record a failed password sign-in: the account if it exists, else the name, truncated."""
    name = username.strip().lower()
    user = db.session.scalar(sa.select(User).where(User.username == name)) if name else None
    if user is not None:
        write(
            Event.SIGN_IN_FAILED,
            user.school_id,
            subject_id=user.id,
            detail={"method": method},
            address=address,
        )
    else:
        write(
            Event.SIGN_IN_FAILED,
            None,
            detail={"method": method, "username": name[:USERNAME_KEPT]},
            address=address,
        )


@dataclass(frozen=True)
class Line:
    """One event as a page shows it."""

    row: AuditEvent
    actor: User | None
    subject: User | None

    @property
    def detail(self) -> dict:
        """The detail as a mapping."""
        return json.loads(self.row.detail or "{}")


@dataclass(frozen=True)
class Page:
    """One page of events, newest first."""

    lines: list[Line]
    number: int
    has_next: bool


def events_page(
    school_id: int,
    kinds: tuple[Event, ...],
    *,
    event: str | None = None,
    person_id: int | None = None,
    number: int = 1,
    per_page: int = PER_PAGE,
) -> Page:
    """A school's events of these kinds (optionally one kind, one person), newest first."""
    actor, subject = aliased(User), aliased(User)
    wanted = [str(k) for k in kinds if event in (None, "", str(k))]
    query = (
        sa.select(AuditEvent, actor, subject)
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(subject, subject.id == AuditEvent.subject_id)
        .where(AuditEvent.school_id == school_id, AuditEvent.event.in_(wanted))
    )
    if person_id is not None:
        query = query.where(
            sa.or_(AuditEvent.actor_id == person_id, AuditEvent.subject_id == person_id)
        )
    number = max(number, 1)
    rows = db.session.execute(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .offset((number - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    lines = [Line(row, a, s) for row, a, s in rows[:per_page]]
    return Page(lines, number, len(rows) > per_page)


def person_in_school(school_id: int, username: str) -> User | None:
    """The person of this school with this username, or None."""
    name = username.strip().lower()
    if not name:
        return None
    return db.session.scalar(
        sa.select(User).where(User.username == name, User.school_id == school_id)
    )


KEPT_WITH_THE_RECORDS = (
    Event.SAFEGUARDING_VIEWED, Event.SAFEGUARDING_REPORTED, Event.SAFEGUARDING_RECORDED,
    Event.SAFEGUARDING_EXPORTED,
)  # fmt: skip
"""Who read, wrote or exported a safeguarding record: part of that record's court-safe trail,
so kept as long as the record is (until the pupil is 25), never pruned by LANTERN_AUDIT_DAYS."""


def prunable() -> sa.ColumnElement[bool]:
    """A filter for the events that go after LANTERN_AUDIT_DAYS (all but KEPT_WITH_THE_RECORDS)."""
    return AuditEvent.event.not_in([event.value for event in KEPT_WITH_THE_RECORDS])


def prune(days: int, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete events older than days (just count them when dry_run); returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    begin_write()
    old = sa.and_(AuditEvent.at < cutoff, prunable())
    count = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(old))
    if not dry_run and count:
        db.session.execute(sa.delete(AuditEvent).where(old))
    db.session.commit()
    return count or 0

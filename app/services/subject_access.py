"""Everything Lantern holds about one person, for a subject access request (UK GDPR Art. 15).

One place lists where a person can appear (SOURCES): every column that points at the user table,
with a foreign key or (for the evidence tables that must outlive accounts) without one. A test
walks the models' foreign keys to the user table and fails when one is missing here, so a new
table cannot be forgotten. Secrets (password and picture hashes, session token hashes) are said
to exist and never disclosed.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from typing import Any

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Acceptance,
    Assignment,
    AuditEvent,
    AupCheck,
    AupIntroduction,
    AupLatest,
    LessonProgress,
    LoginSession,
    MfaRecoveryCode,
    Module,
    ParentInvite,
    PhotoConsent,
    PupilYear,
    QuizAttempt,
    RosterUpload,
    TaughtLesson,
    User,
    WorkshopSession,
    class_pupil,
    class_teacher,
    parent_child,
)
from app.models.aup import PublishedAup

FORMAT = 1
"""The version of the export's layout; raised when its sections or fields change meaning."""

SECRET_COLUMNS = frozenset(
    {"password_hash", "picture_hash", "token_hash", "mfa_secret", "code_hash"}
)
"""Columns whose values are never disclosed: they would help someone break in, and say nothing
about the person that the export does not say otherwise."""


@dataclasses.dataclass(frozen=True)
class Source:
    """One column that names a person, and the export section its rows appear in."""

    table: str
    column: str
    section: str


SOURCES: tuple[Source, ...] = (
    Source("class_pupil", "pupil_id", "classes"),
    Source("class_teacher", "teacher_id", "classes_taught"),
    Source("parent_child", "child_id", "parents"),
    Source("parent_child", "parent_id", "children"),
    Source("acceptance", "user_id", "aup_acceptances"),
    Source("acceptance", "on_behalf_of_id", "aup_acceptances"),
    Source("acceptance", "recorded_by_id", "aup_acceptances"),
    Source("aup_latest", "user_id", "aup_latest"),
    Source("aup_latest", "subject_id", "aup_latest"),
    Source("aup_check", "user_id", "aup_understanding_checks"),
    Source("lesson_progress", "pupil_id", "lesson_progress"),
    Source("quiz_attempt", "pupil_id", "quiz_attempts"),
    Source("photo_consent", "pupil_id", "photo_consent"),
    Source("photo_consent", "decided_by_id", "photo_consent_decided"),
    Source("login_session", "user_id", "sign_in_sessions"),
    Source("module", "created_by_id", "modules_made"),
    Source("assignment", "set_by_id", "work_set"),
    Source("taught_lesson", "taught_by_id", "lessons_taught"),
    Source("aup_introduction", "introduced_by_id", "aup_introductions"),
    Source("published_aup", "published_by_id", "aups_published"),
    Source("workshop_session", "created_by_id", "workshops_run"),
    Source("roster_upload", "uploaded_by_id", "roster_uploads"),
    Source("mfa_recovery_code", "user_id", "recovery_codes"),
    Source("pupil_year", "pupil_id", "year_groups"),
    Source("parent_invite", "child_id", "parent_letters"),
    Source("parent_invite", "created_by_id", "parent_letters"),
    Source("parent_invite", "used_by_id", "parent_letters"),
    Source("audit_event", "actor_id", "security_log"),
    Source("audit_event", "subject_id", "security_log"),
    Source("safeguarding_report", "author_id", "safeguarding_records"),
    Source("safeguarding_report_pupil", "pupil_id", "safeguarding_records"),
    Source("safeguarding_report_read", "reader_id", "safeguarding_records"),
    Source("safeguarding_incident", "opened_by_id", "safeguarding_records"),
    Source("safeguarding_entry", "author_id", "safeguarding_records"),
    Source("safeguarding_entry", "pupil_id", "safeguarding_records"),
    Source("safeguarding_sanction_option", "changed_by_id", "safeguarding_records"),
)
"""Every place a person's id is stored, by table and column; one line each."""

SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(s.section for s in SOURCES))
"""The export's sections after the account, in the order they are shown."""


def _value(value: Any) -> Any:
    """A stored value as JSON: times and dates in ISO 8601 (UTC), enums by their stored value."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _row(obj: Any, leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every stored column of a model row, by column name, but secrets and leave_out."""
    columns = sa.inspect(type(obj)).columns
    return {
        c.key: _value(getattr(obj, c.key))
        for c in columns
        if c.key not in SECRET_COLUMNS and c.key not in leave_out
    }


def _account(user: User) -> dict[str, Any]:
    """The account's own fields; for each secret only whether one is held."""
    fields = _row(user)
    fields["school"] = user.school.name
    fields["password_hash"] = "held, not disclosed" if user.password_hash else None
    fields["picture_hash"] = "held, not disclosed" if user.picture_hash else None
    fields["mfa_secret"] = "held, not disclosed" if user.mfa_secret else None
    return fields


def _person(other: User) -> dict[str, Any]:
    """Who a linked person is, in as few fields as name them."""
    return {"id": other.id, "display_name": other.display_name, "role": other.role.value}


def _rows(model, *where, order=None) -> list[dict[str, Any]]:
    """Every row of a model matching where, oldest first (or in order), as JSON-ready dicts."""
    query = sa.select(model).where(*where).order_by(order if order is not None else model.id)
    return [_row(obj) for obj in db.session.scalars(query)]


def _classes(table: sa.Table, column: str, user_id: int) -> list[dict[str, Any]]:
    """The classes a join table links the user to, with their year group."""
    from app.models import SchoolClass

    query = (
        sa.select(SchoolClass)
        .join(table, table.c.class_id == SchoolClass.id)
        .where(table.c[column] == user_id)
        .order_by(SchoolClass.year, SchoolClass.name)
    )
    return [{"id": c.id, "name": c.name, "year": c.year} for c in db.session.scalars(query)]


def _linked(mine: str, theirs: str, user_id: int) -> list[dict[str, Any]]:
    """The people parent_child links the user to (their parents, or their children)."""
    query = (
        sa.select(User)
        .join(parent_child, parent_child.c[theirs] == User.id)
        .where(parent_child.c[mine] == user_id)
        .order_by(User.display_name)
    )
    return [_person(other) for other in db.session.scalars(query)]


def _progress(user_id: int) -> list[dict[str, Any]]:
    """Lesson progress, each with the step answers kept for it."""
    query = (
        sa.select(LessonProgress)
        .where(LessonProgress.pupil_id == user_id)
        .order_by(LessonProgress.started_at, LessonProgress.id)
    )
    found = []
    for progress in db.session.scalars(query):
        answers = sorted(progress.responses, key=lambda r: r.id)
        found.append({**_row(progress), "step_answers": [_row(r) for r in answers]})
    return found


def _quizzes(user_id: int) -> list[dict[str, Any]]:
    """Every quiz attempt, each with its answers and the misconceptions each answer showed."""
    query = (
        sa.select(QuizAttempt)
        .where(QuizAttempt.pupil_id == user_id)
        .order_by(QuizAttempt.submitted_at, QuizAttempt.id)
    )
    return [
        {
            **_row(attempt),
            "answers": [
                {**_row(a), "misconceptions": [m.misconception_id for m in a.misconceptions]}
                for a in attempt.answers
            ],
        }
        for attempt in db.session.scalars(query)
    ]


def _workshops(user_id: int) -> list[dict[str, Any]]:
    """Workshop sessions the person ran; the feedback on them is anonymous, so only counted."""
    query = (
        sa.select(WorkshopSession)
        .where(WorkshopSession.created_by_id == user_id)
        .order_by(WorkshopSession.id)
    )
    return [
        {**_row(session), "anonymous_feedback_count": len(session.feedback)}
        for session in db.session.scalars(query)
    ]


SAFEGUARDING_NOTE = (
    "counted only: safeguarding records are not disclosed here; the school's DSL reads them "
    "and decides what may be disclosed, since some may be withheld where disclosure could put "
    "a child at risk"
)


def _safeguarding(user_id: int) -> list[dict[str, Any]]:
    """How many safeguarding rows name the person, by table and column; never their content.

    The admin who runs a subject access request does not read safeguarding records (only the
    DSL team does), so the export says what is held and who to ask.
    """
    found = []
    for source in SOURCES:
        if source.section != "safeguarding_records":
            continue
        table = db.metadata.tables[source.table]
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(table).where(table.c[source.column] == user_id)
        )
        if count:
            found.append({"table": source.table, "column": source.column, "rows": count,
                          "disclosed": SAFEGUARDING_NOTE})  # fmt: skip
    return found


def collect(user: User, generated_at: datetime.datetime) -> dict[str, Any]:
    """Everything Lantern holds about user, section by section, ready to dump as JSON."""
    uid = user.id
    modules = sa.select(Module).where(Module.created_by_id == uid).order_by(Module.id)
    sections: dict[str, list[dict[str, Any]]] = {
        "classes": _classes(class_pupil, "pupil_id", uid),
        "classes_taught": _classes(class_teacher, "teacher_id", uid),
        "parents": _linked("child_id", "parent_id", uid),
        "children": _linked("parent_id", "child_id", uid),
        "aup_acceptances": _rows(
            Acceptance,
            sa.or_(
                Acceptance.user_id == uid,
                Acceptance.on_behalf_of_id == uid,
                Acceptance.recorded_by_id == uid,
            ),
            order=Acceptance.id,
        ),
        "aup_latest": _rows(
            AupLatest, sa.or_(AupLatest.user_id == uid, AupLatest.subject_id == uid)
        ),
        "aup_understanding_checks": _rows(AupCheck, AupCheck.user_id == uid, order=AupCheck.id),
        "lesson_progress": _progress(uid),
        "quiz_attempts": _quizzes(uid),
        "photo_consent": _rows(PhotoConsent, PhotoConsent.pupil_id == uid),
        "photo_consent_decided": _rows(PhotoConsent, PhotoConsent.decided_by_id == uid),
        "sign_in_sessions": _rows(LoginSession, LoginSession.user_id == uid),
        "modules_made": [
            {**_row(m), "lesson_ids": m.lesson_ids} for m in db.session.scalars(modules)
        ],
        "work_set": _rows(Assignment, Assignment.set_by_id == uid),
        "lessons_taught": _rows(TaughtLesson, TaughtLesson.taught_by_id == uid),
        "aup_introductions": _rows(AupIntroduction, AupIntroduction.introduced_by_id == uid),
        "aups_published": [
            _row(p, leave_out=("body",))
            for p in db.session.scalars(
                sa.select(PublishedAup)
                .where(PublishedAup.published_by_id == uid)
                .order_by(PublishedAup.id)
            )
        ],
        "workshops_run": _workshops(uid),
        "roster_uploads": [  # the school's roster, not theirs: when and what file, not its rows
            _row(upload, leave_out=("content",))
            for upload in db.session.scalars(
                sa.select(RosterUpload).where(RosterUpload.uploaded_by_id == uid)
            )
        ],
        "recovery_codes": _rows(MfaRecoveryCode, MfaRecoveryCode.user_id == uid),
        "year_groups": _rows(PupilYear, PupilYear.pupil_id == uid),
        "parent_letters": _rows(
            ParentInvite,
            sa.or_(
                ParentInvite.child_id == uid,
                ParentInvite.created_by_id == uid,
                ParentInvite.used_by_id == uid,
            ),
        ),
        "security_log": _rows(
            AuditEvent,
            sa.or_(AuditEvent.actor_id == uid, AuditEvent.subject_id == uid),
            order=AuditEvent.id,
        ),
        "safeguarding_records": _safeguarding(uid),
    }
    assert tuple(sections) == SECTIONS, "SOURCES and collect() must name the same sections"
    return {
        "format": FORMAT,
        "generated_at": _value(generated_at),
        "times_are": "UTC",
        "school": user.school.name,
        "account": _account(user),
        "sections": sections,
        "not_disclosed": sorted(SECRET_COLUMNS),
    }


def filename(user: User, day: datetime.date) -> str:
    """A safe download name such as subject-access-pupil.y4-2026-12-04.json."""
    safe = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "._-") else "-" for ch in user.username
    )
    return f"subject-access-{safe}-{day.isoformat()}.json"

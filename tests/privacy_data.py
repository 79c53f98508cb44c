"""A hand-worked fixture for erasure and retention: one leaver with a record in every table."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from app.content import aups
from app.extensions import db
from app.models import (
    Assignment,
    AuditEvent,
    ConsentDecision,
    ConsentPart,
    LessonProgress,
    LoginSession,
    MfaRecoveryCode,
    Module,
    PhotoConsent,
    QuizAnswer,
    QuizAttempt,
    Role,
    StepResponse,
    WorkshopFeedback,
    WorkshopSession,
)
from app.services import acceptance, school_calendar
from tests import factories

NAME, USERNAME, ROSTER = "Amara Okafor", "amara.okafor", "UPN-K801234567890"
"""The leaver's identifying values, searched for everywhere after erasure."""

LEFT = datetime(2026, 7, 22, 15, 30)
T = datetime(2026, 3, 2, 9, 0)


def leaver_with_records() -> dict:
    """Amara (left on LEFT) with her parent, teacher, acceptances and a row in each table."""
    school = factories.school("Erase Primary")
    group = factories.school_class(school, "6K", 6)
    pupil = factories.user(
        school, Role.PUPIL, username=USERNAME, display_name=NAME, year=6, locale="cy",
        roster_id=ROSTER, pictures=["star", "moon", "tree"],
    )  # fmt: skip
    parent = factories.user(school, Role.PARENT, username="grace.okafor", display_name="Grace O.")
    teacher = factories.user(school, Role.TEACHER, username="t.khan", display_name="Mr Khan")
    namesake = factories.user(
        school, Role.PUPIL, username="amara.okafor2", display_name="Amara Okafor-Jones", year=3
    )
    group.pupils.append(pupil)
    group.teachers.append(teacher)
    parent.children.append(pupil)
    db.session.commit()
    today = school_calendar.today()
    for person, session_id in ((pupil, 11), (parent, 12)):
        context = acceptance.Context(session_id, "203.0.113.9", "Mozilla/5.0 (iPad) Safari/604")
        acceptance.accept(person, aups().get(person.audience), context, today)
    module = Module(school_id=school.id, title="Privacy", created_by_id=teacher.id)
    db.session.add(module)
    db.session.flush()
    db.session.add_all([
        LoginSession(user_id=pupil.id, token_hash="a" * 64, created_at=T, last_seen_at=T),
        MfaRecoveryCode(user_id=pupil.id, code_hash="scrypt:x"),
        LessonProgress(
            pupil_id=pupil.id, lesson_id="ks2-privacy-1", lesson_version=1, content_hash="e" * 64,
            current_step="sort", started_at=T, updated_at=T,
            responses=[StepResponse(step_id="who", answer={"choice": "tell"}, answered_at=T)],
        ),
        QuizAttempt(
            pupil_id=pupil.id, lesson_id="ks2-privacy-1", lesson_version=1, content_hash="e" * 64,
            number=1, score=1, total=1, percent=100, passed=True, submitted_at=T,
            answers=[QuizAnswer(question_id="q1", chosen=["a"], correct=True)],
        ),
        PhotoConsent(school_id=school.id, pupil_id=pupil.id, part=ConsentPart.IN_SCHOOL,
                     decision=ConsentDecision.GIVEN, decided_by_id=parent.id, decided_at=T),
        Assignment(school_id=school.id, module_id=module.id, class_id=group.id,
                   set_by_id=teacher.id, message=f"{NAME}: please finish lesson 2. "
                   f"{NAME.upper()} and Amara Okafor-Jones, well done.", due_on=date(2026, 3, 9)),
        AuditEvent(school_id=None, event="sign_in_failed", detail=f'{{"username":"{USERNAME}"}}',
                   at=T, ip_address="203.0.113.9"),
        AuditEvent(school_id=school.id, event="sign_in", subject_id=pupil.id, actor_id=pupil.id,
                   detail='{"method":"pictures"}', at=T, ip_address="203.0.113.9"),
        AuditEvent(school_id=None, event="sign_in_failed", at=T,
                   detail='{"username":"amara.okafor2"}'),
    ])  # fmt: skip
    workshop = WorkshopSession(
        school_id=school.id, pack_id="parents-online", held_on=date(2026, 2, 1), code="WSX123"
    )
    workshop.feedback.append(
        WorkshopFeedback(answers={"useful": 5, "comment": f"Thank you, from {NAME}'s mum"})
    )
    db.session.add(workshop)
    pupil.active, pupil.left_at = False, LEFT
    db.session.commit()
    return {"school": school, "pupil": pupil, "parent": parent, "teacher": teacher,
            "namesake": namesake, "class": group}  # fmt: skip


NAMESAKE = ("amara.okafor2", "Amara Okafor-Jones")
"""Another pupil's username and name, which hold Amara's: never to be erased with hers."""


def every_text_holding(*needles: str, besides: tuple[str, ...] = NAMESAKE) -> list[str]:
    """Every table.column: value whose text holds any needle in any case, once the `besides`
    texts (someone else's name holding a needle) are taken out of it."""
    found = []
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, sa.String | sa.Text | sa.JSON):
                continue
            text = sa.cast(column, sa.Text)
            for value in db.session.scalars(sa.select(text).where(text.is_not(None))):
                rest = value.lower()
                for other in besides:
                    rest = rest.replace(other.lower(), "")
                if any(needle.lower() in rest for needle in needles):
                    found.append(f"{table.name}.{column.name}: {value}")
    return found

"""Retention: each record type goes (or is anonymised) after its period, school by school."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from app import privacy_cli
from app.config import retention_overrides
from app.extensions import db
from app.models import (
    Acceptance,
    AuditEvent,
    LessonProgress,
    LoginSession,
    PhotoConsent,
    QuizAnswer,
    QuizAttempt,
    StepResponse,
    User,
    WorkshopFeedback,
)
from app.services import audit, retention
from tests import factories
from tests.privacy_data import NAME, USERNAME, every_text_holding, leaver_with_records

NOW = datetime(2027, 8, 1, 2, 0)  # 375 days after Amara left on 22 July 2026


def _counts() -> dict[str, int]:
    """How many rows the tables retention touches hold."""
    models = (LoginSession, AuditEvent, LessonProgress, StepResponse, QuizAttempt, QuizAnswer,
              WorkshopFeedback, PhotoConsent, Acceptance)  # fmt: skip
    return {m.__tablename__: db.session.scalar(sa.select(sa.func.count(m.id))) for m in models}


def _fixture() -> dict:
    """The leaver fixture, plus a recent session and feedback two years and a day old."""
    held = leaver_with_records()
    db.session.add(LoginSession(user_id=held["teacher"].id, token_hash="b" * 64,
                                created_at=NOW - timedelta(days=1),
                                last_seen_at=NOW - timedelta(days=1)))  # fmt: skip
    db.session.scalar(sa.select(WorkshopFeedback)).submitted_at = NOW - timedelta(days=731)
    other = factories.school("Untouched High")  # a school with nothing due
    factories.user(other, year=9)
    db.session.commit()
    held["other"] = other
    return held


def _by_type(lines) -> dict[tuple[str, int | None], int]:
    return {(line.record_type.name, line.school_id): line.count for line in lines}


def test_each_record_type_goes_after_its_period_and_again_changes_nothing(app):
    held = _fixture()
    school, other, pupil_id = held["school"].id, held["other"].id, held["pupil"].id
    before = _counts()
    dry = _by_type(retention.apply_all(app.config, NOW, dry_run=True))
    db.session.rollback()
    assert _counts() == before  # a dry run changes nothing
    expected = {
        ("sign_in_sessions", school): 1,  # Amara's, last used in March; the teacher's is recent
        ("security_log", school): 1,  # her sign-in in March: more than 400 days before NOW
        ("security_log", None): 2,  # two failed sign-ins with unknown usernames, in March
        ("leavers_accounts", school): 1,
        ("leavers_learning", school): 2,  # one lesson's progress, one quiz attempt
        ("workshop_feedback", school): 1,
    }
    assert {key: n for key, n in dry.items() if n} == expected
    assert dry[("sign_in_sessions", other)] == 0 and ("photo_consent", school) not in dry

    done = _by_type(retention.apply_all(app.config, NOW, dry_run=False))
    db.session.commit()
    assert {key: n for key, n in done.items() if n} == expected
    after = _counts()
    assert after["login_session"] == 1 and after["workshop_feedback"] == 0
    assert after["lesson_progress"] == after["step_response"] == 0
    assert after["quiz_attempt"] == after["quiz_answer"] == 0
    # evidence is kept: every acceptance and consent decision, and the erasure's own log line
    assert after["acceptance"] == before["acceptance"] and after["photo_consent"] == 1
    assert [e.detail for e in db.session.scalars(sa.select(AuditEvent))] == [
        '{"reason":"retention"}'
    ]
    assert db.session.get(User, pupil_id).username == f"erased-{pupil_id}"
    assert every_text_holding(NAME, USERNAME) == []

    again = _by_type(retention.apply_all(app.config, NOW, dry_run=False))
    assert {key: n for key, n in again.items() if n} == {}


def test_a_day_before_the_period_nothing_of_a_leaver_goes(app):
    held = _fixture()
    day_before = held["pupil"].left_at + timedelta(days=364)
    done = _by_type(retention.apply_all(app.config, day_before, dry_run=False))
    assert done[("leavers_accounts", held["school"].id)] == 0
    assert done[("leavers_learning", held["school"].id)] == 0
    assert db.session.get(User, held["pupil"].id).username == USERNAME


def test_overrides_change_a_period_or_keep_a_record_type(app):
    held = _fixture()
    app.config["LANTERN_RETENTION"] = {"leavers_accounts": None, "sign_in_sessions": 600}
    done = _by_type(retention.apply_all(app.config, NOW, dry_run=False))
    assert ("leavers_accounts", held["school"].id) not in done
    assert done[("sign_in_sessions", held["school"].id)] == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sessions=30", "no record type 'sessions'"),
        ("security_log=90", "with LANTERN_AUDIT_DAYS instead"),
        ("aup_acceptances=30", "'aup_acceptances' is always kept"),
    ],
)
def test_unknown_or_fixed_record_types_are_refused(text, message):
    with pytest.raises(ValueError, match=message):
        retention.check_overrides(retention_overrides(text))


@pytest.mark.parametrize("text", ["sign_in_sessions", "sign_in_sessions=-1", "=30", "x=3 days"])
def test_a_malformed_setting_is_refused(text):
    with pytest.raises(ValueError, match="is not NAME=DAYS or NAME=keep"):
        retention_overrides(text)


def test_the_command_prints_each_type_and_school_and_a_dry_run_changes_nothing(
    app, runner, monkeypatch
):
    held = _fixture()
    monkeypatch.setattr(privacy_cli, "utcnow", lambda: NOW)
    before = _counts()
    dry = runner.invoke(args=["retention", "apply", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert _counts() == before
    school = f"school {held['school'].id} (Erase Primary)"
    for line in (
        "sign_in_sessions: deleted 30 days after the session ended",
        f"  {school}: 1 would be deleted",
        f"  school {held['other'].id} (Untouched High): 0 would be deleted",
        "  no school: 2 would be deleted",
        "leavers_accounts: anonymised 365 days after the day they left",
        f"  {school}: 1 would be anonymised",
        "photo_consent: kept",
        "Dry run: nothing was changed.",
    ):
        assert line in dry.output
    real = runner.invoke(args=["retention", "apply"])
    assert real.exit_code == 0 and f"  {school}: 1 anonymised" in real.output
    again = runner.invoke(args=["retention", "apply"])
    assert f"  {school}: 0 anonymised" in again.output and f"{school}: 1" not in again.output


def test_the_readme_table_states_every_record_type_and_its_default():
    from app.config import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for record_type in retention.REGISTRY.values():
        days = "kept" if record_type.default_days is None else f"{record_type.default_days} days"
        assert f"| `{record_type.name}` | {days}" in readme, record_type.name


def test_who_read_or_wrote_a_safeguarding_record_outlives_the_security_log_period(app):
    held = _fixture()
    school_id, teacher_id = held["school"].id, held["teacher"].id
    old = NOW - timedelta(days=900)
    for event in (audit.Event.SAFEGUARDING_VIEWED, audit.Event.SIGN_IN):
        db.session.add(AuditEvent(school_id=school_id, event=event.value, actor_id=teacher_id,
                                  at=old))  # fmt: skip
    db.session.commit()
    retention.apply_all(app.config, NOW, dry_run=False)
    db.session.commit()
    left = set(db.session.scalars(sa.select(AuditEvent.event).where(AuditEvent.at == old)))
    assert left == {"safeguarding_viewed"}
    assert audit.prune(days=400, now=NOW) == 0  # the daily prune keeps it too

"""Erasing a person who has left: nothing identifying is left anywhere, the proof still holds."""

from __future__ import annotations

import json

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Acceptance,
    AuditEvent,
    LessonProgress,
    LoginSession,
    MfaRecoveryCode,
    PhotoConsent,
    ReportPupil,
    SafeguardingReport,
    User,
    parent_child,
)
from app.services import erasure
from tests import factories
from tests.privacy_data import NAME, ROSTER, USERNAME, every_text_holding, leaver_with_records


def test_erasing_a_leaver_leaves_nothing_identifying_and_the_chain_verifies(app, runner):
    held = leaver_with_records()
    pupil_id = held["pupil"].id
    proof = {r.id: r.record_hash for r in db.session.scalars(sa.select(Acceptance))}
    # the fixture holds her name in nine places, as a check that the search below can find it
    assert len(every_text_holding(NAME, USERNAME, ROSTER)) >= 6
    result = runner.invoke(args=["person", "erase", USERNAME, "--yes"])
    assert result.exit_code == 0, result.output
    assert f"erased-{pupil_id}" in result.output
    db.session.expire_all()

    assert every_text_holding(NAME, USERNAME, ROSTER) == []
    pupil = db.session.get(User, pupil_id)
    assert (pupil.username, pupil.display_name) == (f"erased-{pupil_id}", f"erased-{pupil_id}")
    assert pupil.password_hash is pupil.picture_hash is pupil.locale is pupil.roster_id is None
    assert pupil.erased_at is not None and pupil.active is False
    assert (
        db.session.scalar(sa.select(LoginSession).where(LoginSession.user_id == pupil_id)) is None
    )
    assert db.session.scalar(sa.select(MfaRecoveryCode)) is None
    assert db.session.execute(sa.select(parent_child)).all() == []
    # the records that name her id stay, and the proof is untouched and verifies
    assert db.session.scalar(sa.select(LessonProgress.pupil_id)) == pupil_id
    assert db.session.scalar(sa.select(PhotoConsent.pupil_id)) == pupil_id
    assert {r.id: r.record_hash for r in db.session.scalars(sa.select(Acceptance))} == proof
    verified = runner.invoke(args=["aup", "verify"])
    assert verified.exit_code == 0, verified.output + (verified.stderr or "")
    # other people's names that contain hers are left alone, and so is the teacher's message
    namesake = db.session.get(User, held["namesake"].id)
    assert (namesake.username, namesake.display_name) == ("amara.okafor2", "Amara Okafor-Jones")
    assert every_text_holding("amara.okafor2", besides=()) != []
    message = db.session.scalar(sa.text("SELECT message FROM assignment"))
    assert message == (
        f"erased-{pupil_id}: please finish lesson 2. erased-{pupil_id} and Amara Okafor-Jones, "
        "well done."
    )
    # the security log says it happened, why, and by whom (here: the command line), no name
    (logged,) = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event == "person_erased")
    ).all()
    assert (logged.subject_id, logged.actor_id) == (pupil_id, None)
    assert json.loads(logged.detail) == {"reason": "request"}


def test_someone_still_active_is_refused_with_the_reason(app, runner):
    held = leaver_with_records()
    parent = held["parent"]
    result = runner.invoke(args=["person", "erase", parent.username, "--yes"])
    assert result.exit_code == 1
    assert "still active: mark them as having left the school first" in result.output
    db.session.expire_all()
    assert db.session.get(User, parent.id).username == "grace.okafor"
    assert (
        db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.event == "person_erased"))
        is None
    )


def test_erasing_twice_is_refused_and_an_unknown_name_is_named(app, runner):
    held = leaver_with_records()
    assert runner.invoke(args=["person", "erase", USERNAME, "--yes"]).exit_code == 0
    again = runner.invoke(args=["person", "erase", f"erased-{held['pupil'].id}", "--yes"])
    assert again.exit_code == 1 and "already erased" in again.output
    unknown = runner.invoke(args=["person", "erase", USERNAME, "--yes"])
    assert unknown.exit_code == 1 and "No user is called 'amara.okafor'" in unknown.output


def test_erase_asks_for_confirmation_without_yes(app, runner):
    held = leaver_with_records()
    result = runner.invoke(args=["person", "erase", USERNAME], input="n\n")
    assert result.exit_code == 1 and "Erase Amara Okafor (amara.okafor, pupil) for good?" in (
        result.output
    )
    db.session.expire_all()
    assert db.session.get(User, held["pupil"].id).username == USERNAME


def test_a_name_in_a_published_aup_is_counted_not_changed(app):
    from app.models.aup import PublishedAup

    held = leaver_with_records()
    teacher = held["teacher"]
    body = {"contact": f"Talk to {teacher.display_name}"}
    db.session.add(PublishedAup(school_id=held["school"].id, audience="staff", version="x",
                                effective=held["pupil"].left_at.date(), body=body,
                                text_hash="f" * 64))  # fmt: skip
    teacher.active, teacher.left_at = False, held["pupil"].left_at
    db.session.commit()
    done = erasure.erase(teacher, erasure.Reason.NOT_NEEDED, actor_id=None)
    db.session.commit()
    assert done.left_in_published_aups == 1
    assert db.session.scalar(sa.select(PublishedAup.body)) == body


def test_another_schools_records_keep_a_name_that_is_theirs(app):
    held = leaver_with_records()
    other = factories.school("Namesake Academy")
    db.session.add(AuditEvent(school_id=other.id, event="export", detail=f'{{"note":"{NAME}"}}'))
    db.session.commit()
    erasure.erase(held["pupil"], erasure.Reason.REQUEST, actor_id=None)
    db.session.commit()
    assert every_text_holding(NAME) == [f'audit_event.detail: {{"note":"{NAME}"}}']


def test_a_leaver_named_in_the_safeguarding_log_is_refused_and_the_record_keeps_their_name(
    app, runner
):
    held = leaver_with_records()
    pupil, teacher = held["pupil"], held["teacher"]
    report = SafeguardingReport(
        school_id=pupil.school_id, kind="concern", author_id=teacher.id, text="Told me at lunch"
    )
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportPupil(report_id=report.id, pupil_id=pupil.id))
    db.session.commit()
    result = runner.invoke(args=["person", "erase", USERNAME, "--yes"])
    assert result.exit_code == 1
    assert "named in the safeguarding log" in result.output
    db.session.expire_all()
    assert db.session.get(User, pupil.id).display_name == NAME

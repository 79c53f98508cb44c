"""Subject access: everything held about one person, for the school's admin only, as JSON and pages.

The fixture is worked by hand: one pupil with a known row in every table that names a person,
so each expected value below is written out, not computed by the code under test.
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Acceptance,
    ConsentDecision,
    ConsentPart,
    LessonProgress,
    LoginSession,
    PhotoConsent,
    QuizAnswer,
    QuizAttempt,
    QuizMisconception,
    Role,
    StepResponse,
    User,
)
from app.services import subject_access
from tests import factories

T1 = datetime(2026, 9, 8, 9, 15, 0)
T2 = datetime(2026, 9, 8, 9, 40, 30)
T3 = datetime(2026, 10, 1, 14, 0, 0)
RECORD_1, RECORD_2 = "a1" * 32, "b2" * 32
TOKEN_HASH = "c3" * 32


@pytest.fixture
def held(app):
    """A pupil in 4A with a parent, two acceptances, progress, a quiz, consent and a session."""
    school = factories.school("Sar Primary")
    group = factories.school_class(school, "4A", 4)
    pupil = factories.user(
        school, Role.PUPIL, username="pupil.sar", year=4, display_name="Sam Reed",
        pictures=["star", "moon", "tree"],
    )  # fmt: skip
    parent = factories.user(school, Role.PARENT, username="parent.sar", display_name="Pat Reed")
    admin = factories.user(school, Role.ADMIN, username="admin.sar")
    teacher = factories.user(school, Role.TEACHER, username="teacher.sar")
    group.pupils.append(pupil)
    group.teachers.append(teacher)
    parent.children.append(pupil)
    common = {"school_id": school.id, "locale": "en", "text_hash": "d4" * 32}
    db.session.add_all([
        Acceptance(seq=1, user_id=pupil.id, on_behalf_of_id=None, login_session_id=None,
                   audience="ks2", aup_id="aup-ks2", aup_version="2026.1", accepted_at=T1,
                   hash_rule=1, ip_address="10.0.0.7", user_agent="PupilTablet/1.0",
                   prev_hash="0" * 64,
                   record_hash=RECORD_1, **common),
        Acceptance(seq=2, user_id=parent.id, on_behalf_of_id=pupil.id, login_session_id=None,
                   audience="parent", aup_id="aup-parent", aup_version="2026.2", accepted_at=T2,
                   hash_rule=1, ip_address="192.0.2.44", user_agent="HomeBrowser/2.0",
                   prev_hash=RECORD_1,
                   record_hash=RECORD_2, **common),
    ])  # fmt: skip
    progress = LessonProgress(
        pupil_id=pupil.id, lesson_id="ks2-grooming-1", lesson_version=3, content_hash="e5" * 32,
        current_step="sort-it", started_at=T1, updated_at=T2, completed_at=None,
        responses=[StepResponse(step_id="who-to-tell", answer={"choice": "tell-teacher"},
                                score=1, total=1, answered_at=T2)],
    )  # fmt: skip
    attempt = QuizAttempt(
        pupil_id=pupil.id, lesson_id="ks2-grooming-1", lesson_version=3, content_hash="e5" * 32,
        number=1, score=1, total=2, percent=50, passed=False, needed=2, submitted_at=T3,
        answers=[QuizAnswer(question_id="q-stranger", chosen=["b"], correct=True, shown=None),
                 QuizAnswer(question_id="q-password", chosen=["a", "c"], correct=False,
                            shown=None, misconceptions=[
                                QuizMisconception(misconception_id="password-habits")])],
    )  # fmt: skip
    db.session.add_all([progress, attempt])
    db.session.add_all([
        PhotoConsent(school_id=school.id, pupil_id=pupil.id, part=ConsentPart.IN_SCHOOL,
                     decision=ConsentDecision.GIVEN, decided_by_id=parent.id, decided_at=T1),
        PhotoConsent(school_id=school.id, pupil_id=pupil.id, part=ConsentPart.IN_SCHOOL,
                     decision=ConsentDecision.WITHDRAWN, decided_by_id=parent.id, decided_at=T3),
        LoginSession(user_id=pupil.id, token_hash=TOKEN_HASH, created_at=T1, last_seen_at=T2,
                     ended_at=T3, end_reason="idle"),
    ])  # fmt: skip
    db.session.commit()
    return {"pupil": pupil, "parent": parent, "admin": admin, "teacher": teacher, "class": group}


def _as(login_as, username: str):
    """A client signed in as one of the fixture's people."""
    return login_as(username, password=factories.PASSWORD)


def test_every_known_row_is_in_the_json_and_no_secret_is(held, login_as):
    pupil = held["pupil"]
    response = _as(login_as, "admin.sar").get(f"/admin/people/{pupil.id}/subject-access.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    assert "subject-access-pupil.sar-" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    for secret in (pupil.password_hash, pupil.picture_hash, TOKEN_HASH):
        assert secret not in body
    data = json.loads(body)
    account = data["account"]
    assert account["username"] == "pupil.sar" and account["display_name"] == "Sam Reed"
    assert account["year"] == 4 and account["role"] == "pupil"
    assert account["password_hash"] == account["picture_hash"] == "held, not disclosed"
    got = data["sections"]
    assert got["classes"] == [{"id": held["class"].id, "name": "4A", "year": 4}]
    assert got["parents"] == [
        {"id": held["parent"].id, "display_name": "Pat Reed", "role": "parent"}
    ]
    assert got["children"] == [] and got["classes_taught"] == []
    first, second = got["aup_acceptances"]
    assert first == {
        "id": first["id"], "school_id": pupil.school_id, "seq": 1, "user_id": pupil.id,
        "on_behalf_of_id": None, "login_session_id": None, "audience": "ks2",
        "aup_id": "aup-ks2", "aup_version": "2026.1", "locale": "en", "text_hash": "d4" * 32,
        "accepted_at": "2026-09-08T09:15:00", "ip_address": "10.0.0.7",
        "user_agent": "PupilTablet/1.0", "prev_hash": "0" * 64, "record_hash": RECORD_1,
        "hash_rule": 1, "network": "", "browser": "", "client_digest": "", "legacy_mac": None,
        "form": "full", "form_hash": "", "recorded_by_id": None, "method": "",
    }  # fmt: skip
    assert second["on_behalf_of_id"] == pupil.id and second["record_hash"] == RECORD_2
    assert second["user_agent"] == "HomeBrowser/2.0" and second["prev_hash"] == RECORD_1
    assert len(got["aup_latest"]) == 2
    (progress,) = got["lesson_progress"]
    assert progress["lesson_id"] == "ks2-grooming-1" and progress["current_step"] == "sort-it"
    (answer,) = progress["step_answers"]
    assert answer["step_id"] == "who-to-tell" and answer["answer"] == {"choice": "tell-teacher"}
    (attempt,) = got["quiz_attempts"]
    assert (attempt["score"], attempt["total"], attempt["passed"]) == (1, 2, False)
    assert [(a["question_id"], a["chosen"], a["correct"]) for a in attempt["answers"]] == [
        ("q-stranger", ["b"], True),
        ("q-password", ["a", "c"], False),
    ]
    assert [a["misconceptions"] for a in attempt["answers"]] == [[], ["password-habits"]]
    assert [(c["part"], c["decision"], c["decided_at"]) for c in got["photo_consent"]] == [
        ("in_school", "given", "2026-09-08T09:15:00"),
        ("in_school", "withdrawn", "2026-10-01T14:00:00"),
    ]
    assert got["photo_consent_decided"] == []
    (session,) = got["sign_in_sessions"]
    assert session == {
        "id": session["id"], "user_id": pupil.id, "created_at": "2026-09-08T09:15:00",
        "last_seen_at": "2026-09-08T09:40:30", "ended_at": "2026-10-01T14:00:00",
        "end_reason": "idle", "second_factor_at": None,
    }  # fmt: skip
    staff_only = ("modules_made", "work_set", "lessons_taught", "aup_introductions")
    assert all(got[key] == [] for key in (*staff_only, "aups_published", "workshops_run"))


def test_the_print_page_shows_every_row_and_no_secret(held, login_as):
    pupil = held["pupil"]
    page = _as(login_as, "admin.sar").get(f"/admin/people/{pupil.id}/subject-access")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/static/css/print.css" media="print"' in html
    for shown in ("Sam Reed", "pupil.sar", "4A", "Pat Reed", RECORD_1, RECORD_2, "10.0.0.7",
                  "PupilTablet/1.0", "HomeBrowser/2.0", "who-to-tell", "tell-teacher",
                  "q-stranger", "q-password", "withdrawn", "2026-10-01T14:00:00", "idle",
                  f"/admin/people/{pupil.id}/subject-access.json"):  # fmt: skip
        assert shown in html, shown
    assert "Held, not disclosed" in html
    for secret in (pupil.password_hash, pupil.picture_hash, TOKEN_HASH):
        assert secret not in html


def test_a_parent_export_shows_the_decisions_and_acceptances_they_made(held, login_as):
    parent = held["parent"]
    client = _as(login_as, "admin.sar")
    data = client.get(f"/admin/people/{parent.id}/subject-access.json").get_json()
    got = data["sections"]
    assert [c["display_name"] for c in got["children"]] == ["Sam Reed"]
    assert [row["record_hash"] for row in got["aup_acceptances"]] == [RECORD_2]
    assert [c["decision"] for c in got["photo_consent_decided"]] == ["given", "withdrawn"]


def test_the_people_page_links_to_each_persons_data(held, login_as):
    html = _as(login_as, "admin.sar").get("/admin/").get_data(as_text=True)
    assert f'href="/admin/people/{held["pupil"].id}/subject-access"' in html


@pytest.mark.parametrize("username", ["teacher.sar", "parent.sar", "pupil.sar"])
def test_only_the_admin_may_export(held, login_as, username):
    client = _as(login_as, username)
    pupil_id = held["pupil"].id
    assert client.get(f"/admin/people/{pupil_id}/subject-access").status_code == 403
    assert client.get(f"/admin/people/{pupil_id}/subject-access.json").status_code == 403


def test_a_coordinator_may_not_export(held, login_as):
    factories.user(held["pupil"].school, Role.COORDINATOR, username="coord.sar")
    db.session.commit()
    client = _as(login_as, "coord.sar")
    assert client.get(f"/admin/people/{held['pupil'].id}/subject-access").status_code == 403


def test_another_schools_person_is_not_found(held, login_as):
    there = factories.other_school()
    db.session.commit()
    client = _as(login_as, "admin.sar")
    for path in ("subject-access", "subject-access.json"):
        assert client.get(f"/admin/people/{there['pupil'].id}/{path}").status_code == 404
        assert client.get(f"/admin/people/999999/{path}").status_code == 404


def test_every_column_pointing_at_a_person_is_exported():
    """Walk every foreign key to the user table: a new one must be added to SOURCES."""
    user_table = User.__table__
    pointing = {
        (table.name, fk.parent.name)
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table is user_table
    }
    covered = {(s.table, s.column) for s in subject_access.SOURCES}
    assert pointing - covered == set(), "add these to app/services/subject_access.py SOURCES"
    for source in subject_access.SOURCES:
        assert source.column in db.metadata.tables[source.table].c, source
    # people named without a foreign key (evidence that outlives accounts) are covered too
    assert {("acceptance", "user_id"), ("acceptance", "on_behalf_of_id"),
            ("aup_latest", "user_id"), ("aup_latest", "subject_id")} <= covered  # fmt: skip


def test_the_download_name_is_safe():
    person = User(username='odd"name/\\é')
    assert subject_access.filename(person, date(2026, 12, 4)) == (
        "subject-access-odd-name----2026-12-04.json"
    )


def test_every_section_is_collected(held, app):
    with app.test_request_context():
        data = subject_access.collect(held["pupil"], T3)
    assert tuple(data["sections"]) == subject_access.SECTIONS
    assert set(sa.inspect(User).columns.keys()) == set(data["account"]) - {"school"}


def test_each_subject_access_export_is_kept_in_the_security_log(held, login_as):
    from app.models import AuditEvent

    pupil = held["pupil"]
    client = _as(login_as, "admin.sar")
    client.get(f"/admin/people/{pupil.id}/subject-access")
    client.get(f"/admin/people/{pupil.id}/subject-access.json")
    rows = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.event == "export").order_by(AuditEvent.id)
    ).all()
    assert [(row.subject_id, json.loads(row.detail)["export"]) for row in rows] == [
        (pupil.id, "subject_access_print"),
        (pupil.id, "subject_access_json"),
    ]

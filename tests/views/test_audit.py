"""The audit log: each event recorded once, with nothing secret, read by the right people."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.demo import school as demo
from app.extensions import db
from app.models import AuditEvent, SchoolClass, User, utcnow
from app.services import audit
from tests import factories
from tests.conftest import csrf_token, post, sign_in

SECRET = "Zebra-Secret-4417"


def _user(username: str) -> User:
    """A demo user by username."""
    return db.session.scalar(sa.select(User).where(User.username == username))


def _rows(event: str | None = None) -> list[AuditEvent]:
    """Every audit row (of one event type), oldest first."""
    query = sa.select(AuditEvent).order_by(AuditEvent.id)
    if event:
        query = query.where(AuditEvent.event == event)
    return list(db.session.scalars(query))


def _everything_stored() -> str:
    """All audit rows as text: what a leak of the table would show."""
    return " ".join(
        f"{r.event} {r.detail} {r.ip_address} {r.actor_id} {r.subject_id}" for r in _rows()
    )


def test_sign_in_and_sign_out_are_recorded(client, login_as, demo_school):
    login_as("teacher")
    teacher = _user("teacher")
    [row] = _rows("sign_in")
    assert (row.actor_id, row.subject_id, row.school_id) == (
        teacher.id,
        teacher.id,
        teacher.school_id,
    )
    assert json.loads(row.detail) == {"method": "password"}
    assert row.ip_address == "127.0.0.1"
    post(client, "/sign-out")
    [out] = _rows("sign_out")
    assert (out.actor_id, out.subject_id) == (teacher.id, teacher.id)
    assert json.loads(out.detail) == {"reason": "signed_out"}
    assert demo.DEMO_PASSWORD not in _everything_stored()


def test_a_failed_sign_in_is_recorded_without_the_password(client, demo_school):
    teacher = _user("teacher")
    assert sign_in(client, "teacher", SECRET).status_code == 401
    assert sign_in(client, "no.such.person" + "x" * 60, SECRET).status_code == 401
    known, unknown = _rows("sign_in_failed")
    assert (known.actor_id, known.subject_id, known.school_id) == (
        None,
        teacher.id,
        teacher.school_id,
    )
    assert json.loads(known.detail) == {"method": "password"}
    assert (unknown.actor_id, unknown.subject_id, unknown.school_id) == (None, None, None)
    tried = json.loads(unknown.detail)["username"]
    assert tried == ("no.such.person" + "x" * 60)[: audit.USERNAME_KEPT]
    assert SECRET.lower() not in _everything_stored().lower()


def test_picture_sign_ins_and_failures_are_recorded(client, demo_school):
    pupil = _user("pupil.y1")
    token = csrf_token(client, "/sign-in/pictures")
    client.post("/sign-in/pictures", data={"csrf_token": token, "code": demo.CLASS_CODE})
    post(client, "/sign-in/pictures/name", {"pupil": pupil.id}, token_from="/sign-in/pictures/name")
    for picture in ("dog", "dog", "dog", *demo.PICTURES):
        post(client, "/sign-in/pictures/password", {"picture": picture},
             token_from="/sign-in/pictures/password")  # fmt: skip
    [failed] = _rows("sign_in_failed")
    assert (failed.actor_id, failed.subject_id) == (None, pupil.id)
    assert json.loads(failed.detail) == {"method": "pictures"}
    [row] = _rows("sign_in")
    assert (row.actor_id, json.loads(row.detail)) == (pupil.id, {"method": "pictures"})
    assert "cat" not in _everything_stored() and "dog" not in _everything_stored()


def test_a_password_change_is_recorded_without_either_password(client, login_as, demo_school):
    login_as("teacher")
    response = post(client, "/account/password",
                    {"current": demo.DEMO_PASSWORD, "password": SECRET, "confirm": SECRET},
                    token_from="/account/password")  # fmt: skip
    assert response.status_code == 303
    teacher = _user("teacher")
    [row] = _rows("password_changed")
    assert (row.actor_id, row.subject_id) == (teacher.id, teacher.id)
    stored = _everything_stored()
    assert SECRET not in stored and demo.DEMO_PASSWORD not in stored


def test_an_admin_ending_someones_sessions_is_recorded(client, login_as, demo_school):
    login_as("admin")
    teacher, admin = _user("teacher"), _user("admin")
    assert post(client, f"/admin/users/{teacher.id}/end-sessions").status_code == 303
    [row] = _rows("sessions_ended")
    assert (row.actor_id, row.subject_id, row.school_id) == (admin.id, teacher.id, admin.school_id)


@pytest.mark.parametrize(
    ("username", "url", "export"),
    [
        ("coordinator", "/coordinator/export/compliance.csv", "compliance"),
        ("coordinator", "/coordinator/export/coverage.csv", "coverage"),
        ("teacher", "/teacher/classes/{class_4b}/progress.csv", "class_progress"),
    ],
)
def test_every_csv_export_is_recorded(client, login_as, demo_school, username, url, export):
    four_b = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
    login_as(username)
    response = client.get(url.format(class_4b=four_b.id))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    [row] = _rows("export")
    assert row.actor_id == _user(username).id and row.school_id == demo_school.id
    assert json.loads(row.detail)["export"] == export


def test_a_workshop_feedback_export_is_recorded(client, login_as, demo_school):
    from app.content import workshops
    from app.services import school_calendar
    from app.services import workshops as service

    pack = workshops().packs()[0]
    row = service.start_session(_user("coordinator"), pack, school_calendar.today())
    db.session.commit()
    login_as("coordinator")
    assert client.get(f"/workshops/sessions/{row.id}/feedback.csv").status_code == 200
    [event] = _rows("export")
    assert json.loads(event.detail) == {"export": "workshop_feedback", "session_id": row.id}


def test_coordinator_consent_views_are_recorded(client, login_as, demo_school):
    four_b = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
    login_as("coordinator")
    for url in ("/coordinator/consent", f"/coordinator/consent/classes/{four_b.id}",
                "/coordinator/consent/without"):  # fmt: skip
        assert client.get(url).status_code == 200
    pages = [json.loads(r.detail) for r in _rows("consent_viewed")]
    assert pages == [{"page": "school"}, {"page": "class", "class_id": four_b.id},
                     {"page": "without"}]  # fmt: skip
    assert {r.actor_id for r in _rows("consent_viewed")} == {_user("coordinator").id}


def test_a_parent_viewing_a_childs_consent_is_recorded(client, login_as, demo_school):
    login_as("parent")
    child = _user("pupil.y4")
    assert client.get(f"/parent/children/{child.id}").status_code == 200
    assert client.get(f"/parent/children/{child.id}/consent").status_code == 200
    rows = _rows("consent_viewed")
    assert [(r.actor_id, r.subject_id) for r in rows] == [(_user("parent").id, child.id)] * 2
    assert [json.loads(r.detail)["page"] for r in rows] == ["child", "consent_form"]


def test_the_event_types_to_come_exist(app):
    assert {"password_reset", "role_changed", "safeguarding_viewed"} <= {
        str(e) for e in audit.Event
    }


def _seed(school_id: int, event: str, days_ago: int = 0, **fields) -> AuditEvent:
    """An audit row written directly, at a chosen age."""
    row = audit.record(audit.Event(event), school_id, **fields)
    row.at = utcnow() - timedelta(days=days_ago)
    db.session.commit()
    return row


def test_the_admin_page_shows_only_own_school_security_events(client, login_as, demo_school):
    other = factories.other_school()
    teacher = _user("teacher")
    _seed(demo_school.id, "sign_in", actor_id=teacher.id, subject_id=teacher.id)
    _seed(
        other["school"].id, "sign_in", actor_id=other["teacher"].id, subject_id=other["teacher"].id
    )
    _seed(demo_school.id, "consent_viewed", actor_id=_user("coordinator").id)
    login_as("admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Ms Patel" in page and other["teacher"].display_name not in page
    assert "Mr Hughes" not in page  # consent views are the coordinator's to read
    assert "Signed in" in page


def test_the_admin_page_filters_by_event_and_person_and_pages(client, login_as, demo_school):
    teacher, coordinator = _user("teacher"), _user("coordinator")
    for _ in range(audit.PER_PAGE + 1):
        _seed(demo_school.id, "sign_in", actor_id=teacher.id, subject_id=teacher.id)
    _seed(demo_school.id, "export", actor_id=coordinator.id, detail={"export": "coverage"})
    login_as("admin")
    exports = client.get("/admin/audit?event=export").get_data(as_text=True)
    assert "Mr Hughes" in exports and "Ms Patel" not in exports
    by_teacher = client.get("/admin/audit?person=teacher").get_data(as_text=True)
    assert "Ms Patel" in by_teacher and "Mr Hughes" not in by_teacher
    assert "Older events" in by_teacher
    second = client.get("/admin/audit?person=teacher&page=2").get_data(as_text=True)
    assert second.count("<time ") == 1  # 51 rows: 50 on page 1, 1 on page 2
    nobody = client.get("/admin/audit?person=nobody.here").get_data(as_text=True)
    assert "Nobody in the school has the username" in nobody


def test_the_coordinator_page_shows_own_school_consent_views_only(client, login_as, demo_school):
    other = factories.other_school()
    parent = _user("parent")
    _seed(demo_school.id, "consent_viewed", actor_id=parent.id, subject_id=_user("pupil.y4").id)
    _seed(other["school"].id, "consent_viewed", actor_id=other["teacher"].id)
    _seed(demo_school.id, "sign_in", actor_id=_user("teacher").id)
    login_as("coordinator")
    page = client.get("/coordinator/audit").get_data(as_text=True)
    assert "Jo Carter" in page and "Ben C." in page
    assert other["teacher"].display_name not in page and "Ms Patel" not in page
    [seen] = _rows("audit_viewed")  # reading who read the records is itself recorded
    assert seen.actor_id == _user("coordinator").id


@pytest.mark.parametrize("username", ["teacher", "coordinator", "parent", "pupil.y4"])
def test_other_roles_cannot_read_the_admin_log(client, login_as, demo_school, username):
    login_as(username)
    assert client.get("/admin/audit").status_code == 403


@pytest.mark.parametrize("username", ["teacher", "admin", "parent", "pupil.y4"])
def test_other_roles_cannot_read_the_coordinator_log(client, login_as, demo_school, username):
    login_as(username)
    assert client.get("/coordinator/audit").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, demo_school):
    for url in ("/admin/audit", "/coordinator/audit"):
        assert client.get(url).status_code in (302, 303)


FORM = re.compile(r"<form\b[^>]*>", re.IGNORECASE)


def test_the_audit_pages_offer_no_way_to_change_or_delete_a_row(client, login_as, demo_school):
    _seed(demo_school.id, "sign_in", actor_id=_user("teacher").id)
    _seed(demo_school.id, "consent_viewed", actor_id=_user("parent").id)
    for username, url in (("admin", "/admin/audit"), ("coordinator", "/coordinator/audit")):
        login_as(username)
        page = client.get(url).get_data(as_text=True)
        main = page[page.index("<main") : page.index("</main>")]  # the header's sign-out aside
        forms = FORM.findall(main)
        assert forms and all('method="get"' in form.lower() for form in forms), forms
        header = FORM.findall(page.split("<main")[0])
        assert {re.search(r'action="([^"]*)"', f).group(1) for f in header} <= {
            "/sign-out",
            "/language",
        }
        post(client, "/sign-out")
    for rule in client.application.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


def test_an_audit_row_cannot_be_changed_or_deleted_through_the_orm(app, demo_school):
    row = _seed(demo_school.id, "sign_in")
    row.event = "sign_out"
    with pytest.raises(RuntimeError, match="insert-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, row.id))
    with pytest.raises(RuntimeError, match="insert-only"):
        db.session.flush()
    db.session.rollback()


def test_prune_deletes_only_rows_older_than_the_setting(app, runner, demo_school):
    old = _seed(demo_school.id, "sign_in", days_ago=401)
    kept = _seed(demo_school.id, "sign_in", days_ago=399)
    old_id, kept_id = old.id, kept.id
    dry = runner.invoke(args=["audit", "prune", "--dry-run"])
    assert (
        dry.exit_code == 0 and "1 audit events older than 400 days would be deleted" in dry.output
    )
    assert db.session.get(AuditEvent, old_id) is not None
    done = runner.invoke(args=["audit", "prune"])
    assert done.exit_code == 0 and "1 audit events older than 400 days deleted" in done.output
    db.session.expire_all()
    assert db.session.get(AuditEvent, old_id) is None
    assert db.session.get(AuditEvent, kept_id) is not None


def test_a_wrong_current_password_is_recorded_as_a_failure(client, login_as, demo_school):
    login_as("teacher")
    teacher = _user("teacher")
    post(client, "/account/password", {"current": SECRET, "password": "x" * 12,
         "confirm": "x" * 12}, token_from="/account/password")  # fmt: skip
    [row] = _rows("sign_in_failed")
    assert (row.actor_id, row.subject_id) == (teacher.id, teacher.id)
    assert json.loads(row.detail) == {"method": "current_password"}
    assert SECRET not in _everything_stored() and "x" * 12 not in _everything_stored()


@pytest.mark.parametrize(("field", "reason"), [("last_seen_at", "idle"), ("created_at", "max_age")])
def test_a_session_the_server_ends_is_recorded_as_a_sign_out(
    client, login_as, demo_school, field, reason
):
    from app.models import LoginSession

    login_as("teacher")
    teacher = _user("teacher")
    record = db.session.scalar(sa.select(LoginSession).where(LoginSession.user_id == teacher.id))
    setattr(record, field, getattr(record, field) - timedelta(days=1))
    db.session.commit()
    assert client.get("/teacher/").status_code in (302, 303)
    [row] = _rows("sign_out")
    assert (row.actor_id, row.subject_id) == (None, teacher.id)
    assert json.loads(row.detail) == {"reason": reason}

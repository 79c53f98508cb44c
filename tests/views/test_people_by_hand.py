"""People and classes by hand: the admin adds, edits, marks as left and links; classes too."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.demo import school as demo
from app.extensions import db
from app.models import AuditEvent, LoginSession, Role, SchoolClass, User
from tests import factories
from tests.conftest import agree, csrf_token, sign_in


def _user(username: str) -> User | None:
    """A person by username, read afresh."""
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


def _class(name: str) -> SchoolClass | None:
    """A class by name, read afresh."""
    db.session.expire_all()
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _post(client, path: str, data: dict):
    """POST as the signed-in admin with a CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client, "/admin/"), **data})


def _events(kind: str) -> list[AuditEvent]:
    """The security log's events of one kind, oldest first."""
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.event == kind)))


@pytest.fixture
def admin(client, login_as, demo_school):
    """The demo admin, signed in."""
    login_as("admin")
    return client


def test_the_admin_adds_a_pupil_and_a_teacher_with_usernames_from_their_names(admin):
    response = _post(admin, "/admin/people/new", {"role": "pupil", "given": "Siân",
                                                  "family": "Jones", "year": "3"})  # fmt: skip
    assert response.status_code == 303
    pupil = _user("sianj")
    assert pupil.role is Role.PUPIL and pupil.year == 3 and pupil.password_hash is None
    assert pupil.display_name == "Siân Jones"
    _post(admin, "/admin/people/new", {"role": "teacher", "given": "Ali", "family": "Khan"})
    teacher = _user("akhan")
    assert teacher.role is Role.TEACHER and teacher.year is None
    assert [e.subject_id for e in _events("role_changed")] == [teacher.id]


def test_a_pupil_needs_a_year_group_and_nothing_is_added_without_one(admin):
    response = _post(admin, "/admin/people/new", {"role": "pupil", "given": "Tom", "family": "Lee"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose the pupil&#39;s year group." in page and 'value="Tom"' in page  # kept
    assert _user("toml") is None


def test_role_and_dsl_changes_are_logged_and_nobody_changes_their_own(admin):
    teacher = _user("teacher")
    changes = {"display_name": "Mr T. Hughes", "role": "coordinator", "dsl": "y"}
    response = _post(admin, f"/admin/people/{teacher.id}", changes)
    assert response.status_code == 303
    teacher = _user("teacher")
    assert (teacher.role, teacher.dsl, teacher.display_name) == (
        Role.COORDINATOR, True, "Mr T. Hughes")  # fmt: skip
    [event] = _events("role_changed")
    assert json.loads(event.detail) == {"from": "teacher", "to": "coordinator", "dsl": True}
    me = _user("admin")
    _post(admin, f"/admin/people/{me.id}", {"display_name": "Me", "role": "teacher"})
    assert _user("admin").role is Role.ADMIN
    bad = _post(admin, f"/admin/people/{teacher.id}", {"display_name": "X", "role": "pupil"})
    assert bad.status_code == 400 and _user("teacher").role is Role.COORDINATOR


def test_a_leaver_cannot_sign_in_keeps_their_records_and_can_come_back(admin, app):
    pupil = _user("pupil.y8")
    other = app.test_client()
    assert sign_in(other, "pupil.y8", demo.DEMO_PASSWORD).status_code == 303
    assert _post(admin, f"/admin/people/{pupil.id}/left", {}).status_code == 303
    left = _user("pupil.y8")
    assert not left.active and left.left_at is not None
    open_sessions = sa.select(sa.func.count()).where(
        LoginSession.user_id == pupil.id, LoginSession.ended_at.is_(None)
    )
    assert db.session.scalar(open_sessions) == 0
    assert sign_in(app.test_client(), "pupil.y8", demo.DEMO_PASSWORD).status_code == 401
    _post(admin, f"/admin/people/{pupil.id}/left", {"back": "1"})
    assert _user("pupil.y8").active and _user("pupil.y8").left_at is None
    me = _user("admin")
    assert _post(admin, f"/admin/people/{me.id}/left", {}).status_code == 403


def test_the_admin_links_and_unlinks_a_parent_and_a_child_of_the_school(admin):
    child = _user("pupil.y1")
    elsewhere = factories.other_school()
    db.session.commit()
    response = _post(admin, f"/admin/people/{child.id}/links", {"username": "parent"})
    assert response.status_code == 303
    assert child.id in [c.id for c in _user("parent").children]
    [event] = _events("parent_linked")
    assert event.subject_id == child.id
    refused = _post(admin, f"/admin/people/{child.id}/links", {"username": "teacher"})
    assert refused.status_code == 303
    assert len(_user("pupil.y1").parents) == 1
    parent = _user("parent")
    outsider = elsewhere["pupil"]
    _post(admin, f"/admin/people/{parent.id}/links", {"username": outsider.username})
    assert outsider.id not in [c.id for c in _user("parent").children]
    _post(admin, f"/admin/people/{child.id}/links/{parent.id}/remove", {})
    assert child.id not in [c.id for c in _user("parent").children]


def test_the_admin_makes_renames_staffs_and_ends_a_class(admin, client, app):
    assert _post(admin, "/admin/classes", {"name": "4Z", "year": "4"}).status_code == 303
    made = _class("4Z")
    assert made.year == 4 and made.ended_at is None
    taken = _post(admin, "/admin/classes", {"name": "4b", "year": "4"})  # 4B exists
    assert taken.status_code == 400 and "already has a class called 4b" in taken.get_data(True)
    teacher, pupil = _user("teacher"), _user("pupil.y4")
    response = _post(admin, f"/admin/classes/{made.id}", {"name": "4 Oak", "year": "4",
                     "teacher": str(teacher.id), "pupil": [str(pupil.id), "junk"]})  # fmt: skip
    assert response.status_code == 303
    made = _class("4 Oak")
    assert [t.id for t in made.teachers] == [teacher.id]
    assert [p.id for p in made.pupils] == [pupil.id]
    teacher_client = app.test_client()
    assert sign_in(teacher_client, "teacher", demo.DEMO_PASSWORD).status_code == 303
    agree(teacher_client)
    assert "4 Oak" in teacher_client.get("/teacher/").get_data(as_text=True)
    assert _post(admin, f"/admin/classes/{made.id}/end", {}).status_code == 303
    assert _class("4 Oak").ended_at is not None
    assert "4 Oak" not in teacher_client.get("/teacher/").get_data(as_text=True)
    assert [p.id for p in _class("4 Oak").pupils] == [pupil.id]  # history kept
    frozen = _post(admin, f"/admin/classes/{made.id}", {"name": "Renamed", "year": "4"})
    assert frozen.status_code == 403 and _class("Renamed") is None


@pytest.mark.parametrize("username", ["teacher", "coordinator", "pupil.y4", "parent"])
def test_only_the_admin_reaches_people_and_class_pages(client, login_as, demo_school, username):
    login_as(username)
    pupil, four_b = _user("pupil.y4"), _class("4B")
    token = csrf_token(client, "/")
    gets = ["/admin/people/new", f"/admin/people/{pupil.id}", "/admin/classes",
            f"/admin/classes/{four_b.id}"]  # fmt: skip
    for path in gets:
        assert client.get(path).status_code == 403, path
    posts = [f"/admin/people/{pupil.id}/left", f"/admin/classes/{four_b.id}/end",
             f"/admin/people/{pupil.id}/links"]  # fmt: skip
    for path in posts:
        assert client.post(path, data={"csrf_token": token}).status_code == 403, path
    assert _user("pupil.y4").active and _class("4B").ended_at is None


def test_another_schools_admin_gets_not_found_on_every_object(app, demo_school):
    elsewhere = factories.other_school()
    factories.user(elsewhere["school"], Role.ADMIN, username="otheradmin")
    db.session.commit()
    other = app.test_client()
    assert sign_in(other, "otheradmin", factories.PASSWORD).status_code == 303
    agree(other)
    pupil, parent, four_b = _user("pupil.y4"), _user("parent"), _class("4B")
    assert other.get(f"/admin/people/{pupil.id}").status_code == 404
    assert other.get(f"/admin/classes/{four_b.id}").status_code == 404
    token = csrf_token(other, "/admin/")
    for path in (f"/admin/people/{pupil.id}", f"/admin/people/{pupil.id}/left",
                 f"/admin/people/{pupil.id}/links", f"/admin/classes/{four_b.id}",
                 f"/admin/classes/{four_b.id}/end",
                 f"/admin/people/{pupil.id}/links/{parent.id}/remove"):  # fmt: skip
        answer = other.post(path, data={"csrf_token": token, "username": "parent",
                                        "display_name": "X", "name": "X", "year": "4"})  # fmt: skip
        assert answer.status_code == 404, path
    assert _user("pupil.y4").active and _class("4B").ended_at is None
    assert _user("pupil.y4").display_name != "X"


def test_the_class_list_runs_the_same_statements_however_many_classes(demo_school, login_as):
    admin = login_as("admin")
    statements = []

    def note(conn, cursor, statement, *args):
        statements.append(statement)

    def count() -> int:
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", note)
        try:
            page = admin.get("/admin/classes")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", note)
        assert page.status_code == 200
        return len(statements)

    before = count()
    teacher = _user("teacher")
    for n in range(12):
        made = factories.school_class(demo_school, f"Extra {n}", 5)
        made.teachers.append(teacher)
        made.pupils.append(factories.user(demo_school, username=f"extra{n}", year=5))
    db.session.commit()
    assert "Extra 11" in admin.get("/admin/classes").get_data(as_text=True)
    assert count() == before

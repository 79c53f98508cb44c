"""Every staff URL (/teacher/*, /present/*), tried by the wrong people and with the wrong ids.

The list of staff endpoints comes from app.url_map: a new staff URL with no entry in OBJECTS
fails this test until someone says which objects it names, so no URL slips through untested.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role, SchoolClass, User
from tests import factories
from tests.conftest import csrf_token

STAFF_PREFIXES = ("/teacher", "/present")

# endpoint -> the URL arguments that name an object the user must be allowed to reach
OBJECTS: dict[str, set[str]] = {
    "teacher.home": set(),
    "teacher.curriculum": set(),
    "teacher.lesson": set(),
    "teacher.preview": set(),
    "teacher.modules": set(),
    "teacher.module": {"module_id"},
    "teacher.new_module": set(),
    "teacher.edit_module": {"module_id"},
    "teacher.assign": set(),
    "teacher.assignment": {"assignment_id"},
    "teacher.withdraw": {"assignment_id"},
    "teacher.class_page": {"class_id"},
    "teacher.progress_csv": {"class_id"},
    "teacher.open_picture_sign_in": {"class_id"},
    "teacher.end_picture_sign_in": {"class_id"},
    "teacher.quiz_analysis": {"class_id"},
    "teacher.class_cards": {"class_id"},
    "present.lesson": set(),
    "present.lesson_slide": set(),
    "present.lesson_notes": set(),
    "present.mark_taught": set(),
    "present.aup": {"class_id"},
    "present.aup_slide": {"class_id"},
    "present.aup_notes": {"class_id"},
    "present.record_introduction": {"class_id"},
}
# Modules belong to the school: any teacher there may see and assign one, only its builder edit it.
SHARED_IN_SCHOOL = {"teacher.module"}
PLAIN_VALUES = {"lesson_id": "ks2-grooming-1", "step_id": "online-friends", "n": 1}


def staff_rules(app):
    """Every URL rule under a staff prefix, with the methods it answers."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(STAFF_PREFIXES) and rule.endpoint != "static"
    ]


def _methods(rule) -> list[str]:
    """The methods worth trying on a rule."""
    return sorted(rule.methods & {"GET", "POST"})


def _url(app, rule, objects: dict) -> str:
    """The rule's URL, with object ids from objects and fixed values for everything else."""
    values = {}
    for arg in rule.arguments:
        if arg in objects:
            values[arg] = objects[arg]
        elif arg in PLAIN_VALUES:
            values[arg] = PLAIN_VALUES[arg]
        else:
            pytest.fail(f"{rule.endpoint}: add a value for <{arg}> to this test")
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values, preset="ks2/grooming")


def _call(client, method: str, url: str, token: str):
    """GET, or POST with a valid CSRF token so the access check itself is what answers."""
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token})


@pytest.fixture
def world(app, demo_school):
    """The demo school, another teacher's class and assignment, and a second school."""
    own = _class("4B")
    not_theirs = _class("5A")  # nobody teaches 5A, so `teacher` may not see it
    colleague = factories.user(demo_school, Role.TEACHER)
    not_theirs.teachers.append(colleague)
    their_module = factories.module(demo_school, ["ks2-bullying-1"], created_by_id=colleague.id)
    own_module = factories.module(
        demo_school, ["ks2-grooming-1"], created_by_id=_user("teacher").id
    )
    data = {
        "own": {
            "class_id": own.id,
            "module_id": own_module.id,
            "assignment_id": factories.assignment(own_module, own).id,
        },
        "colleague": {
            "class_id": not_theirs.id,
            "module_id": their_module.id,
            "assignment_id": factories.assignment(their_module, not_theirs).id,
        },
    }
    elsewhere = factories.other_school()
    data["other_school"] = {
        "class_id": elsewhere["class"].id,
        "module_id": elsewhere["module"].id,
        "assignment_id": elsewhere["assignment"].id,
    }
    db.session.commit()
    return data


def _class(name: str) -> SchoolClass:
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_every_staff_url_is_known_to_this_test(app):
    missing = sorted(r.endpoint for r in staff_rules(app) if r.endpoint not in OBJECTS)
    assert not missing, f"staff URLs with no access case here: {missing}"
    assert len(staff_rules(app)) >= 14


@pytest.mark.parametrize("username, home", [("pupil.y4", "/pupil/"), ("parent", "/parent/")])
def test_pupils_and_parents_are_refused_every_staff_url(
    app, client, login_as, world, username, home
):
    login_as(username)
    token = csrf_token(client, home)
    for rule in staff_rules(app):
        url = _url(app, rule, world["own"])
        for method in _methods(rule):
            assert _call(client, method, url, token).status_code == 403, (method, url)


def test_a_teacher_is_refused_another_teachers_class_and_assignment(app, client, login_as, world):
    login_as("teacher")
    token = csrf_token(client, "/teacher/")
    for rule in staff_rules(app):
        named = OBJECTS[rule.endpoint] & set(rule.arguments)
        if not named or rule.endpoint in SHARED_IN_SCHOOL:
            continue
        url = _url(app, rule, world["colleague"])
        for method in _methods(rule):
            assert _call(client, method, url, token).status_code in (403, 404), (method, url)


def test_another_schools_ids_are_not_found_on_every_staff_url(app, client, login_as, world):
    login_as("teacher")
    token = csrf_token(client, "/teacher/")
    tried = 0
    for rule in staff_rules(app):
        if not OBJECTS[rule.endpoint] & set(rule.arguments):
            continue
        url = _url(app, rule, world["other_school"])
        for method in _methods(rule):
            assert _call(client, method, url, token).status_code == 404, (method, url)
            tried += 1
    assert tried >= 8


def test_coordinators_see_every_class_of_their_school_but_not_another_school(
    client, login_as, world
):
    login_as("coordinator")
    assert client.get(f"/teacher/classes/{world['colleague']['class_id']}").status_code == 200
    assert client.get(f"/teacher/classes/{world['other_school']['class_id']}").status_code == 404


def test_the_teacher_reaches_every_teacher_url_with_their_own_ids(app, client, login_as, world):
    login_as("teacher")
    for rule in staff_rules(app):
        if rule.endpoint.startswith("teacher.") and "GET" in rule.methods:
            url = _url(app, rule, world["own"])
            assert client.get(url).status_code == 200, url


def test_a_teacher_may_see_a_colleagues_module_but_not_edit_it(client, login_as, world):
    login_as("teacher")
    module_id = world["colleague"]["module_id"]
    assert client.get(f"/teacher/modules/{module_id}").status_code == 200
    assert client.get(f"/teacher/modules/{module_id}/edit").status_code == 403
    page = client.get("/teacher/modules").get_data(as_text=True)
    assert re.search(rf'href="/teacher/modules/{module_id}/edit"', page) is None

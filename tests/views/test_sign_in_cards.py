"""Sign-in cards for a class, resets by teachers and the admin: who may, what changes, the log."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, Role, SchoolClass, User, utcnow
from app.services import auth
from tests import factories
from tests.conftest import csrf_token, sign_in

CARD_PASSWORD = re.compile(r'data-testid="card-password">([a-z]+-[a-z]+-[a-z]+-\d\d)<')


def _class(name: str) -> SchoolClass:
    """A demo class by name."""
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _user(username: str) -> User:
    """A demo person by username, read afresh."""
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


def _resets() -> list[tuple[int, int, str]]:
    """Every reset in the security log: (by, whom, detail)."""
    rows = db.session.execute(
        sa.select(AuditEvent.actor_id, AuditEvent.subject_id, AuditEvent.detail).where(
            AuditEvent.event == "password_reset"
        )
    )
    return [tuple(row) for row in rows]


def _cards(client, school_class, data: dict, token_from: str = "/teacher/"):
    """Post the cards form for a class."""
    token = csrf_token(client, token_from)
    return client.post(
        f"/teacher/classes/{school_class.id}/cards", data={"csrf_token": token, **data}
    )


def test_the_teacher_prints_cards_only_for_the_pupils_ticked(client, login_as, demo_school):
    four_b = _class("4B")
    login_as("teacher")
    page = client.get(f"/teacher/classes/{four_b.id}/cards")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    pupil = _user("pupil.y4")
    without = [p for p in four_b.pupils if p.password_hash is None]
    assert page.get_data(as_text=True).count(" checked") == len(without) > 0  # ticked for you
    assert f'id="pupil-{pupil.id}" checked' not in page.get_data(as_text=True)
    classmate = without[0]  # not ticked by the teacher this time: left as it was
    response = _cards(client, four_b, {"pupil": str(pupil.id), f"kind-{pupil.id}": "password"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert body.count('data-testid="sign-in-card"') == 1 and "pupil.y4" in body
    password = CARD_PASSWORD.search(body).group(1)
    pupil, classmate = _user("pupil.y4"), db.session.get(User, classmate.id)
    assert pupil.must_change_password and classmate.password_hash is None
    assert _resets() == [(_user("teacher").id, pupil.id, '{"kind":"password","via":"class_cards"}')]
    # the pupil signs in with the card's password and must choose their own first
    other = client.application.test_client()
    assert sign_in(other, "pupil.y4", password).status_code == 303
    assert other.get("/pupil/").headers["Location"].endswith("/account/password")


def test_ticking_nobody_changes_nothing_and_says_why(client, login_as, demo_school):
    four_b = _class("4B")
    login_as("teacher")
    hashes = {p.id: p.password_hash for p in four_b.pupils}
    response = _cards(client, four_b, {"pupil": "not-an-id"})
    assert response.status_code == 400
    assert "Tick at least one pupil" in response.get_data(as_text=True)
    db.session.expire_all()
    assert {p.id: p.password_hash for p in _class("4B").pupils} == hashes
    assert _resets() == []


def test_pupils_with_nothing_to_sign_in_with_are_ticked_and_get_pictures_in_ks1(
    client, login_as, demo_school
):
    one_a = _class("1A")
    newcomer = factories.user(demo_school, year=1, password=None, display_name="Zac New")
    one_a.pupils.append(newcomer)
    db.session.commit()
    login_as("admin")
    page = client.get(f"/teacher/classes/{one_a.id}/cards").get_data(as_text=True)
    assert re.search(rf'value="{newcomer.id}" id="pupil-{newcomer.id}" checked', page)
    without = [p for p in _class("1A").pupils if p.picture_hash is None]
    assert page.count(" checked") == len(without)  # Amara O. has pictures: not ticked
    assert _user("pupil.y1").picture_hash is not None
    response = _cards(client, one_a, {"pupil": str(newcomer.id)}, token_from="/admin/")
    body = response.get_data(as_text=True)
    shown = re.findall(r"img/pictures/(\w+)\.svg", body)
    assert len(shown) == 3
    assert auth.authenticate_pictures(_user(newcomer.username), shown)


@pytest.mark.parametrize("username, status", [("pupil.y4", 403), ("parent", 403)])
def test_pupils_and_parents_are_refused_the_cards(client, login_as, demo_school, username, status):
    login_as(username)
    four_b = _class("4B")
    assert client.get(f"/teacher/classes/{four_b.id}/cards").status_code == status
    assert _cards(client, four_b, {"pupil": str(four_b.pupils[0].id)}, "/").status_code == status
    assert _resets() == []


def test_a_coordinator_prints_cards_for_any_class_of_the_school(client, login_as, demo_school):
    login_as("coordinator")
    one_a = _class("1A")
    pupil = one_a.pupils[0]
    response = _cards(client, one_a, {"pupil": str(pupil.id)}, "/teacher/")
    assert response.status_code == 200
    assert [(by, whom) for by, whom, _ in _resets()] == [(_user("coordinator").id, pupil.id)]


def test_a_teacher_cannot_print_cards_for_a_class_they_do_not_teach(client, login_as, demo_school):
    login_as("teacher")
    one_a = _class("1A")
    assert client.get(f"/teacher/classes/{one_a.id}/cards").status_code == 403
    assert _cards(client, one_a, {"pupil": str(one_a.pupils[0].id)}).status_code == 403
    assert _resets() == []


def test_another_schools_teacher_and_admin_get_not_found(client, demo_school):
    elsewhere = factories.other_school()
    admin = factories.user(elsewhere["school"], Role.ADMIN, username="otheradmin")
    db.session.commit()
    four_b = _class("4B")
    for person in (elsewhere["teacher"], admin):
        other = client.application.test_client()
        assert sign_in(other, person.username, factories.PASSWORD).status_code == 303
        other.get("/aup")  # the AUP gate answers first on pages; accept it
        from tests.conftest import agree

        agree(other)
        assert other.get(f"/teacher/classes/{four_b.id}/cards").status_code == 404
        token = csrf_token(other, "/teacher/")
        target = _user("pupil.y4")
        posted = other.post(
            f"/teacher/classes/{four_b.id}/cards",
            data={"csrf_token": token, "pupil": str(target.id)},
        )
        assert posted.status_code == 404
        reset = other.post(
            f"/admin/people/{target.id}/reset", data={"csrf_token": token, "kind": "password"}
        )
        assert reset.status_code == (404 if person is admin else 403)
    assert _resets() == []


def test_an_ended_class_prints_no_cards(client, login_as, demo_school):
    four_b = _class("4B")
    four_b.ended_at = utcnow()
    db.session.commit()
    login_as("teacher")
    assert client.get(f"/teacher/classes/{four_b.id}/cards").status_code == 403


def test_the_admin_resets_a_member_of_staff_and_the_reset_is_logged(client, login_as, demo_school):
    login_as("admin")
    teacher = _user("teacher")
    token = csrf_token(client, "/admin/")
    response = client.post(
        f"/admin/people/{teacher.id}/reset", data={"csrf_token": token, "kind": "pictures"}
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = CARD_PASSWORD.search(response.get_data(as_text=True)).group(1)  # staff: password
    assert _user("teacher").must_change_password
    assert auth.authenticate("teacher", password) is not None
    assert _resets() == [(_user("admin").id, teacher.id, '{"kind":"password","via":"admin"}')]


def test_the_admin_gives_a_pupil_new_pictures_but_cannot_reset_themselves(
    client, login_as, demo_school
):
    login_as("admin")
    token = csrf_token(client, "/admin/")
    pupil = _user("pupil.y1")
    response = client.post(
        f"/admin/people/{pupil.id}/reset", data={"csrf_token": token, "kind": "pictures"}
    )
    shown = re.findall(r"img/pictures/(\w+)\.svg", response.get_data(as_text=True))
    assert auth.authenticate_pictures(_user("pupil.y1"), shown)
    me = _user("admin")
    mine = client.post(f"/admin/people/{me.id}/reset", data={"csrf_token": token})
    assert mine.status_code == 403
    assert len(_resets()) == 1

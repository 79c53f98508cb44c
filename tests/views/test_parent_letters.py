"""Parent letters: the admin prints one-time codes; a parent makes an account with one, once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.content import aups
from app.extensions import db
from app.models import AuditEvent, ParentInvite, Role, SchoolClass, User, utcnow
from app.services import parent_invites
from tests import factories
from tests.conftest import csrf_token

CODE = re.compile(r'data-testid="letter-code">([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})<')


def _class(name: str) -> SchoolClass:
    """A demo class by name."""
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _user(username: str) -> User:
    """A person by username, read afresh."""
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.username == username))


def _letters(client, school_class, pupil_ids: list[int]):
    """Post the letters form as the signed-in admin."""
    token = csrf_token(client, "/admin/")
    return client.post(
        f"/admin/classes/{school_class.id}/parent-letters",
        data={"csrf_token": token, "pupil": [str(i) for i in pupil_ids]},
    )


def _redeem(client, code: str, **fields):
    """Post the parent-letter form, signed out."""
    token = csrf_token(client, "/parent-letter")
    data = {"code": code, "given": "Sam", "family": "Patel", "password": "our family words"}
    data |= {"confirm": data["password"], **fields}
    return client.post("/parent-letter", data={"csrf_token": token, **data})


@pytest.fixture
def letter(app, client, login_as, demo_school):
    """A letter printed by the admin for a 4B pupil with no parent; the admin is signed out."""
    four_b = _class("4B")
    child = next(p for p in four_b.pupils if not p.parents)
    login_as("admin")
    page = client.get(f"/admin/classes/{four_b.id}/parent-letters").get_data(as_text=True)
    assert re.search(rf'value="{child.id}" checked', page)
    assert not re.search(rf'value="{_user("pupil.y4").id}" checked', page)  # has a parent
    response = _letters(client, four_b, [child.id])
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    codes = CODE.findall(response.get_data(as_text=True))
    assert len(codes) == 1
    token = csrf_token(client, "/admin/")
    client.post("/sign-out", data={"csrf_token": token})
    return child, codes[0]


def test_only_a_hash_of_the_code_is_kept(letter):
    child, code = letter
    invite = db.session.scalar(sa.select(ParentInvite))
    assert invite.child_id == child.id and invite.used_at is None
    assert code not in invite.code_hash and parent_invites.clean(code) not in invite.code_hash
    assert timedelta(days=29) < invite.expires_at - utcnow() <= timedelta(days=30)


def test_a_parent_makes_an_account_linked_to_the_child_and_meets_the_aup(client, letter):
    child, code = letter
    response = _redeem(client, code.lower().replace("-", " "))  # typed loosely
    assert response.status_code == 303
    parent = _user("spatel")
    assert parent.role is Role.PARENT and parent.school_id == child.school_id
    assert [c.id for c in parent.children] == [child.id] and not parent.must_change_password
    assert client.get("/parent/").headers["Location"].endswith("/aup")
    page = client.get("/aup")
    assert page.status_code == 200 and aups().get("parent").title in page.get_data(as_text=True)
    linked = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.event == "parent_linked"))
    assert (linked.actor_id, linked.subject_id) == (parent.id, child.id)


def test_a_code_works_once(app, letter):
    child, code = letter
    assert _redeem(app.test_client(), code).status_code == 303
    again = _redeem(app.test_client(), code, given="Other", family="Person")
    assert again.status_code == 400
    assert "That code does not work" in again.get_data(as_text=True)
    assert _user("operson") is None
    assert len(_user("spatel").children) == 1


def test_an_expired_code_or_a_child_who_left_is_refused(app, letter):
    child, code = letter
    invite = db.session.scalar(sa.select(ParentInvite))
    invite.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert _redeem(app.test_client(), code).status_code == 400
    invite.expires_at = utcnow() + timedelta(days=1)
    child.active = False
    db.session.commit()
    assert _redeem(app.test_client(), code).status_code == 400
    assert _user("spatel") is None


def test_a_signed_in_parent_adds_another_child(client, login_as, letter):
    child, code = letter
    login_as("parent")
    token = csrf_token(client, "/parent-letter")
    response = client.post("/parent-letter", data={"csrf_token": token, "code": code})
    assert response.status_code == 303
    assert child.id in [c.id for c in _user("parent").children]
    assert db.session.scalar(sa.select(ParentInvite.used_by_id)) == _user("parent").id


def test_wrong_codes_are_limited_like_sign_in(app):
    guesser = app.test_client()
    answers = [_redeem(guesser, "AAAA-AAAA-AAAA").status_code for _ in range(11)]
    assert answers[:10] == [400] * 10 and answers[10] == 429


@pytest.mark.parametrize("username", ["teacher", "coordinator"])
def test_only_the_admin_prints_letters(client, login_as, demo_school, username):
    login_as(username)
    four_b = _class("4B")
    assert client.get(f"/admin/classes/{four_b.id}/parent-letters").status_code == 403
    token = csrf_token(client, "/teacher/")
    posted = client.post(
        f"/admin/classes/{four_b.id}/parent-letters",
        data={"csrf_token": token, "pupil": str(four_b.pupils[0].id)},
    )
    assert posted.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ParentInvite)) == 0


def test_another_schools_admin_gets_not_found(app, demo_school):
    elsewhere = factories.other_school()
    factories.user(elsewhere["school"], Role.ADMIN, username="otheradmin")
    db.session.commit()
    from tests.conftest import agree, sign_in

    other = app.test_client()
    assert sign_in(other, "otheradmin", factories.PASSWORD).status_code == 303
    agree(other)
    four_b = _class("4B")
    assert other.get(f"/admin/classes/{four_b.id}/parent-letters").status_code == 404
    assert _letters(other, four_b, [four_b.pupils[0].id]).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ParentInvite)) == 0

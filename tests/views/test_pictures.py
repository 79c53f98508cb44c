"""KS1 sign-in with a class code, a name and three pictures."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import User
from tests.conftest import csrf_token


def _code(client, code: str):
    token = csrf_token(client, "/sign-in/pictures")
    return client.post("/sign-in/pictures", data={"csrf_token": token, "code": code})


def _choose(client, username: str):
    pupil = db.session.scalar(sa.select(User).where(User.username == username))
    token = csrf_token(client, "/sign-in/pictures/name")
    return client.post("/sign-in/pictures/name", data={"csrf_token": token, "pupil": pupil.id})


def _tap(client, picture: str):
    token = csrf_token(client, "/sign-in/pictures/password")
    return client.post("/sign-in/pictures/password", data={"csrf_token": token, "picture": picture})


def test_pupil_signs_in_with_class_code_name_and_pictures(client, demo_school):
    assert _code(client, " fox1 ").headers["Location"] == "/sign-in/pictures/name"
    names = client.get("/sign-in/pictures/name").get_data(as_text=True)
    assert "Amara O." in names and "Ben C." not in names  # only this class, only picture users
    assert _choose(client, "pupil.y1").headers["Location"] == "/sign-in/pictures/password"
    assert "1 of 3 pictures chosen" in _tap(client, "cat").get_data(as_text=True)
    _tap(client, "sun")
    done = _tap(client, "tree")
    assert done.status_code == 303
    page = client.get("/aup").get_data(as_text=True)
    assert "I agree" in page and 'src="/static/img/aup/' in page


def test_wrong_pictures_start_again_kindly(client, demo_school):
    _code(client, "FOX1")
    _choose(client, "pupil.y1")
    for picture in ("dog", "sun", "tree"):
        response = _tap(client, picture)
    assert response.status_code == 200
    assert "not quite right" in response.get_data(as_text=True)
    assert client.get("/pupil/").status_code == 302


def test_wrong_pictures_are_rate_limited(client, demo_school):
    _code(client, "FOX1")
    _choose(client, "pupil.y1")
    for _ in range(5):
        for picture in ("dog", "dog", "dog"):
            _tap(client, picture)
    assert _tap(client, "cat").status_code == 429


def test_unknown_class_code_is_explained(client, demo_school):
    response = _code(client, "NOPE")
    assert response.status_code == 200
    assert "could not find that class code" in response.get_data(as_text=True)


def test_a_pupil_from_another_class_cannot_be_chosen(client, demo_school):
    _code(client, "FOX1")
    assert _choose(client, "pupil.y4").status_code == 400


def test_a_picture_that_is_not_in_the_grid_is_refused(client, demo_school):
    _code(client, "FOX1")
    _choose(client, "pupil.y1")
    assert _tap(client, "dragon").status_code == 400


def test_picture_pages_need_the_earlier_steps(client, demo_school):
    assert client.get("/sign-in/pictures/password").headers["Location"] == "/sign-in/pictures"
    assert client.get("/sign-in/pictures/name").headers["Location"] == "/sign-in/pictures"

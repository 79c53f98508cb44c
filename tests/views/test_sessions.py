"""How long a sign-in lasts: background reloads are not activity; every session has a max age."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import LoginSession, SchoolClass, User
from tests.conftest import post

POLL = {"HX-Request": "true", "X-Lantern-Background": "poll"}  # the grid's timed reload
CLICK = {"HX-Request": "true"}  # the Refresh button or a sort link


def _newest(username: str) -> LoginSession:
    """The user's newest session."""
    return db.session.scalar(
        sa.select(LoginSession)
        .join(User)
        .where(User.username == username)
        .order_by(LoginSession.id.desc())
    )


def _age(username: str, *, idle: timedelta = timedelta(), since_sign_in: timedelta = timedelta()):
    """Pretend the newest session was last used, and began, that much earlier."""
    record = _newest(username)
    record.last_seen_at -= idle
    record.created_at -= since_sign_in
    db.session.commit()


def _grid_url() -> str:
    """The class progress page of the demo teacher's class 4B."""
    cls = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
    return f"/teacher/classes/{cls.id}"


def test_the_grid_reload_is_marked_as_a_background_request(client, login_as, demo_school):
    login_as("teacher")
    page = client.get(_grid_url()).get_data(as_text=True)
    assert 'hx-trigger="every 60s"' in page
    assert """hx-headers='{"X-Lantern-Background": "poll"}'""" in page


def test_a_board_left_on_the_class_grid_is_signed_out_when_idle(client, login_as, demo_school):
    login_as("teacher")
    url = _grid_url()
    _age("teacher", idle=timedelta(minutes=9))
    for _ in range(3):  # the grid keeps reloading itself while nobody is there
        assert client.get(url, headers=POLL).status_code == 200
    _age("teacher", idle=timedelta(minutes=2))
    response = client.get(url, headers=POLL)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"].startswith("/sign-in")  # the whole board changes
    page = client.get(response.headers["HX-Redirect"]).get_data(as_text=True)
    assert "signed out after 10 minutes without activity" in page
    assert _newest("teacher").end_reason == "idle"


def test_a_click_on_the_grid_still_counts_as_activity(client, login_as, demo_school):
    login_as("teacher")
    url = _grid_url()
    _age("teacher", idle=timedelta(minutes=9))
    assert client.get(url, headers=CLICK).status_code == 200  # Refresh pressed
    _age("teacher", idle=timedelta(minutes=2))
    assert client.get(url, headers=CLICK).status_code == 200
    assert _newest("teacher").ended_at is None


def test_staff_are_signed_out_a_working_day_after_signing_in(client, login_as, demo_school):
    login_as("teacher")
    _age("teacher", since_sign_in=timedelta(hours=9, minutes=50))
    assert client.get("/teacher/").status_code == 200
    _age("teacher", since_sign_in=timedelta(minutes=11))  # busy all day: never idle
    response = client.get("/teacher/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out because you had been signed in for 10 hours" in page
    assert _newest("teacher").end_reason == "max_age"


def test_pupils_sign_in_again_and_accept_the_aup_the_next_day(client, login_as, demo_school):
    login_as("pupil.y8")
    _age("pupil.y8", since_sign_in=timedelta(hours=7, minutes=59))
    assert client.get("/pupil/").status_code == 200
    _age("pupil.y8", since_sign_in=timedelta(minutes=2))
    response = client.get("/pupil/")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    assert "signed in for 8 hours" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert _newest("pupil.y8").end_reason == "max_age"


def test_the_cookie_is_not_pushed_on_by_every_page(client, login_as, demo_school):
    login_as("teacher")
    client.get("/teacher/")
    assert "Set-Cookie" not in client.get("/teacher/").headers


def test_the_reason_is_given_in_welsh_too(client, login_as, demo_school):
    login_as("teacher")
    post(client, "/language", {"lang": "cy", "next": "/teacher/"}, token_from="/teacher/")
    _age("teacher", since_sign_in=timedelta(hours=11))
    page = client.get("/teacher/", follow_redirects=True).get_data(as_text=True)
    assert "Cawsoch eich allgofnodi oherwydd eich bod wedi mewngofnodi ers 10 awr." in page

"""Changing one's password: the current one first, wrong tries limited, other sessions ended."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import LoginSession, Role, User
from tests import factories
from tests.conftest import csrf_token, sign_in

URL = "/account/password"
NEW = "three quiet lanterns"


def _change(client, current: str | None, new: str = NEW):
    """Send the change-password form."""
    data = {"csrf_token": csrf_token(client, URL), "password": new, "confirm": new}
    if current is not None:
        data["current"] = current
    return client.post(URL, data=data)


def test_a_wrong_or_missing_current_password_changes_nothing(app, login_as, demo_school):
    other = app.test_client()
    assert sign_in(other, "teacher", "lantern-demo").status_code == 303
    client = login_as("teacher")
    page = client.get(URL).get_data(as_text=True)
    assert 'autocomplete="current-password"' in page and "Current password" in page
    missing = _change(client, None)
    assert missing.status_code == 200
    assert "Enter your current password." in missing.get_data(as_text=True)
    wrong = _change(client, "not-my-password")
    assert wrong.status_code == 200
    text = wrong.get_data(as_text=True)
    assert "That is not your current password. Nothing was changed." in text
    assert NEW not in text  # nothing typed is sent back
    fresh = app.test_client()
    assert sign_in(fresh, "teacher", NEW).status_code == 401  # the new one was not saved
    assert sign_in(fresh, "teacher", "lantern-demo").status_code == 303
    assert other.get("/teacher/").status_code == 200  # and nobody was signed out
    same = _change(client, "lantern-demo", new="lantern-demo")
    assert "Choose a password different from your current one." in same.get_data(as_text=True)


def test_a_new_password_signs_out_every_other_session(app, login_as, demo_school):
    others = [app.test_client(), app.test_client()]
    for browser in others:
        assert sign_in(browser, "teacher", "lantern-demo").status_code == 303
    client = login_as("teacher")
    done = _change(client, "lantern-demo")
    assert done.status_code == 303
    page = client.get(done.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Your new password is saved, and you are signed out everywhere else." in page
    assert client.get("/teacher/").status_code == 200  # this browser stays signed in
    for browser in others:
        response = browser.get("/teacher/")
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    reasons = db.session.scalars(
        sa.select(LoginSession.end_reason).join(User).where(User.username == "teacher")
    ).all()
    assert reasons.count("password_changed") == 2
    assert sign_in(app.test_client(), "teacher", NEW).status_code == 303


def test_wrong_current_passwords_are_rate_limited_like_sign_in(login_as, demo_school):
    client = login_as("teacher")
    for _ in range(5):
        assert "Nothing was changed" in _change(client, "guess").get_data(as_text=True)
    limited = _change(client, "lantern-demo")
    assert limited.status_code == 429
    assert "Please wait 1 minute, then try again" in limited.get_data(as_text=True)


def test_the_first_logon_change_does_not_ask_for_the_temporary_password_again(client, app):
    school = factories.school()
    factories.user(school, Role.TEACHER, username="newstaff", must_change_password=True)
    db.session.commit()
    assert sign_in(client, "newstaff", factories.PASSWORD).status_code == 303
    assert 'name="current"' not in client.get(URL).get_data(as_text=True)
    assert _change(client, None).status_code == 303

"""Signing in and out: passwords, the rate limit, idle sign-out, first logon, ended sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import LoginSession, Role, User
from tests import factories
from tests.conftest import agree, csrf_token, post, sign_in

SAME_MESSAGE = "That username and password do not match"


def test_sign_in_page_has_labelled_fields(client):
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<label class="field__label" for="username">Username</label>' in page
    assert 'autocomplete="current-password"' in page
    assert "Sign in with pictures" in page


def test_right_password_signs_in_and_goes_to_the_aup(client, demo_school):
    response = sign_in(client, "pupil.y4", "lantern-demo")
    assert response.status_code == 303
    assert client.get("/pupil/").headers["Location"] == "/aup"


def test_username_is_not_case_sensitive(client, demo_school):
    assert sign_in(client, "  Pupil.Y4 ", "lantern-demo").status_code == 303


@pytest.mark.parametrize(
    ("username", "password"), [("pupil.y4", "wrong-password"), ("nobody.here", "lantern-demo")]
)
def test_wrong_password_and_unknown_user_get_the_same_message(
    client, demo_school, username, password
):
    response = sign_in(client, username, password)
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert SAME_MESSAGE in page
    assert 'value="' + username + '"' in page or username in page  # the username is kept
    assert client.get("/pupil/").status_code == 302  # still not signed in


def test_inactive_account_cannot_sign_in(client, app):
    school = factories.school()
    factories.user(school, Role.TEACHER, username="leaver", active=False)
    db.session.commit()
    assert sign_in(client, "leaver", factories.PASSWORD).status_code == 401


def test_failed_attempts_on_one_account_are_rate_limited(client, demo_school):
    for _ in range(5):
        assert sign_in(client, "pupil.y4", "guess").status_code == 401
    limited = sign_in(client, "pupil.y4", "lantern-demo")
    assert limited.status_code == 429
    assert "Please wait 1 minute, then try again" in limited.get_data(as_text=True)
    # another account from the same address is not blocked by this one's failures
    assert sign_in(client, "pupil.y8", "lantern-demo").status_code == 303


def test_successful_sign_ins_do_not_count_towards_the_limit(app, demo_school):
    for _ in range(8):
        fresh = app.test_client()
        assert sign_in(fresh, "pupil.y4", "lantern-demo").status_code == 303


def test_form_without_csrf_token_is_refused(client, demo_school):
    response = client.post("/sign-in", data={"username": "pupil.y4", "password": "lantern-demo"})
    assert response.status_code == 400
    assert client.get("/pupil/").status_code == 302


def test_sign_out_needs_csrf_too(client, login_as, demo_school):
    login_as("pupil.y4")
    assert client.post("/sign-out").status_code == 400
    assert client.get("/pupil/").status_code == 200


def test_signing_out_ends_the_session_on_the_server(app, client, login_as, demo_school):
    login_as("pupil.y4")
    stolen = app.test_client()
    cookie = client.get_cookie("session")
    stolen.set_cookie("session", cookie.value)
    assert stolen.get("/pupil/").status_code == 200  # the copied cookie works while signed in
    assert post(client, "/sign-out", token_from="/pupil/").status_code == 303
    assert stolen.get("/pupil/").status_code == 302  # ...and not once signed out
    ended = db.session.scalar(sa.select(LoginSession).order_by(LoginSession.id.desc()))
    assert ended.end_reason == "signed_out"


def test_admin_can_end_all_of_a_users_sessions(app, login_as, demo_school):
    pupil_browsers = [app.test_client(), app.test_client()]
    for browser in pupil_browsers:
        sign_in(browser, "pupil.y8", "lantern-demo")
    admin = login_as("admin")
    pupil = db.session.scalar(sa.select(User).where(User.username == "pupil.y8"))
    response = post(admin, f"/admin/users/{pupil.id}/end-sessions", token_from="/admin/")
    assert response.status_code == 303
    assert "2 sessions ended" in admin.get(response.headers["Location"]).get_data(as_text=True)
    for browser in pupil_browsers:
        assert browser.get("/aup").status_code == 302


def test_admin_cannot_end_sessions_in_another_school(app, login_as, demo_school):
    other = factories.user(factories.school(), Role.PUPIL, username="elsewhere")
    db.session.commit()
    admin = login_as("admin")
    assert (
        post(admin, f"/admin/users/{other.id}/end-sessions", token_from="/admin/").status_code
        == 404
    )


def _age_session(username: str, minutes: int) -> None:
    """Pretend the user's newest session was last used some minutes ago."""
    record = db.session.scalar(
        sa.select(LoginSession)
        .join(User)
        .where(User.username == username)
        .order_by(LoginSession.id.desc())
    )
    record.last_seen_at -= timedelta(minutes=minutes)
    db.session.commit()


def test_staff_are_signed_out_after_ten_idle_minutes(client, login_as, demo_school):
    login_as("teacher")
    _age_session("teacher", 9)
    assert client.get("/teacher/").status_code == 200
    _age_session("teacher", 11)
    response = client.get("/teacher/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "signed out after 10 minutes without activity" in page


def test_pupils_are_not_held_to_the_staff_idle_limit(client, login_as, demo_school):
    login_as("pupil.y8")
    _age_session("pupil.y8", 11)
    assert client.get("/pupil/").status_code == 200


def test_staff_with_a_temporary_password_must_choose_their_own(client, app):
    school = factories.school()
    factories.user(school, Role.TEACHER, username="newstaff", must_change_password=True)
    db.session.commit()
    assert sign_in(client, "newstaff", factories.PASSWORD).status_code == 303
    for path in ("/", "/teacher/", "/aup"):
        response = client.get(path, follow_redirects=True)
        assert response.request.path == "/account/password", path
    token = csrf_token(client, "/account/password")
    short = client.post(
        "/account/password", data={"csrf_token": token, "password": "short", "confirm": "short"}
    )
    assert "Use at least 10 characters" in short.get_data(as_text=True)
    same = client.post(
        "/account/password",
        data={"csrf_token": token, "password": factories.PASSWORD, "confirm": factories.PASSWORD},
    )
    assert "different from the one you were given" in same.get_data(as_text=True)
    mismatch = client.post(
        "/account/password",
        data={"csrf_token": token, "password": "a-new-long-one", "confirm": "a-new-long-two"},
    )
    assert "not the same" in mismatch.get_data(as_text=True)
    done = client.post(
        "/account/password",
        data={"csrf_token": token, "password": "my-own-password", "confirm": "my-own-password"},
    )
    assert done.status_code == 303
    assert client.get("/teacher/").headers["Location"] == "/aup"
    assert (
        db.session.scalar(sa.select(User).where(User.username == "newstaff")).must_change_password
        is False
    )
    assert (
        sign_in(client.application.test_client(), "newstaff", "my-own-password").status_code == 303
    )


def test_passwords_are_stored_with_a_slow_hash(app, demo_school):
    user = db.session.scalar(sa.select(User).where(User.username == "teacher"))
    assert user.password_hash.startswith("scrypt:")
    assert "lantern-demo" not in user.password_hash


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example/",
        "/\n/evil.example/",
        "/pupil/\n",
        "//evil.example/",
        "/\\evil.example",
        "https://evil.example/",
        "evil.example",
    ],
)
def test_next_never_leaves_the_site_or_breaks_the_redirect(client, demo_school, target):
    token = csrf_token(client)
    response = client.post(
        "/sign-in",
        data={"username": "pupil.y4", "password": "lantern-demo", "csrf_token": token,
              "next": target},
    )  # fmt: skip
    assert response.headers["Location"] == "/"
    accepted = agree(client)
    assert accepted.status_code == 303
    assert accepted.headers["Location"] == "/aup/check"  # the once-a-term question, then on
    assert 'href="/">Skip</a>' in client.get("/aup/check").get_data(as_text=True)


def test_a_deep_link_survives_sign_in_and_the_aup(client, demo_school):
    response = client.get("/pupil/lessons/ks2-grooming-1?from=link")
    assert response.status_code == 302 and "next=" in response.headers["Location"]
    sign_in_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/pupil/lessons/ks2-grooming-1?from=link"' in (
        sign_in_page
    )
    token = csrf_token(client)
    data = {"username": "pupil.y4", "password": "lantern-demo", "csrf_token": token,
            "next": "/pupil/lessons/ks2-grooming-1?from=link"}  # fmt: skip
    response = client.post("/sign-in", data=data)
    assert response.headers["Location"] == "/pupil/lessons/ks2-grooming-1?from=link"
    assert client.get(response.headers["Location"]).headers["Location"] == "/aup"
    assert agree(client).headers["Location"] == "/aup/check"  # the once-a-term question, then on
    skip = 'href="/pupil/lessons/ks2-grooming-1?from=link">Skip</a>'
    assert skip in client.get("/aup/check").get_data(as_text=True)


def test_a_deep_link_is_followed_when_no_aup_is_due(client, login_as, demo_school):
    login_as("teacher")
    post(client, "/sign-out", token_from="/teacher/")
    token = csrf_token(client)
    data = {"username": "teacher", "password": "lantern-demo", "csrf_token": token,
            "next": "/teacher/curriculum"}  # fmt: skip
    response = client.post("/sign-in", data=data)
    assert response.headers["Location"] == "/teacher/curriculum"
    assert client.get("/teacher/curriculum").status_code == 200


def test_a_form_sent_after_signing_out_elsewhere_leads_back_to_sign_in(
    client, login_as, demo_school
):
    login_as("pupil.y4")
    step = "/pupil/lessons/ks2-bullying-1"
    page = client.get(step, follow_redirects=True)
    token = csrf_token(client, "/pupil/")
    post(client, "/sign-out", token_from="/pupil/")  # the other tab
    response = client.post(
        page.request.path,
        data={"csrf_token": token},
        headers={"HX-Request": "true", "Referer": f"http://localhost{page.request.path}"},
    )
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/sign-in?next={page.request.path}"
    landing = client.get(response.headers["HX-Redirect"]).get_data(as_text=True)
    assert "You were signed out, so that was not saved." in landing


def test_a_signed_in_user_s_stale_form_is_refused_with_advice(client, login_as, demo_school):
    login_as("pupil.y4")
    response = client.post("/pupil/lessons/ks2-bullying-1/quiz", data={"csrf_token": "stale"})
    assert response.status_code == 400
    assert "Please reload the page and try again." in response.get_data(as_text=True)


def test_an_oversized_post_is_refused_before_it_is_read(client, demo_school):
    response = client.post("/sign-in", data={"username": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too much to send at once" in response.get_data(as_text=True)


def _from(app, address: str):
    """A browser at another network address."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def test_wrong_passwords_from_one_address_do_not_lock_the_teacher_out_elsewhere(app, demo_school):
    guesser = _from(app, "10.0.0.66")  # a pupil's machine
    for _ in range(5):
        assert sign_in(guesser, "teacher", "guess").status_code == 401
    assert sign_in(guesser, "teacher", "lantern-demo").status_code == 429  # still limited
    teacher = _from(app, "10.0.0.7")
    assert sign_in(teacher, "teacher", "lantern-demo").status_code == 303
    assert sign_in(guesser, "teacher", "guess").status_code == 429


def test_a_spray_from_many_addresses_meets_the_per_account_ceiling(app, demo_school):
    ceiling = 200  # PER_ACCOUNT_ANYWHERE in app/auth/limits.py
    for n in range(ceiling // 5):  # each address may fail 5 times a minute
        guesser = _from(app, f"10.1.0.{n}")
        data = {"username": "teacher", "password": "guess", "csrf_token": csrf_token(guesser)}
        for _ in range(5):
            assert guesser.post("/sign-in", data=data).status_code == 401
    assert sign_in(_from(app, "10.2.0.1"), "teacher", "lantern-demo").status_code == 429

"""The idle warning's server side: staying signed in, the page's own sign-out, a board's lock."""

from __future__ import annotations

from tests.conftest import agree, post, sign_in

SLIDE = "/present/lesson/ks2-grooming-1/2"


def test_staff_pages_carry_the_warning_and_pupil_pages_do_not(client, demo_school, login_as):
    login_as("teacher")
    page = client.get("/teacher/").get_data(as_text=True)
    assert 'id="idle-warning"' in page and "Stay signed in" in page
    assert 'data-sign-out-seconds="540"' in page  # 10 minutes, less a minute of slack
    assert 'data-warn-seconds="120"' in page
    other = client.application.test_client()
    sign_in(other, "pupil.y4", "lantern-demo")
    agree(other)
    assert 'id="idle-warning"' not in other.get("/pupil/").get_data(as_text=True)


def test_staying_signed_in_answers_the_script_and_a_form_alike(client, demo_school, login_as):
    login_as("teacher")
    assert post(client, "/account/stay-signed-in", token_from="/teacher/").status_code == 204
    back = post(client, "/account/stay-signed-in", {"next": "/teacher/"}, token_from="/teacher/")
    assert back.status_code == 303 and back.headers["Location"] == "/teacher/"
    away = post(client, "/account/stay-signed-in", {"next": "//evil.example"}, token_from="/")
    assert away.status_code == 204  # never sent off the site


def test_the_idle_sign_out_ends_the_session_and_a_board_shows_its_lock(
    client, demo_school, login_as
):
    login_as("teacher")
    done = post(client, "/account/idle-sign-out", {"next": SLIDE, "board": "1"}, token_from=SLIDE)
    assert done.status_code == 303
    assert done.headers["Location"].startswith("/sign-in/locked?next=")
    locked = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "This board is locked" in locked and "without activity" in locked
    assert client.get("/teacher/").status_code == 302  # signed out for real
    # the clicker's next press on the board: the lock again, not the sign-in page
    again = client.get(SLIDE)
    assert again.status_code == 302 and again.headers["Location"].startswith("/sign-in/locked")


def test_a_page_that_is_not_a_board_goes_to_sign_in(client, demo_school, login_as):
    login_as("coordinator")
    done = post(client, "/account/idle-sign-out", {"next": "/coordinator/"}, token_from="/")
    assert done.headers["Location"] == "/sign-in?next=/coordinator/"

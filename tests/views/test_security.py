"""Headers, cookies and who may open which home page."""

from __future__ import annotations

import re

import pytest

from app.security import PUBLIC_FORMS
from tests.conftest import csrf_token, sign_in


def test_content_security_policy_forbids_inline_code(client):
    policy = client.get("/sign-in").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_usual_security_headers(client):
    headers = client.get("/sign-in").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_scripts_or_styles(client, demo_school):
    for path in ("/sign-in", "/sign-in/pictures"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page and "<style" not in page


def test_session_cookie_is_httponly_and_samesite(client, demo_school):
    response = sign_in(client, "pupil.y4", "lantern-demo")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookie_is_secure_behind_https(migrated_db, fresh_database, monkeypatch):
    from app import create_app
    from tests.conftest import make_config

    monkeypatch.setenv("LANTERN_HTTPS", "1")
    app = create_app(make_config(fresh_database(migrated_db)))
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_signed_in_pages_are_not_cached(client, login_as, demo_school):
    login_as("pupil.y4")
    assert client.get("/pupil/").headers["Cache-Control"] == "no-store"


ROLE_PAGES = ["/pupil/", "/teacher/", "/parent/", "/coordinator/", "/admin/", "/guest"]
ALLOWED = {
    "pupil.y4": {"/pupil/"},
    "teacher": {"/teacher/"},
    "coordinator": {"/coordinator/", "/teacher/"},
    "admin": {"/admin/", "/teacher/"},
    "parent": {"/parent/"},
    "visitor": {"/guest"},
}


@pytest.mark.parametrize("username", ALLOWED)
def test_each_role_reaches_only_its_own_pages(client, login_as, demo_school, username):
    login_as(username)
    for path in ROLE_PAGES:
        expected = 200 if path in ALLOWED[username] else 403
        assert client.get(path).status_code == expected, (username, path)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    for path in ROLE_PAGES:
        response = client.get(path)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_health_check_answers_without_signing_in(client):
    assert client.get("/health").get_json() == {"status": "ok"}


@pytest.mark.parametrize(
    ("username", "footer"),
    [
        ("pupil.y4", "If something online worries you, tell a trusted adult."),
        ("teacher", "Tell your designated safeguarding lead (DSL) straight away"),
        ("parent", "call the NSPCC helpline on 0808 800 5000"),
    ],
)
def test_the_footer_speaks_to_each_audience(client, login_as, demo_school, username, footer):
    login_as(username)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    footer_html = page.split('<footer class="site-footer">', 1)[1]
    assert footer.replace("'", "&#39;") in footer_html
    assert footer_html.count("<p>") == 1


def _post_rules(app) -> list[tuple[str, str]]:
    """Every POST route as (endpoint, a URL for it with 1 for each variable part)."""
    return [
        (rule.endpoint, re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule))
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and rule.endpoint != "static"
    ]


def test_a_stale_form_is_answered_like_the_page_answers_a_visitor(app, demo_school):
    """Signed out, a form without a valid token goes to sign-in exactly where the page itself
    would send a visitor to sign in; public forms (PUBLIC_FORMS) get a 400 that says what to do.
    A new route needs no list entry unless it is a public form, and this test says which."""
    rules = _post_rules(app)
    assert {endpoint for endpoint, _ in rules} >= PUBLIC_FORMS
    for endpoint, url in rules:
        visitor = app.test_client()
        answered = visitor.post(url, data={"csrf_token": csrf_token(visitor)})
        wants_sign_in = answered.headers.get("Location", "").startswith("/sign-in?next=")
        stale = app.test_client().post(url, data={"csrf_token": "stale"})
        if endpoint in ("auth.logout", "auth.idle_sign_out"):  # signing out needs no sign-in
            assert stale.headers["Location"].startswith("/sign-in"), endpoint
        elif wants_sign_in:
            assert endpoint not in PUBLIC_FORMS, endpoint
            assert stale.status_code == 303, endpoint
            assert stale.headers["Location"].startswith("/sign-in"), endpoint
        else:
            assert endpoint in PUBLIC_FORMS, f"{endpoint} answers visitors: add it to PUBLIC_FORMS"
            assert stale.status_code == 400, endpoint
            assert "reload the page" in stale.get_data(as_text=True), endpoint


def test_a_board_signed_out_elsewhere_still_locks_rather_than_asking_to_sign_in(app, demo_school):
    """The board's own idle sign-out, sent after its sign-in already ended, shows the lock."""
    stale = app.test_client().post(
        "/account/idle-sign-out", data={"csrf_token": "stale", "board": "1"}
    )
    assert stale.status_code == 303
    assert stale.headers["Location"] == "/sign-in/locked"

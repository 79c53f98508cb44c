"""The server-error page: it rolls back, says whether what was sent was saved, never fails."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import security
from app.extensions import db
from app.models import School, User


@pytest.fixture
def failing(app, demo_school):
    """Routes that fail after writing: one before its commit, one after."""
    app.config.update(PROPAGATE_EXCEPTIONS=False, WTF_CSRF_ENABLED=False)
    school_id = demo_school.id

    def fail_unsaved():
        db.session.get(School, school_id).name = "Half-written"
        db.session.execute(sa.text("SELECT * FROM no_such_table"))  # the session is now broken
        return "unreachable"

    def fail_saved():
        db.session.get(School, school_id).name = "Saved first"
        db.session.commit()
        raise RuntimeError("after the commit")

    app.add_url_rule("/test-fail-unsaved", view_func=fail_unsaved, methods=["GET", "POST"])
    app.add_url_rule("/test-fail-saved", view_func=fail_saved, methods=["POST"])
    return demo_school


def _school_name(school_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(sa.select(School.name).where(School.id == school_id))


def test_a_failed_form_says_nothing_was_saved_and_the_page_still_renders(client, failing):
    before = _school_name(failing.id)
    response = client.post("/test-fail-unsaved")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "what you sent was not saved" in page
    assert "<nav" in page or "<footer" in page, "the full page (base template) was shown"
    assert _school_name(failing.id) == before


def test_a_form_that_failed_after_saving_says_so(client, failing):
    response = client.post("/test-fail-saved")
    assert response.status_code == 500
    assert "after what you sent was saved" in response.get_data(as_text=True)
    assert _school_name(failing.id) == "Saved first"


def test_a_failed_page_view_gives_the_plain_apology(client, failing):
    page = client.get("/test-fail-unsaved").get_data(as_text=True)
    assert "Something went wrong on our side. Please try again in a moment." in page
    assert "what you sent was" not in page


def test_the_error_page_answers_even_when_its_template_fails(client, failing, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("template broken")

    monkeypatch.setattr(security, "render_template", broken)
    response = client.post("/test-fail-unsaved")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert page.startswith("<!doctype html>") and "what you sent was not saved" in page
    assert '<html lang="en">' in page


def test_a_signed_in_pupils_failed_form_keeps_their_welsh(client, login_as, failing):
    login_as("pupil.y8")
    db.session.execute(sa.update(User).where(User.username == "pupil.y8").values(locale="cy"))
    response = client.post("/test-fail-unsaved")
    assert response.status_code == 500
    assert 'lang="cy"' in response.get_data(as_text=True)

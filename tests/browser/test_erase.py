"""Erasing a leaver in Chromium: from Data held to the erase page, a mistake, then erased."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import User, utcnow
from tests.browser.conftest import screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser


def _leaver(live_server) -> tuple[int, str]:
    """Mark the demo's year 12 pupil as having left; their id and display name."""
    with live_server.app.app_context():
        pupil = db.session.scalar(sa.select(User).where(User.username == "pupil.y12"))
        pupil.active, pupil.left_at = False, utcnow()
        db.session.commit()
        return pupil.id, pupil.display_name


def test_admin_erases_a_leaver_after_a_mistake(page, live_server):
    pupil_id, name = _leaver(live_server)
    sign_in_agreeing(page, "admin")
    page.goto(f"/admin/people/{pupil_id}/subject-access")
    page.get_by_role("link", name="Erase this person").click()
    expect(page.get_by_role("heading", name=f"Erase {name}")).to_be_visible()
    screenshot(page, "admin-erase-leaver")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.get_by_role("heading", name=f"Dileu {name}")).to_be_visible()
    expect(page.get_by_role("button", name="Dileu am byth")).to_be_visible()
    screenshot(page, "admin-erase-leaver-cy")
    page.get_by_role("button", name="English").click()
    page.get_by_label("They, or their parent or carer, asked us to").check()
    page.get_by_label("Type their username to confirm").fill("pupil.y1")
    page.get_by_role("button", name="Erase for good").click()
    expect(page.get_by_text("That is not their username.")).to_be_visible()
    expect(page.get_by_label("Type their username to confirm")).to_have_value("pupil.y1")
    expect(page.get_by_label("They, or their parent or carer, asked us to")).to_be_checked()
    screenshot(page, "admin-erase-leaver-mistake")
    page.get_by_label("Type their username to confirm").fill("pupil.y12")
    page.get_by_role("button", name="Erase for good").click()
    expect(page.get_by_text(f"Erased. The account is now erased-{pupil_id}")).to_be_visible()
    screenshot(page, "admin-erase-leaver-done")
    page.goto("/admin/audit")
    table = page.get_by_role("table", name="Events, newest first")
    expect(table.get_by_role("rowheader", name="Erased a person who had left")).to_be_visible()
    expect(table.get_by_text("they or their parent asked")).to_be_visible()
    screenshot(page, "admin-erase-leaver-log")


def test_an_active_person_cannot_be_erased(page, live_server):
    sign_in_agreeing(page, "admin")
    with live_server.app.app_context():
        teacher_id = db.session.scalar(sa.select(User.id).where(User.username == "teacher"))
    page.goto(f"/admin/people/{teacher_id}/erase")
    expect(page.get_by_text("still uses Lantern, so they cannot be erased")).to_be_visible()
    expect(page.get_by_role("button", name="Erase for good")).to_have_count(0)
    screenshot(page, "admin-erase-refused")

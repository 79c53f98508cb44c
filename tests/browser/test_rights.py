"""Children's data rights in Chromium: the KS1 privacy notice and the subject access print page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser


def test_the_ks1_privacy_notice_has_a_picture_beside_each_part(page):
    page.set_viewport_size({"width": 1024, "height": 900})
    page.goto("/privacy/ks1")
    sections = page.locator(".privacy__section")
    expect(sections).to_have_count(6)
    for index in range(6):
        box = sections.nth(index).locator("img").bounding_box()
        assert box and box["width"] >= 44, index
    screenshot(page, "privacy-ks1")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "privacy-ks1-phone")


def _busiest_pupil(live_server) -> tuple[int, str]:
    """The demo pupil with the most quiz attempts: their export has rows in most sections."""
    with live_server.app.app_context():
        import sqlalchemy as sa

        from app.extensions import db
        from app.models import QuizAttempt, User

        most = sa.func.count(QuizAttempt.id).desc()
        query = sa.select(User).join(QuizAttempt, QuizAttempt.pupil_id == User.id)
        pupil = db.session.scalars(query.group_by(User.id).order_by(most, User.id)).first()
        return pupil.id, pupil.display_name


def test_the_subject_access_page_prints_without_the_site(page, live_server):
    sign_in_agreeing(page, "admin")
    page.goto("/admin/")
    page.get_by_role("link", name="Data held Ben C.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data held about Ben C.")
    pupil_id, name = _busiest_pupil(live_server)
    page.goto(f"/admin/people/{pupil_id}/subject-access")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Data held about {name}")
    expect(page.locator("#sar-quiz_attempts")).not_to_contain_text("(0)")
    screenshot(page, "subject-access-screen")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".breadcrumb", ".button"):
        expect(page.locator(hidden).first).to_be_hidden()
    screenshot(page, "subject-access-print")

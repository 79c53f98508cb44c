"""A pupil who reads a step for longer than the "last seen" interval moves on without an error."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.conftest import past_the_question, sign_in
from tests.browser.test_player import _answer_step

pytestmark = pytest.mark.browser
LAST_SEEN_SECONDS = 1


@pytest.fixture
def live_config() -> dict:
    """Note activity after a second instead of a minute, so reading 'for a while' is quick."""
    return {"LANTERN_LAST_SEEN_SECONDS": LAST_SEEN_SECONDS}


def test_a_pupil_who_reads_a_step_for_a_while_moves_on(page, live_server):
    sign_in(page, "pupil.y8")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    expect(page.get_by_role("heading", name="Lessons for Year 8")).to_be_visible()
    page.locator('a[href^="/pupil/lessons/ks3-"]').first.click()
    titles = []
    for _ in range(3):
        titles.append(page.locator("#step-title").inner_text())
        page.wait_for_timeout((LAST_SEEN_SECONDS + 1.5) * 1000)  # reading the step
        _answer_step(page)
        expect(page.get_by_role("alert")).to_have_count(0)
        expect(page.get_by_role("heading", name="Sorry")).to_have_count(0)
    titles.append(page.locator("#step-title").inner_text())
    assert len(set(titles)) == 4, titles
    with live_server.app.app_context():
        from app.extensions import db
        from app.models import LessonProgress

        saved = db.session.scalar(sa.select(LessonProgress.current_step))
        db.session.remove()
    assert saved, "the pupil's place in the lesson was saved"

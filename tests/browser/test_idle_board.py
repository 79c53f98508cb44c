"""A class grid left open on the board is signed out when idle, though it keeps reloading itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_agreeing

pytestmark = pytest.mark.browser
IDLE_SECONDS = 6


@pytest.fixture
def live_config() -> dict:
    """Staff idle after seconds, not minutes; the grid reloads and activity is noted every second.

    The idle limit is read as minutes (a float is fine in a config mapping given to create_app,
    though the environment variable is a whole number).
    """
    return {
        "LANTERN_STAFF_IDLE_MINUTES": IDLE_SECONDS / 60,
        "LANTERN_GRID_REFRESH_SECONDS": 1,
        "LANTERN_LAST_SEEN_SECONDS": 1,
    }


def test_a_teacher_who_leaves_the_class_grid_open_is_signed_out(page, live_server):
    sign_in_agreeing(page, "teacher")
    page.get_by_role("link", name="Class 4B").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Class 4B")
    with page.expect_request(lambda request: "/teacher/classes/" in request.url):
        pass  # the grid is reloading itself
    # the teacher walks away; the grid keeps reloading every second
    page.wait_for_url("**/sign-in**", timeout=(IDLE_SECONDS + 6) * 1000)
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    expect(page.locator(".flash--info")).to_contain_text("without activity")
    expect(page.locator("#grid")).to_have_count(0)

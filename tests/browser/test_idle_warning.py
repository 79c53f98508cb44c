"""Staff are warned before the idle sign-out and can stay signed in; a board shows a lock screen."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser
IDLE_SECONDS = 12  # with activity noted every second: the page warns at 6 s and signs out at 11 s


@pytest.fixture
def live_config() -> dict:
    """Staff idle after seconds, not minutes (a float of minutes is fine in a config mapping)."""
    return {"LANTERN_STAFF_IDLE_MINUTES": IDLE_SECONDS / 60, "LANTERN_LAST_SEEN_SECONDS": 1}


def test_the_warning_takes_focus_and_staying_keeps_the_teacher_signed_in(page):
    sign_in_agreeing(page, "teacher")
    page.goto("/teacher/")
    loaded = time.monotonic()
    warning = page.get_by_role("dialog", name="Are you still there?")
    expect(warning).to_be_visible(timeout=IDLE_SECONDS * 1000)
    stay = warning.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()  # a keyboard or screen reader user lands on the way to stay
    screenshot(page, "idle-warning")
    page.keyboard.press("Enter")
    expect(warning).to_be_hidden()
    time.sleep(max(0, loaded + IDLE_SECONDS + 1 - time.monotonic()))  # past the first limit
    assert page.url.endswith("/teacher/")
    page.reload()  # the server agrees: staying was activity
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith("/teacher/")
    # asked again and left unanswered this time (Escape would stay too): signed out, and told
    expect(warning).to_be_visible(timeout=IDLE_SECONDS * 1000)
    page.wait_for_url("**/sign-in**", timeout=IDLE_SECONDS * 1000)
    expect(page.locator(".flash--info")).to_contain_text("without activity")


def test_escape_on_the_warning_also_stays(page):
    sign_in_agreeing(page, "coordinator")
    page.goto("/coordinator/")
    warning = page.get_by_role("dialog", name="Are you still there?")
    expect(warning).to_be_visible(timeout=IDLE_SECONDS * 1000)
    with page.expect_response(lambda response: "/account/stay-signed-in" in response.url) as sent:
        page.keyboard.press("Escape")
    assert sent.value.status == 204
    expect(warning).to_be_hidden()


def test_an_idle_board_locks_without_showing_the_sign_in_page_or_the_slide(page):
    sign_in_agreeing(page, "teacher")
    page.goto("/present/lesson/ks2-grooming-1/2")
    slide_title = page.locator("#slide-title").inner_text()
    page.wait_for_url("**/sign-in/locked**", timeout=(IDLE_SECONDS + 6) * 1000)
    expect(page.get_by_role("heading", level=1)).to_have_text("This board is locked")
    expect(page.get_by_text(slide_title)).to_have_count(0)
    expect(page.get_by_label("Password")).to_have_count(0)
    expect(page.locator(".flash--info")).to_contain_text("without activity")
    screenshot(page, "idle-board-locked")
    page.goto("/present/lesson/ks2-grooming-1/2")  # the clicker's Next, after the sign-out
    expect(page).to_have_url(re.compile(r"/sign-in/locked"))
    page.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Username").fill("teacher")
    page.get_by_label("Password").fill("lantern-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/present/lesson/ks2-grooming-1/2$"))
    expect(page.locator("#slide-title")).to_have_text(slide_title)

"""Curriculum search: typing and choosing filters never moves focus; the count is announced."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser


def test_searching_keeps_focus_in_the_filters_and_finds_lessons_by_topic(page):
    sign_in_agreeing(page, "teacher")
    page.goto("/teacher/curriculum")
    page.wait_for_load_state("load")
    results = page.locator("#lesson-results")
    assert results.get_attribute("aria-live") is None  # the list is not read out whole
    search = page.get_by_label("Search titles and objectives")
    search.focus()
    with page.expect_response(re.compile(r"/teacher/curriculum\?")):
        page.keyboard.type("groom", delay=30)
    page.wait_for_timeout(300)  # the pause that used to move focus to the results
    page.keyboard.type("ing")  # still typing into the box: nothing lost
    expect(page).to_have_url(re.compile(r"q=grooming"))
    expect(search).to_be_focused()
    expect(search).to_have_value("grooming")
    # the KS1 and KS2 grooming lessons are found by their topic, though titled otherwise
    expect(results.get_by_role("link", name="Not everyone online is who they say")).to_be_visible()
    count = results.locator("#results-title").inner_text()
    expect(page.locator("[data-status-from]")).to_have_text(count)  # announced, politely
    screenshot(page, "curriculum-search")
    band = page.get_by_label("Key stage", exact=True)
    band.focus()
    with page.expect_response(re.compile(r"/teacher/curriculum\?")):
        page.keyboard.press("ArrowDown")  # changes the key stage on a closed select
    page.wait_for_timeout(300)
    expect(band).to_be_focused()  # WCAG 3.2.2: choosing does not move the person elsewhere

"""The once-a-term AUP question in Chromium: KS1 pictures, a wrong answer, Skip, compliance."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, screenshot, sign_in, sign_in_agreeing

pytestmark = pytest.mark.browser


def _check(live_server, audience: str, statement: int):
    with live_server.app.app_context():
        from app.content import aup_checks

        return aup_checks().get(audience).check(statement)


def _agree(page, username: str) -> None:
    sign_in(page, username)
    page.get_by_role("button", name="I agree", exact=True).click()
    expect(page).to_have_url(re.compile(r"/aup/check$"))


def test_ks1_pupil_answers_with_pictures_and_meets_the_promise_again(page, live_server):
    check = _check(live_server, "ks1", 0)
    _agree(page, "pupil.y1")
    expect(page.get_by_role("group", name=check.question)).to_be_visible()
    expect(page.locator(".options--pictures img")).to_have_count(len(check.options))
    expect(page.get_by_role("button", name="Read aloud")).to_be_visible()
    screenshot(page, "aup-check-ks1")
    wrong = next(o for o in check.options if not o.correct)
    page.get_by_label(wrong.text).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Let’s look at that promise again")
    screenshot(page, "aup-check-wrong-ks1")
    page.get_by_role("link", name="Carry on").click()
    expect(page).to_have_url(re.compile(r"/pupil/$"))


def test_secondary_pupil_answers_then_compliance_shows_understood(page, live_server):
    check = _check(live_server, "secondary", 0)
    _agree(page, "pupil.y8")
    expect(page.get_by_role("group", name=check.question)).to_be_visible()
    screenshot(page, "aup-check-secondary")
    page.get_by_role("button", name="Check my answer").click()  # nothing chosen yet
    expect(page.get_by_text("Choose one answer, or press Skip.")).to_be_visible()
    right = next(o for o in check.options if o.correct)
    page.get_by_label(right.text).check()
    page.get_by_role("button", name="Check my answer").click()
    expect(page).to_have_url(re.compile(r"/pupil/$"))
    expect(page.get_by_role("status")).to_contain_text("That's right")
    page.get_by_role("button", name="Sign out").click()
    _agree(page, "pupil.y4")
    wrong = next(o for o in _check(live_server, "ks2", 0).options if not o.correct)
    page.get_by_label(wrong.text).check()
    page.get_by_role("button", name="Check my answer").click()
    page.get_by_role("link", name="Carry on").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in_agreeing(page, "coordinator")
    page.goto("/coordinator/compliance")
    expect(page.get_by_role("heading", name="Did they understand?")).to_be_visible()
    expect(page.get_by_text("Most often misunderstood this term in 4B:")).to_be_visible()
    expect(page.get_by_role("link", name="Set it for 4B")).to_be_visible()
    screenshot(page, "compliance-understood")
    for name, part in (("summary", "Did they understand?"), ("4b", "Most often misunderstood")):
        page.get_by_text(part).first.scroll_into_view_if_needed()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"compliance-understood-{name}.png"))  # what is in view
    page.get_by_role("link", name="Set it for 4B").click()
    expect(page).to_have_url(re.compile(r"/teacher/assign\?preset=y5/"))


def test_skip_works_without_javascript(no_js_page, live_server):
    _agree(no_js_page, "pupil.y4")
    expect(no_js_page.get_by_role("button", name="Read aloud")).to_be_hidden()
    no_js_page.get_by_role("link", name="Skip", exact=True).click()
    expect(no_js_page).to_have_url(re.compile(r"/pupil/$"))

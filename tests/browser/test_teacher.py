"""Teachers in Chromium: assign a module to 4B, a pupil does it, the grid and analysis show it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.config import ROOT
from app.services import school_calendar
from tests.browser.conftest import past_the_question, screenshot, sign_in
from tests.browser.test_teacher_led import mark_taught_to_4b

pytestmark = pytest.mark.browser
LESSON = "ks2-grooming-1"
TITLE = "Liking someone is not the same as trusting them"
RIGHT = {
    "friendly-for-weeks": ["only-what-they-show"],
    "warning-signs": ["keep-secret", "gifts", "photos"],
    "whose-fault": ["false"],
    "who-might-groom": ["anyone"],
    "where-to-get-help": ["trusted-adult", "childline", "ceop"],
}
WRONG = ("friendly-for-weeks", "really-eleven")


def _agree(page) -> None:
    button = page.get_by_role("button", name="I agree", exact=True)
    if button.count():
        button.click()
        past_the_question(page)


def _sign_in(page, username: str) -> None:
    sign_in(page, username)
    _agree(page)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def _assign_to_4b(page, due: str) -> None:
    page.goto(f"/teacher/curriculum/{LESSON}")
    page.get_by_role("link", name="Set for a class").click()
    page.get_by_label("Set it for").select_option(label="Class 4B")
    page.get_by_label("Due date (optional)").fill(due)
    page.get_by_label("Message for pupils (optional)").fill("Please finish by the due date.")
    page.get_by_role("button", name="Set this module", exact=True).click()


def _answer_step(page) -> bool:
    """Answer the step showing; True once the quiz is handed in (one answer wrong on purpose)."""
    player = page.locator("#player")
    expect(player.locator("#step-title")).to_be_visible()
    if player.locator(".quiz").count():
        for qid, values in RIGHT.items():
            chosen = [WRONG[1]] if qid == WRONG[0] else values
            for value in chosen:
                player.locator(f'input[name="answer.{qid}"][value="{value}"]').check()
        player.get_by_role("button", name="Hand in my quiz").click()
        return True
    if player.locator(".choice-button").count():
        player.locator(".choice-button").first.click()
        expect(player.locator(".feedback")).to_be_visible()
    elif player.locator("fieldset.sort-item").count():
        for block in player.locator("fieldset.sort-item").all():
            block.locator("input").first.check()
        player.get_by_role("button", name="Check my answers").click()
        expect(player.locator(".score")).to_be_visible()
    title = player.locator("#step-title").inner_text()
    player.locator(".step-actions").get_by_text("Next", exact=True).click()
    expect(page.locator("#step-title")).not_to_have_text(title)
    return False


def test_assign_complete_and_follow_progress(page, live_server):
    _sign_in(page, "teacher")
    page.goto("/teacher/curriculum")
    screenshot(page, "teacher-curriculum")
    page.get_by_label("Key stage", exact=True).select_option("ks2")
    ks2 = len(list((ROOT / "lessons" / "ks2").glob("*.yaml")))  # counted on disk
    expect(page.locator("#lesson-results h2")).to_have_text(f"{ks2} lessons")
    expect(page).to_have_url(re.compile(r"band=ks2"))
    page.goto(f"/teacher/curriculum/{LESSON}")
    screenshot(page, "teacher-lesson")
    page.get_by_role("link", name="Preview as pupils see it").click()
    expect(page.locator("#step-title")).to_be_visible()
    screenshot(page, "teacher-preview")

    mark_taught_to_4b(page, LESSON)  # a teacher-led lesson is taught before it is set as work
    due = (school_calendar.today() + timedelta(days=5)).isoformat()
    _assign_to_4b(page, due)
    expect(page.get_by_role("heading", level=1)).to_have_text("Class 4B")
    expect(page.locator(".flash--success")).to_contain_text("Set:")
    _sign_out(page)

    _sign_in(page, "pupil.y4")
    first = page.locator(".lesson-card").first
    expect(first).to_contain_text(TITLE)
    expect(page.locator(".set-module")).to_contain_text("Please finish by the due date.")
    screenshot(page, "pupil-home-assigned")
    first.get_by_role("link").click()
    while not _answer_step(page):
        pass
    expect(page.get_by_role("heading", level=1)).to_contain_text("You scored 4 out of 5")
    _sign_out(page)

    _sign_in(page, "teacher")
    page.get_by_role("link", name="Class 4B").click()
    row = page.locator("tr", has=page.get_by_role("rowheader", name="Ben C."))
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("Best quiz score: 80%")
    screenshot(page, "teacher-class-grid")
    page.get_by_role("link", name=re.compile(f"^Quiz questions.*{TITLE}")).click()
    expect(page.locator(".analysis").first).to_contain_text("0% right first time (0 of 1)")
    expect(page.locator(".misconception").first).to_contain_text(
        "Believes people online are who they say"
    )
    screenshot(page, "teacher-quiz-analysis")


def test_assigning_works_without_javascript(no_js_page, live_server):
    _sign_in(no_js_page, "teacher")
    no_js_page.goto("/teacher/modules")
    screenshot(no_js_page, "teacher-modules")
    no_js_page.goto("/teacher/assign?preset=ks2/bullying")
    screenshot(no_js_page, "teacher-assign")
    no_js_page.get_by_label("Set it for").select_option(label="Class 4B")
    no_js_page.get_by_role("button", name="Set this module", exact=True).click()
    expect(no_js_page.get_by_role("heading", level=1)).to_have_text("Class 4B")
    no_js_page.goto("/teacher/assign?preset=ks2/bullying")
    no_js_page.get_by_label("Set it for").select_option(label="Class 4B")
    no_js_page.get_by_role("button", name="Set this module", exact=True).click()
    expect(no_js_page.locator(".field__error")).to_have_text("This module is already set for them.")

"""Teacher-led lessons in Chromium: taught from the board before they are set or opened."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import past_the_question, screenshot, sign_in

pytestmark = pytest.mark.browser
LESSON = "ks2-grooming-y4"  # 4B is Year 4: its ready-made grooming module holds this lesson
TITLE = "Live streams, gifts and asks"
GROOMING = 'a[href^="/teacher/assign?preset=y4/grooming"]'


def _sign_in(page, username: str) -> None:
    sign_in(page, username)
    button = page.get_by_role("button", name="I agree", exact=True)
    if button.count():
        button.click()
        past_the_question(page)


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()


def mark_taught_to_4b(page, lesson_id: str = LESSON) -> None:
    """In present mode, go to the last slide and mark the lesson as taught to 4B today."""
    page.goto(f"/present/lesson/{lesson_id}")
    page.goto(page.locator('a[rel="last"]').get_attribute("href"))
    page.get_by_label("Class", exact=True).select_option(label="4B")
    page.get_by_role("button", name="Mark as taught").click()
    expect(page.locator(".flash--success")).to_contain_text("Marked as taught to 4B")


def test_a_pupil_waits_for_the_class_lesson_and_a_teacher_teaches_before_setting(page, live_server):
    _sign_in(page, "pupil.y4")
    card = page.locator(".lesson-card", has_text=TITLE)
    expect(card).to_contain_text("Your teacher will start this lesson with your class")
    expect(card.get_by_role("link")).to_have_count(0)
    page.goto(f"/pupil/lessons/{LESSON}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your teacher will start this lesson with you"
    )
    screenshot(page, "pupil-not-yet-taught")
    _sign_out(page)

    _sign_in(page, "teacher")
    page.goto(f"/teacher/curriculum/{LESSON}")
    expect(page.get_by_text("Teacher-led lesson.")).to_be_visible()
    expect(page.get_by_role("heading", name="A safe learning environment")).to_be_visible()
    screenshot(page, "teacher-notes-safe-learning")
    page.goto("/teacher/")
    page.get_by_role("link", name="Class 4B").click()
    page.get_by_role("link", name="Set a module").click()
    page.locator(GROOMING).click()
    expect(page.get_by_label("Set it for").locator("option:checked")).to_have_text("Class 4B")
    expect(page.get_by_role("heading", name="Teach first")).to_be_visible()
    expect(page.locator(".card--help")).to_contain_text("not yet taught to 4B")
    page.get_by_role("button", name="Set this module", exact=True).click()
    expect(page.locator(".field__error")).to_contain_text("it is a teacher-led lesson")
    screenshot(page, "teacher-led-set-refused")

    mark_taught_to_4b(page)
    page.goto("/teacher/")
    page.get_by_role("link", name="Class 4B").click()
    page.get_by_role("link", name="Set a module").click()
    page.locator(GROOMING).click()
    expect(page.locator(".card--help")).to_contain_text("taught to 4B")
    screenshot(page, "teacher-led-set-after-teaching")
    page.get_by_role("button", name="Set this module", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Class 4B")
    expect(page.locator(".flash--success")).to_contain_text("Set:")
    _sign_out(page)

    _sign_in(page, "pupil.y4")
    page.locator(".set-module").get_by_role("link", name="Start").first.click()
    expect(page.locator("#step-title")).to_be_visible()

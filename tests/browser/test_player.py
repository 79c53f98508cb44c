"""The lesson player in Chromium: a whole lesson, leaving and resuming, with and without JS."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import past_the_question, screenshot, sign_in

pytestmark = pytest.mark.browser
LESSON = "ks2-grooming-1"


@pytest.fixture(autouse=True)
def taught_to_4b(live_server):
    """The grooming lesson is teacher-led: these tests play it after 4B was taught it."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import SchoolClass
    from tests import factories

    with live_server.app.app_context():
        fox = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
        factories.taught(fox, LESSON)
        db.session.remove()


def _agree_and_go_home(page, username: str) -> None:
    sign_in(page, username)
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    expect(page.get_by_role("heading", name=re.compile(r"^Lessons for "))).to_be_visible()


def _answer_step(page) -> str:
    """Answer whatever step is showing as a pupil might, then move on; returns the step kind."""
    player = page.locator("#player")
    step_title = player.locator("#step-title")
    expect(step_title).to_be_visible()
    if player.locator(".quiz").count():
        for block in player.locator(".question-block").all():
            block.locator("input").first.check()
        player.get_by_role("button", name="Hand in my quiz").click()
        return "quiz"
    if player.locator(".choice-button").count():
        player.locator(".choice-button").first.click()
        expect(player.locator(".feedback")).to_be_visible()
        kind = "scenario"
    elif player.locator("fieldset.sort-item").count():
        for block in player.locator("fieldset.sort-item").all():
            block.locator("input").first.check()
        player.get_by_role("button", name="Check my answers").click()
        expect(player.locator(".score")).to_be_visible()
        kind = "activity"
    else:
        kind = "explain"
    title = step_title.inner_text()
    player.locator(".step-actions").get_by_text("Next", exact=True).click()
    expect(page.locator("#step-title")).not_to_have_text(title)
    return kind


def _open(page, lesson_id: str) -> None:
    page.goto("/pupil/")
    page.locator(f'a[href="/pupil/lessons/{lesson_id}"]').click()


def _complete_lesson_then_resume_another(page) -> None:
    _agree_and_go_home(page, "pupil.y4")
    _open(page, LESSON)
    kinds = []
    while "quiz" not in kinds:
        kinds.append(_answer_step(page))
    assert "scenario" in kinds and "activity" in kinds
    expect(page.get_by_role("heading", level=1)).to_contain_text("You scored")
    screenshot(page, "quiz-result")
    page.get_by_role("link", name="Back to my lessons").click()
    expect(page.locator(f'a[href="/pupil/lessons/{LESSON}"]')).to_contain_text("Look again")

    other = page.locator(".lesson-card--not_started a").first.get_attribute("href")
    page.goto(other)
    _answer_step(page)
    _answer_step(page)
    stopped_at = page.url
    page.get_by_role("button", name="Sign out").click()
    _agree_and_go_home(page, "pupil.y4")
    page.locator(f'a[href="{other}"]').click()
    expect(page).to_have_url(stopped_at)


def test_pupil_completes_a_lesson_and_resumes_another(page, live_server):
    _complete_lesson_then_resume_another(page)


def test_the_player_works_without_javascript(no_js_page, live_server):
    _complete_lesson_then_resume_another(no_js_page)


def test_htmx_swaps_steps_in_place_and_the_address_follows(page, live_server):
    _agree_and_go_home(page, "pupil.y4")
    _open(page, LESSON)
    page.evaluate("window.__stillHere = true")
    _answer_step(page)
    expect(page).to_have_url(re.compile(r"/warning-signs$"))
    assert page.evaluate("window.__stillHere === true"), "the step was a full page load"
    expect(page.locator("#step-title")).to_be_focused()


@pytest.mark.parametrize(("username", "band"), [("pupil.y1", "ks1"), ("pupil.y10", "ks4")])
def test_screenshots_of_lesson_steps(page, live_server, username, band):
    _agree_and_go_home(page, username)
    screenshot(page, f"pupil-home-{band}")
    page.locator(".lesson-card a").first.click()
    for _ in range(2):
        if page.locator(".choice-button").count():
            break
        _answer_step(page)
    screenshot(page, f"lesson-step-{band}")


def test_signed_out_in_another_tab_next_leads_to_sign_in_and_back(page, live_server):
    _agree_and_go_home(page, "pupil.y4")
    _open(page, LESSON)
    expect(page.locator("#step-title")).to_be_visible()
    lesson_url = page.url
    other = page.context.new_page()
    other.goto("/pupil/")
    other.get_by_role("button", name="Sign out").click()
    expect(other.get_by_role("heading", name="Sign in to Lantern")).to_be_visible()
    other.close()
    page.locator(".step-actions").get_by_text("Next", exact=True).click()
    expect(page.get_by_text("You were signed out, so that was not saved.")).to_be_visible()
    page.get_by_label("Username").fill("pupil.y4")  # on the page we were sent to (it keeps ?next=)
    page.get_by_label("Password").fill("lantern-demo")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    expect(page).to_have_url(lesson_url)


def test_a_blank_choose_all_question_is_named_and_the_answers_kept(page, live_server):
    _agree_and_go_home(page, "pupil.y4")
    page.goto(f"/pupil/lessons/{LESSON}/quiz")
    blocks = page.locator(".question-block")
    expect(blocks.first).to_be_visible()
    page.evaluate("window.__stillHere = true")
    for n in range(blocks.count()):
        if blocks.nth(n).locator("input[type=radio]").count():
            blocks.nth(n).locator("input").first.check()
    page.get_by_role("button", name="Hand in my quiz").click()
    expect(page.get_by_role("alert")).to_contain_text("before you hand in your quiz")
    assert page.evaluate("window.__stillHere === true"), "the quiz was a full page load"
    expect(page.locator(".question-block--blank").first).to_contain_text(
        "Choose an answer to this question."
    )
    assert page.locator(".question-block input[type=radio]:checked").count() >= 1
    screenshot(page, "quiz-blank-question")


def test_read_aloud_comes_back_after_the_back_button(page, live_server):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _agree_and_go_home(page, "pupil.y4")
    # read aloud is shown only where the browser can speak; Debian's Chromium can
    assert page.evaluate("'speechSynthesis' in window"), "this Chromium cannot speak"
    _open(page, LESSON)
    expect(page.get_by_role("button", name="Read aloud")).to_be_visible()
    _answer_step(page)
    page.go_back()
    expect(page.locator("#step-title")).to_be_visible()
    expect(page.get_by_role("button", name="Read aloud")).to_be_visible()
    page.go_forward()
    expect(page.get_by_role("button", name="Read aloud")).to_be_visible()
    assert errors == []


def test_a_refused_answer_under_htmx_says_so_instead_of_doing_nothing(page, live_server):
    _agree_and_go_home(page, "pupil.y4")
    _open(page, LESSON)
    while not page.locator("#player .choice-button").count():
        _answer_step(page)
    # a choice the lesson does not have (as a stale page or a tampered form would send)
    page.locator("#player .choice-button").first.evaluate("button => button.value = 'made-up'")
    page.locator("#player .choice-button").first.click()
    alert = page.locator("#request-failed")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("nothing was saved")
    expect(alert).to_be_focused()

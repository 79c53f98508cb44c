"""Real sign-in flows in Chromium: the AUP at each logon, declining, every role, KS1 pictures."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.content.aup import AUDIENCES
from tests.browser.conftest import past_the_question, screenshot, sign_in, sign_in_agreeing

pytestmark = pytest.mark.browser

AUDIENCE_OF = {
    "pupil.y1": "ks1", "pupil.y4": "ks2", "pupil.y8": "secondary", "pupil.y10": "secondary",
    "pupil.y12": "sixth_form", "teacher": "staff", "coordinator": "staff", "admin": "staff",
    "parent": "parent", "visitor": "visitor",
}  # fmt: skip


def _titles(live_server) -> dict[str, str]:
    with live_server.app.app_context():
        from app.content import aups

        return {audience: aups().get(audience).title for audience in AUDIENCES}


def test_pupil_meets_the_aup_at_every_logon(page, live_server):
    titles = _titles(live_server)
    page.goto("/")
    screenshot(page, "sign-in")
    sign_in(page, "pupil.y4")
    expect(page).to_have_url(re.compile(r"/aup$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(titles["ks2"])
    for path in ("/pupil/", "/", "/teacher/", "/anything"):  # nothing before agreeing
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/aup$"))
    page.get_by_role("button", name="I agree", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Your agreement was recorded")
    past_the_question(page)  # the once-a-term question shows the thank-you, then Skip
    expect(page).to_have_url(re.compile(r"/pupil/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ben C.")
    screenshot(page, "pupil-home")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    sign_in(page, "pupil.y4")
    expect(page).to_have_url(re.compile(r"/aup$"))


def test_declining_signs_out_and_says_whom_to_talk_to(page, live_server):
    sign_in(page, "pupil.y8")
    page.get_by_role("button", name="I do not agree").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are signed out")
    page.goto("/pupil/")
    expect(page).to_have_url(re.compile(r"/sign-in"))


@pytest.mark.parametrize("username", AUDIENCE_OF)
def test_each_demo_role_meets_its_own_aup(page, live_server, username):
    titles = _titles(live_server)
    sign_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_have_text(titles[AUDIENCE_OF[username]])
    if username in ("pupil.y1", "pupil.y10", "parent", "teacher"):
        screenshot(page, f"aup-{username}")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)  # pupils: the once-a-term question, skipped
    expect(page.locator("main h1")).to_be_visible()
    assert "/aup" not in page.url


def _tap_pictures(page, keyboard: bool = False) -> None:
    """Tap Amara's three pictures, waiting for each tap to show, as a child would."""
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amara O.")
    page.wait_for_load_state("load")  # a key pressed before htmx and app.js run posts the page
    for done, picture in enumerate(("Cat", "Sun", "Tree"), start=1):
        button = page.get_by_role("button", name=picture, exact=True)
        if keyboard:
            button.focus()
            page.keyboard.press("Enter")
        else:
            button.click()
        if done < 3:
            expect(page.get_by_role("status")).to_contain_text(f"{done} of 3 pictures chosen")
            if keyboard:  # focus stays on the picture just pressed, so the child can go on
                expect(page.get_by_role("button", name=picture, exact=True)).to_be_focused()


def test_ks1_pupil_signs_in_with_class_code_and_pictures(page, live_server):
    page.goto("/sign-in")
    page.get_by_role("link", name="Sign in with pictures").click()
    page.get_by_label("Class code").fill("fox1")
    screenshot(page, "pictures-code")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Amara O.").click()
    screenshot(page, "pictures-grid")
    _tap_pictures(page)
    expect(page).to_have_url(re.compile(r"/aup$"))
    expect(page.locator(".aup__statements img").first).to_be_visible()
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amara O.")


def test_picture_sign_in_works_by_keyboard(page, live_server):
    page.goto("/sign-in/pictures")
    page.get_by_label("Class code").fill("FOX1")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Amara O.").focus()
    page.keyboard.press("Enter")
    _tap_pictures(page, keyboard=True)
    expect(page).to_have_url(re.compile(r"/aup$"))


def test_the_teacher_opens_picture_sign_in_and_the_class_uses_its_code(page, browser, live_server):
    sign_in_agreeing(page, "coordinator")
    page.goto("/teacher/")
    page.get_by_role("link", name="1A").first.click()
    expect(page.get_by_test_id("sign-in-code")).to_have_text("FOX1")  # the demo opened it
    page.get_by_role("button", name="New code").click()
    expect(page.get_by_test_id("sign-in-code")).not_to_have_text("FOX1")
    code = page.get_by_test_id("sign-in-code").inner_text()
    screenshot(page, "teacher-picture-sign-in")
    pupil = browser.new_context(base_url=live_server.url).new_page()
    pupil.goto("/sign-in/pictures")
    pupil.get_by_label("Class code").fill("FOX1")  # the code the teacher's new one replaced
    pupil.get_by_role("button", name="Next").click()
    expect(pupil.get_by_text("could not find that class code")).to_be_visible()
    pupil.get_by_label("Class code").fill(code.lower())
    pupil.get_by_role("button", name="Next").click()
    pupil.get_by_role("button", name="Amara O.").click()
    _tap_pictures(pupil)
    expect(pupil).to_have_url(re.compile(r"/aup$"))
    page.get_by_role("button", name="End picture sign-in").click()
    expect(page.get_by_role("button", name="Open picture sign-in")).to_be_visible()
    pupil.context.close()


def test_the_whole_flow_works_without_javascript(no_js_page, live_server):
    page = no_js_page
    sign_in(page, "pupil.y4")
    expect(page).to_have_url(re.compile(r"/aup$"))
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    expect(page).to_have_url(re.compile(r"/pupil/$"))
    page.get_by_role("button", name="Sign out").click()
    page.goto("/sign-in/pictures")
    page.get_by_label("Class code").fill("FOX1")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Amara O.").click()
    _tap_pictures(page)
    expect(page).to_have_url(re.compile(r"/aup$"))


def test_skip_link_comes_first_and_works(page, live_server):
    sign_in(page, "pupil.y12")
    expect(page).to_have_url(re.compile(r"/aup$"))
    page.goto("/aup")  # a fresh load, so focus starts at the top of the page
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")  # Read aloud comes before the text it reads
    expect(page.get_by_role("button", name="Read aloud")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="I agree", exact=True)).to_be_focused()


def test_pages_fit_a_phone_320_pixels_wide(page, live_server):
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, "pupil.y1")
    screenshot(page, "aup-ks1-320px")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320


def test_no_content_security_policy_violations(page, live_server):
    violations = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    sign_in(page, "pupil.y1")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    page.goto("/sign-in/pictures")
    assert violations == []

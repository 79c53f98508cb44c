"""Sign-in cards in Chromium: the admin prints cards for a class, a pupil signs in with one,
chooses their own password and meets the AUP; the cards as printed (A4, ten to a page)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import past_the_question, screenshot, sign_in, sign_in_agreeing

pytestmark = pytest.mark.browser


def _open_cards(page, class_name: str) -> None:
    """From the staff home, open a class and its sign-in cards page."""
    page.goto("/teacher/")
    page.get_by_role("link", name=re.compile(rf"\b{class_name}\b")).first.click()
    page.get_by_role("link", name="Sign-in cards and resets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Sign-in cards for class {class_name}"
    )


def _as_printed(page, name: str) -> None:
    """Screenshot the page as printed on A4: print styles, 190 mm wide (A4 less its margins)."""
    size = page.viewport_size
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 718, "height": 1047})  # 190 x 277 mm at 96 dpi
    screenshot(page, name)
    page.emulate_media(media="screen")
    page.set_viewport_size(size)


def test_admin_prints_cards_and_a_pupil_signs_in_with_one(page, live_server):
    sign_in_agreeing(page, "admin")
    _open_cards(page, "4B")
    ticked = page.locator('input[name="pupil"]:checked').count()
    assert ticked >= 1  # pupils with nothing to sign in with are ticked for the admin
    screenshot(page, "cards-choose")
    page.get_by_role("button", name="Give new details and show the cards").click()
    cards = page.get_by_test_id("sign-in-card")
    expect(cards).to_have_count(ticked)
    screenshot(page, "cards-screen")
    _as_printed(page, "cards-print")
    username = cards.first.get_by_test_id("card-username").inner_text()
    password = cards.first.get_by_test_id("card-password").inner_text()
    assert re.fullmatch(r"[a-z]+-[a-z]+-[a-z]+-\d\d", password)
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, username, password)
    expect(page).to_have_url(re.compile(r"/account/password$"))
    page.get_by_label("New password").fill("my own secret words")
    page.get_by_label("Type it again").fill("my own secret words")
    page.get_by_role("button", name="Save my password").click()
    expect(page).to_have_url(re.compile(r"/aup$"))
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    expect(page).to_have_url(re.compile(r"/pupil/$"))
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, username, password)  # the temporary password no longer works
    expect(page.get_by_role("alert").or_(page.locator(".flash--error")).first).to_be_visible()


def test_ks1_cards_show_the_pictures_and_print_without_javascript(no_js_page, live_server):
    page = no_js_page
    sign_in(page, "admin")
    page.wait_for_load_state()
    if "/aup" in page.url:
        page.get_by_role("button", name="I agree", exact=True).click()
        past_the_question(page)
    _open_cards(page, "1A")
    page.locator('input[name="pupil"]').first.check()
    page.get_by_role("button", name="Give new details and show the cards").click()
    card = page.get_by_test_id("sign-in-card").first
    expect(card.locator("img")).to_have_count(3)
    _as_printed(page, "cards-print-ks1")


def test_a_parent_uses_a_letter_code_and_signs_the_aup_for_their_child(page, live_server):
    sign_in_agreeing(page, "admin")
    page.goto("/teacher/")
    page.get_by_role("link", name=re.compile(r"\b4B\b")).first.click()
    page.get_by_role("link", name="Parent letters").click()
    first_ticked = page.locator('input[name="pupil"]:checked').first
    child = first_ticked.locator("xpath=..").inner_text().split(" (")[0].strip()
    boxes = page.locator('input[name="pupil"]')
    for n in range(boxes.count()):  # one letter, for the first child with no parent yet
        box = boxes.nth(n)
        box.set_checked(box.locator("xpath=..").inner_text().startswith(child))
    page.get_by_role("button", name="Make the letters").click()
    letters = page.get_by_test_id("parent-letter")
    expect(letters).to_have_count(1)
    screenshot(page, "parent-letter-screen")
    _as_printed(page, "parent-letter-print")
    code = letters.first.get_by_test_id("letter-code").inner_text()
    page.get_by_role("button", name="Sign out").click()

    page.goto("/sign-in")
    page.get_by_role("link", name=re.compile("letter from the school")).click()
    page.get_by_label("Code from the letter").fill(code)
    page.get_by_label("Your first name").fill("Priya")
    page.get_by_label("Your last name").fill("Shah")
    page.get_by_label("Choose a password").fill("our family words")
    page.get_by_label("Type it again").fill("our family words")
    screenshot(page, "parent-letter-code")
    page.get_by_role("button", name="Make my account").click()
    expect(page).to_have_url(re.compile(r"/aup$"))
    expect(page.get_by_text("Your username is pshah")).to_be_visible()
    expect(page.locator(".aup__for")).to_contain_text(child)
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    expect(page).to_have_url(re.compile(r"/parent/$"))
    expect(page.get_by_text(f"AUP signed for {child} on")).to_be_visible()


def test_the_rollover_preview_reads_clearly(page, live_server):
    sign_in_agreeing(page, "admin")
    page.goto("/admin/")
    page.get_by_role("link", name="Move everyone up a year").click()
    page.get_by_label("The school's last year group").select_option(label="Year 6")
    page.get_by_role("button", name="Show what would change").click()
    expect(page.get_by_test_id("leaving")).not_to_have_text("0")
    screenshot(page, "rollover-preview")


def test_the_admin_adds_a_pupil_and_puts_them_in_a_class(page, live_server):
    sign_in_agreeing(page, "admin")
    page.goto("/admin/")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("They are").select_option(label="Pupil")
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Roberts")
    page.get_by_label("Year group (pupils only)").select_option(label="Year 4")
    page.get_by_role("button", name="Add them").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nia Roberts")
    expect(page.get_by_role("status").or_(page.locator(".flash")).first).to_contain_text("niar")
    screenshot(page, "admin-person")
    page.goto("/admin/classes")
    page.get_by_role("link", name="4B", exact=True).click()
    page.get_by_label(re.compile("Nia Roberts")).check()
    page.get_by_role("button", name="Save the class").click()
    expect(page.get_by_label(re.compile("Nia Roberts"))).to_be_checked()
    screenshot(page, "admin-class")

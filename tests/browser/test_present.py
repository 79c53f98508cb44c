"""Present mode in Chromium: a lesson walked with the keyboard, marked as taught; the KS1 AUP."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.content import lessons
from app.extensions import db
from app.models import SchoolClass, TaughtLesson
from app.services import school_calendar
from tests.browser.conftest import screenshot, sign_in_agreeing
from tests.browser.test_axe import Sweep, _context, _switch_language

pytestmark = pytest.mark.browser
LESSON = "ks2-bullying-1"
BOARD = {"width": 1280, "height": 720}


def _number(page) -> int:
    return int(re.search(r"/(\d+)(\?reveal=\d+)?(#.*)?$", page.url).group(1))


def _choices(live_server) -> int:
    """How many choices the lesson's first scenario has."""
    with live_server.app.app_context():
        steps = lessons().find(LESSON).steps
        return len(next(step for step in steps if step.kind == "scenario").choices)


def _class_id(live_server, name: str) -> int:
    with live_server.app.app_context():
        return db.session.scalar(sa.select(SchoolClass.id).where(SchoolClass.name == name))


def _slide(page, n: int) -> None:
    expect(page).to_have_url(re.compile(rf"/present/lesson/{LESSON}/{n}(#.*)?$"))
    expect(page.locator(".deck-bar__count")).to_contain_text(f"Slide {n} of")
    page.wait_for_load_state("load")  # keys sent before present.js runs would be lost


def _key_to(page, selector: str, key=None) -> None:
    """Press ArrowRight (or call key) until a slide matching selector is showing."""
    for _ in range(60):
        if page.locator(selector).count():
            return
        url = page.url
        if key:
            key()
        else:
            page.keyboard.press("ArrowRight")
        expect(page).not_to_have_url(url)
        page.wait_for_load_state("load")
    raise AssertionError(f"no slide {selector}")


def test_teacher_walks_a_lesson_with_the_keyboard_and_marks_it_taught(page, live_server):
    sign_in_agreeing(page, "teacher")
    page.set_viewport_size(BOARD)
    page.goto(f"/present/lesson/{LESSON}")
    _slide(page, 1)
    page.keyboard.press("ArrowRight")
    _slide(page, 2)
    page.keyboard.press("PageDown")
    _slide(page, 3)
    page.keyboard.press("ArrowLeft")
    _slide(page, 2)
    page.keyboard.press("PageUp")
    _slide(page, 1)
    page.keyboard.press("ArrowRight")
    screenshot(page, "present-explain")

    with page.context.expect_page() as opened:
        page.get_by_role("link", name=re.compile("Teacher notes")).click()
    notes = opened.value
    expect(notes.get_by_role("heading", name="Safeguarding")).to_be_visible()
    expect(notes).to_have_url(re.compile(r"/2/notes$"))
    page.bring_to_front()
    page.keyboard.press("ArrowRight")
    _slide(page, 3)
    expect(notes).to_have_url(re.compile(r"/3/notes$"))  # the notes window follows the deck
    notes.set_viewport_size({"width": 900, "height": 720})
    screenshot(notes, "present-notes-window")
    notes.close()

    _key_to(page, ".slide--scenario")
    scenario = _number(page)
    expect(page.locator("#revealed")).to_have_count(0)
    page.keyboard.press("ArrowRight")  # the clicker's Next reveals the first outcome, in view
    expect(page).to_have_url(re.compile(rf"/{scenario}\?reveal=1$"))
    feedback = page.locator("#revealed")
    expect(feedback).to_contain_text("A: ")
    expect(feedback).to_be_focused()  # a screen reader reads the outcome
    expect(feedback).to_be_in_viewport()
    page.get_by_role("link", name="C", exact=True).click()  # or the teacher picks one
    expect(page.locator("#revealed")).to_contain_text("C: ")
    screenshot(page, "present-scenario-revealed")
    page.keyboard.press("ArrowLeft")  # Previous steps back through the reveals
    expect(page).to_have_url(re.compile(rf"/{scenario}\?reveal=2$"))
    page.get_by_role("link", name="Hide the answers").click()
    _slide(page, scenario)
    for k in range(1, _choices(live_server) + 1):
        page.keyboard.press("PageDown")
        expect(page).to_have_url(re.compile(rf"/{scenario}\?reveal={k}$"))
        page.wait_for_load_state("load")
    page.keyboard.press("PageDown")
    _slide(page, scenario + 1)  # then Next moves on

    _key_to(page, ".slide--question")
    page.locator(".reveal-nav a").first.click()
    expect(page.locator(".reveal-item--right").first).to_be_visible()
    screenshot(page, "present-quiz-question")

    page.keyboard.press("End")
    expect(page.locator(".slide--help")).to_be_visible()
    page.get_by_label("Class").select_option(label="4B")
    page.get_by_role("button", name="Mark as taught").click()
    expect(page.get_by_role("status")).to_contain_text("Marked as taught to 4B on")
    screenshot(page, "present-marked-taught")

    with live_server.app.app_context():
        latest = sa.select(TaughtLesson).order_by(TaughtLesson.id.desc()).limit(1)
        row = db.session.scalar(latest)
        assert (row.lesson_id, row.school_class.name, row.taught_on) == (
            LESSON, "4B", school_calendar.today(),
        )  # fmt: skip
    page.goto(f"/teacher/classes/{_class_id(live_server, '4B')}")
    today = school_calendar.today()
    taught = f"Taught on {today.day} {today:%B %Y}: {_lesson_title(live_server)}"
    expect(page.get_by_text(taught)).to_be_visible()


def _lesson_title(live_server) -> str:
    with live_server.app.app_context():
        return lessons().find(LESSON).title


def test_escape_leaves_the_deck_and_the_deck_works_without_javascript(
    page, no_js_page, live_server
):
    sign_in_agreeing(page, "teacher")
    page.set_viewport_size(BOARD)
    page.goto(f"/present/lesson/{LESSON}/2")
    panel = page.locator(".deck-notes__panel")
    expect(panel).to_be_hidden()
    page.get_by_text("Show notes").click()
    expect(panel.get_by_role("heading", name="Safeguarding")).to_be_visible()
    screenshot(page, "present-notes-panel")
    page.keyboard.press("Escape")  # closes the panel first, stays on the slide
    expect(panel).to_be_hidden()
    _slide(page, 2)
    page.keyboard.press("Home")
    _slide(page, 1)
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/teacher/$"))

    sign_in_agreeing(no_js_page, "teacher")
    no_js_page.goto(f"/present/lesson/{LESSON}/1")
    no_js_page.get_by_role("link", name="Next").click()
    expect(no_js_page).to_have_url(re.compile(r"/2$"))
    expect(no_js_page.locator("[data-fullscreen]")).to_be_hidden()
    # reveals are plain links too: Next reveals the first outcome, a letter any other
    _key_to(
        no_js_page,
        ".slide--scenario",
        key=lambda: no_js_page.get_by_role("link", name="Next").click(),
    )
    no_js_page.get_by_role("link", name="Next").click()
    expect(no_js_page).to_have_url(re.compile(r"\?reveal=1$"))
    expect(no_js_page.locator("#revealed")).to_contain_text("A: ")
    no_js_page.get_by_role("link", name="B", exact=True).click()
    expect(no_js_page.locator("#revealed")).to_contain_text("B: ")


def test_coordinator_presents_the_ks1_aup_to_1a_and_records_it(page, live_server):
    sign_in_agreeing(page, "coordinator")
    page.set_viewport_size(BOARD)
    one_a = _class_id(live_server, "1A")
    page.goto(f"/present/aup/{one_a}")
    expect(page.locator(".slide--title")).to_be_visible()
    page.keyboard.press("Space")
    promise = page.locator(".slide-promise img")
    expect(promise).to_be_visible()
    screenshot(page, "present-aup-ks1-promise")
    page.keyboard.press("End")
    page.get_by_role("button", name="Record that 1A was introduced to the AUP today").click()
    expect(page.get_by_role("status")).to_contain_text("1A was introduced to the AUP on")


def test_first_and_last_slide_links_show_when_they_take_focus(page, live_server):
    sign_in_agreeing(page, "teacher")
    page.set_viewport_size(BOARD)
    page.goto(f"/present/lesson/{LESSON}/2")
    page.wait_for_load_state("load")
    first = page.get_by_role("link", name="First slide")
    first.focus()
    box = first.bounding_box()
    assert box and box["width"] > 40 and box["height"] >= 44, box  # seen, not a 1 px speck
    assert box["y"] + box["height"] <= BOARD["height"]
    screenshot(page, "present-first-slide-link-focused")
    page.keyboard.press("Enter")
    _slide(page, 1)


def test_reveal_states_and_split_slides_pass_axe_in_both_languages(browser, live_server):
    sweep = Sweep(live_server)
    context, tab = _context(browser, live_server)
    tab.set_viewport_size({"width": 1366, "height": 768})
    sign_in_agreeing(tab, "teacher")
    urls = [f"/present/lesson/{LESSON}/{n}" for n in range(1, 40)]
    for language in ("English", "Cymraeg"):
        if language == "Cymraeg":
            _switch_language(tab, language)
        kinds_seen = set()
        for url in urls:
            response = tab.goto(url)
            if response.status == 404:
                break
            kind = tab.locator(".slide").get_attribute("class").split("--")[-1]
            if kind in kinds_seen and kind != "help":
                continue
            kinds_seen.add(kind)
            sweep.scan(tab, "teacher")
            if tab.locator(".reveal-nav a").count():
                tab.goto(f"{url}?reveal=1")
                tab.wait_for_load_state("load")
                sweep.scan(tab, "teacher")
        assert {"scenario", "sort", "true_false", "question", "help"} <= kinds_seen
    context.close()
    assert sweep.violations == [] and sweep.too_wide == [], sweep.violations + sweep.too_wide

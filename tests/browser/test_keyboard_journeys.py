"""Keyboard alone, with a visible focus at every stop: a pupil from sign-in to a handed-in quiz.

Every Tab press is checked: the element that has focus draws the focus ring (:focus-visible),
and lies in the viewport once the browser has scrolled to it.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser
LESSON = "ks2-privacy-passwords-1"  # explain, sort, scenario, true/false and a quiz
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return {
        tag: el.tagName, type: el.type || "", name: el.name || "",
        text: (el.innerText || el.value || "").trim().slice(0, 40),
        href: el.getAttribute("href") || "",
        ring: style.outlineStyle !== "none" || style.boxShadow !== "none",
        visible: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
        matches: el.matches(":focus-visible"), within: el.matches(":focus-within"),
    };
}"""


def _press(page, key: str) -> dict:
    """Press a key and check the focus it leaves is drawn and on screen."""
    page.keyboard.press(key)
    stop = page.evaluate(FOCUSED)
    if stop is not None:
        assert stop["ring"] and stop["visible"], f"focus not visible after {key}: {stop}"
    return stop or {}


def _tab_to(page, wanted, limit: int = 80) -> dict:
    """Tab forward until wanted(stop) holds, checking the focus ring at every stop."""
    seen = []
    for _ in range(limit):
        stop = _press(page, "Tab")
        if stop and wanted(stop):
            return stop
        seen.append((stop or {}).get("text") or (stop or {}).get("tag"))
    raise AssertionError(f"never reached the control by Tab on {page.url}: {seen[:30]}")


def _answer_by_keyboard(page) -> None:
    """Choose an answer in every group of the step's form with Tab and Space, then send it."""
    done: set[str] = set()
    groups = page.evaluate(
        """() => [...new Set([...document.querySelectorAll(
            "main form[method=post] input[type=radio], main form[method=post] input[type=checkbox]"
        )].map((el) => el.name))]"""
    )
    while len(done) < len(groups):
        stop = _tab_to(page, lambda s: s["type"] in ("radio", "checkbox") and s["name"] not in done)
        _press(page, "Space")
        assert page.evaluate("document.activeElement.checked"), stop
        done.add(stop["name"])
    _tab_to(page, lambda s: s["tag"] == "BUTTON" and s["type"] == "submit" and s["text"])
    page.keyboard.press("Enter")


def test_a_pupil_does_a_lesson_and_its_quiz_with_the_keyboard_alone(page):
    page.goto("/sign-in")
    page.wait_for_load_state("load")
    expect(page.get_by_label("Username")).to_be_focused()  # the box a pupil types into first
    page.keyboard.type("pupil.y4")
    _press(page, "Tab")
    page.keyboard.type("lantern-demo")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/aup$"))
    _tab_to(page, lambda s: s["tag"] == "BUTTON" and s["text"] == "I agree")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/aup/check$"))  # the once-a-term question: skip it
    _tab_to(page, lambda s: s["tag"] == "A" and s["text"] == "Skip")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/pupil/$"))
    _tab_to(page, lambda s: s["href"].endswith(f"/lessons/{LESSON}"))
    page.keyboard.press("Enter")
    kinds_done = []
    for _ in range(20):
        expect(page.locator("#step-title")).to_be_visible()
        page.wait_for_load_state("load")
        choices = page.locator("main form[method=post] button[name][value]")
        if choices.count():  # a scenario: each choice is its own button
            name = choices.first.get_attribute("name")
            _tab_to(page, lambda s, name=name: s["tag"] == "BUTTON" and s["name"] == name)
            page.keyboard.press("Enter")
            kinds_done.append("scenario")
            expect(page.locator("main [role=status]").first).to_be_visible()  # the feedback
        elif page.locator("main form[method=post] input[type=radio]").count():
            kind = page.locator("main form.quiz").count() and "quiz" or "activity"
            _answer_by_keyboard(page)
            kinds_done.append(kind)
            if kind == "quiz":
                break
            expect(page.locator("main [role=status]").first).to_be_visible()  # the feedback
        _tab_to(page, lambda s: s["text"] == "Next")  # a link after feedback, a button to read on
        before = page.url
        page.keyboard.press("Enter")
        page.wait_for_url(lambda url, before=before: url != before)
    expect(page).to_have_url(re.compile(rf"/pupil/lessons/{LESSON}/quiz/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("You scored")
    assert "scenario" in kinds_done and kinds_done.count("activity") >= 2, kinds_done
    assert kinds_done[-1] == "quiz", kinds_done
    screenshot(page, "keyboard-journey-quiz-result")


def test_a_teacher_sets_a_module_for_8c_from_its_page_and_presents_a_lesson(page):
    """Only what must work however the setting form looks: the class, a module, set, present."""
    page.goto("/sign-in")
    page.wait_for_load_state("load")
    page.keyboard.type("teacher")
    _press(page, "Tab")
    page.keyboard.type("lantern-demo")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/sign-in" not in url)
    page.wait_for_load_state("load")
    if page.url.endswith("/aup"):
        _tab_to(page, lambda s: s["tag"] == "BUTTON" and s["text"] == "I agree")
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/teacher/$"))
    _tab_to(page, lambda s: s["text"] == "Class 8C")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Class 8C")
    _tab_to(page, lambda s: s["text"].startswith("Set a module"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/teacher/(modules|assign)"))
    page.wait_for_load_state("load")
    if "/assign" not in page.url:  # a list of modules first
        # a ready-made KS3 module of lessons pupils may do on their own (a teacher-led one is
        # set only once taught: tests/browser/test_teacher_led.py)
        _tab_to(page, lambda s: "preset=y8/bullying" in s["href"])
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/teacher/assign"))
        page.wait_for_load_state("load")
    target = _tab_to(page, lambda s: s["tag"] == "SELECT")
    for _ in range(40):  # choose 8C with the arrow keys
        chosen = page.evaluate("document.activeElement.selectedOptions[0].textContent")
        if "8C" in chosen:
            break
        _press(page, "ArrowDown")
    assert "8C" in page.evaluate("document.activeElement.selectedOptions[0].textContent"), target
    _tab_to(page, lambda s: s["tag"] == "BUTTON" and s["text"].startswith("Set this module"))
    page.keyboard.press("Enter")
    expect(page.locator(".flash--success")).to_contain_text("Set:")
    page.goto("/teacher/curriculum/ks3-grooming-1")  # typed into the address bar
    page.wait_for_load_state("load")
    _tab_to(page, lambda s: s["text"] == "Present")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/present/lesson/ks3-grooming-1/1$"))
    page.wait_for_load_state("load")
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/present/lesson/ks3-grooming-1/2$"))
    expect(page.locator(".deck-bar__count")).to_contain_text("Slide 2 of")

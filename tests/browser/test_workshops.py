"""A parents' workshop in Chromium: staff present it, run a session, a parent gives feedback."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.content import workshops
from app.extensions import db
from app.models import User
from app.services import school_calendar
from app.services import workshops as service
from tests.browser.conftest import SHOTS, screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser
PACK = "sharing-images-and-sextortion"
BOARD = {"width": 1280, "height": 720}


def _slide(page, n: int) -> None:
    expect(page).to_have_url(re.compile(rf"/workshops/{PACK}/slides/{n}(\?session=\d+)?(#.*)?$"))
    expect(page.locator(".deck-bar__count")).to_contain_text(f"Slide {n} of 14")
    page.wait_for_load_state("load")  # keys sent before present.js runs would be lost


def _present_with_the_keyboard(page) -> None:
    """Open the slides from the facilitator page and move through them with the keyboard."""
    page.get_by_role("link", name="Present the slides").click()
    _slide(page, 1)
    page.keyboard.press("ArrowRight")
    _slide(page, 2)
    page.keyboard.press("PageDown")
    _slide(page, 3)
    page.keyboard.press("ArrowLeft")
    _slide(page, 2)
    page.goto(f"/workshops/{PACK}/slides/9")
    expect(page.get_by_role("heading", name="What to say to your child")).to_be_visible()
    screenshot(page, "workshop-slide")


def _run_a_session(page) -> str:
    """Run a session today from the facilitator page; returns its feedback address."""
    page.goto(f"/workshops/{PACK}")
    page.get_by_role("button", name="Run a session").click()
    expect(page.get_by_role("heading", name="Feedback address for parents")).to_be_visible()
    address = page.locator(".feedback-address__url a").inner_text()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/workshops/feedback/[a-z2-9]{10}", address)
    return address


def _parent_gives_feedback(browser, address: str) -> None:
    """A parent with no account opens the address, fixes a mistake, and sends feedback."""
    context = browser.new_context(viewport={"width": 420, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    tab.goto(address)
    expect(tab.get_by_role("heading", name="Sharing images and sextortion")).to_be_visible()
    tab.get_by_role("button", name="Send my feedback").click()
    expect(tab.get_by_text("Answer at least one question")).to_be_visible()
    useful = tab.get_by_role("group", name="How useful was this session for you?")
    useful.get_by_label("5", exact=True).check()
    heard = tab.get_by_role("group", name="Had you heard of Report Remove")
    heard.get_by_label("No", exact=True).check()
    tab.get_by_label("Is there anything else").fill("Calm and practical. Thank you.")
    screenshot(tab, "workshop-feedback-form")
    tab.get_by_role("button", name="Send my feedback").click()
    expect(tab.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    context.close()


def test_a_workshop_from_slides_to_feedback(page, browser, live_server):
    sign_in_agreeing(page, "coordinator")
    page.goto("/workshops/")
    page.get_by_role("link", name="Sharing images and sextortion").click()
    expect(page.get_by_role("heading", name="Running order")).to_be_visible()
    screenshot(page, "workshop-facilitator")
    page.set_viewport_size(BOARD)
    _present_with_the_keyboard(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    address = _run_a_session(page)
    session_page = page.url

    page.get_by_role("link", name="Present the slides with this address").click()
    _slide(page, 1)
    page.keyboard.press("End")
    _slide(page, 14)
    expect(page.locator("#deck-actions .feedback-address__url")).to_have_text(address)
    page.set_viewport_size(BOARD)
    screenshot(page, "workshop-last-slide")

    _parent_gives_feedback(browser, address)

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(session_page)
    expect(page.get_by_text("1 parent has given feedback.")).to_be_visible()
    expect(page.get_by_text("Average 5.0 out of 5, from 1 answer")).to_be_visible()
    expect(page.get_by_text("Calm and practical. Thank you.")).to_be_visible()
    screenshot(page, "workshop-results")


def test_the_handout_prints_on_two_a4_sides_at_most(page, live_server):
    for pack in ("primary-parents", "secondary-parents", PACK):
        page.goto(f"/workshops/{pack}/handout")
        expect(page.get_by_role("heading", name="Where to get help")).to_be_visible()
        expect(page.get_by_role("button", name="Print the handout")).to_be_visible()
        pdf = page.pdf(format="A4", print_background=True)
        (SHOTS / f"workshop-handout-{pack}.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert 1 <= pages <= 2, f"{pack} handout prints on {pages} pages"
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    screenshot(page, "workshop-handout-print")


def test_the_feedback_form_works_without_javascript(no_js_page, live_server):
    with live_server.app.app_context():
        teacher = db.session.scalar(db.select(User).where(User.username == "teacher"))
        row = service.start_session(teacher, workshops().pack(PACK), school_calendar.today())
        code = row.code
    no_js_page.goto(f"/workshops/feedback/{code}")
    no_js_page.get_by_role("button", name="Send my feedback").click()
    expect(no_js_page.get_by_text("Answer at least one question")).to_be_visible()
    no_js_page.get_by_label("Is there anything else").fill("Clear, thank you.")
    no_js_page.get_by_role("button", name="Send my feedback").click()
    expect(no_js_page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()

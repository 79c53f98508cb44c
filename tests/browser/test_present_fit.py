"""Every slide of every deck fits a classroom board: measured in Chromium, in English and Welsh.

One tab per language and board size (1366x768 and 1920x1080) walks every lesson, AUP and workshop
deck as a clicker does: each slide, then each of its reveals, in the order Next reaches them (the
1366x768 tab fetches them, the 1920x1080 tab measures the same pages). Each tab measures a whole
deck in one JavaScript evaluation (present_fit.js), the four tabs at once: the page and the slide
never scroll, nothing on the slide lies under the control bar, which is
one row, a revealed answer is in view and takes focus, and at 1920x1080 body text is at least
48 px (cards at least 40 px, every label at least 24 px). Every failing slide is named in one
assertion message.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.content import lessons, workshops
from app.extensions import db
from app.models import School, SchoolClass
from app.services import teaching_record
from tests.browser.conftest import screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser
SIZES = ({"width": 1366, "height": 768}, {"width": 1920, "height": 1080})
LANGUAGES = ("English", "Cymraeg")
BODY_MIN, CARD_MIN, LABEL_MIN = 48, 40, 24  # px, at 1920x1080

# Walks and measures one deck in the page it runs in; returns {states, problems}.
WALK = (Path(__file__).parent / "present_fit.js").read_text()


def _decks(live_server) -> list[tuple[str, str]]:
    """(name, first slide's URL) of every lesson deck, one AUP deck per audience, every workshop."""
    app = live_server.app
    with app.test_request_context():
        decks = [(f"lesson {lesson.id}", f"/present/lesson/{lesson.id}/1")
                 for lesson in lessons().lessons()]  # fmt: skip
        decks += [(f"workshop {pack.id}", f"/workshops/{pack.id}/slides/1")
                  for pack in workshops().packs()]  # fmt: skip
        school = db.session.scalar(sa.select(School).where(School.urn == "999901"))
        classes = db.session.scalars(
            sa.select(SchoolClass)
            .where(SchoolClass.school_id == school.id)
            .order_by(SchoolClass.id)
        )
        audiences: dict[str, int] = {}
        for school_class in classes:
            audiences.setdefault(teaching_record.class_audience(school_class), school_class.id)
        decks += [(f"AUP {audience}", f"/present/aup/{class_id}/1")
                  for audience, class_id in audiences.items()]  # fmt: skip
    return decks


def _start(board, source: str | list[str], width: int) -> None:
    """Start walking a deck (its first URL, or the pages another tab fetched), not waiting."""
    args = [source, BODY_MIN, CARD_MIN, LABEL_MIN, width == 1920]  # fonts are checked at 1920
    board.evaluate(f"(args) => {{ window.fitWalk = ({WALK})(args); }}", args)


def _finish(board, where: str, failures: list[str], waited: list[float]) -> dict:
    """Wait for a tab's walk; its problems join failures; its result."""
    result = board.evaluate("() => window.fitWalk")
    failures.extend(f"{where} {problem}" for problem in result["problems"])
    waited[0] += result["waiting"] / 1000
    return result


def _walk_all(boards, decks, failures: list[str], waited: list[float]) -> int:
    """Walk every deck on every board; the number of states (slides and reveals) in all.

    The 1366x768 tab of each language fetches every state and measures it; the 1920x1080 tab
    measures the same pages one deck behind, while the first fetches the next deck, so the
    server renders each state once per language and all four tabs work at once.
    """
    states = 0
    behind: tuple[str, dict[str, list[str]]] | None = None
    for deck, url in [*decks, (None, None)]:
        for language in LANGUAGES:
            if deck:
                _start(boards[language, 1366, 768], url, 1366)
            if behind:
                _start(boards[language, 1920, 1080], behind[1][language], 1920)
        if behind:
            for language in LANGUAGES:
                where = f"{language} 1920x1080 {behind[0]}"
                result = _finish(boards[language, 1920, 1080], where, failures, waited)
                assert result["states"] == len(behind[1][language]), where
        fetched: dict[str, list[str]] = {}
        if deck:
            for language in LANGUAGES:
                where = f"{language} 1366x768 {deck}"
                fetched[language] = _finish(boards[language, 1366, 768], where, failures, waited)[
                    "pages"
                ]
            counts = {len(pages) for pages in fetched.values()}
            assert len(counts) == 1, f"{deck}: the languages have different slides: {counts}"
            states += counts.pop()
        behind = (deck, fetched) if deck else None
    return states


def _switch_language(page, name: str) -> None:
    """Press the header's language button on the staff home page."""
    page.goto("/teacher/")
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


@pytest.fixture
def boards(browser, live_server):
    """Four signed-in tabs, one per language and board size, keyed (language, width, height)."""
    contexts, tabs = [], {}
    for language in LANGUAGES:
        context = browser.new_context(base_url=live_server.url)
        contexts.append(context)
        for size in SIZES:
            tab = context.new_page()
            tab.set_default_timeout(15_000)
            tab.set_viewport_size(size)
            tabs[language, size["width"], size["height"]] = tab
        # the language is kept on the account, so each language has its own (both see every class)
        sign_in_agreeing(tab, "coordinator" if language == "English" else "admin")
        _switch_language(tab, language)
    for tab in tabs.values():  # a deck page: its styles and script stay as the walk swaps slides
        tab.goto("/present/lesson/ks2-bullying-1/1")
        tab.wait_for_load_state("load")
    yield tabs
    for context in contexts:
        context.close()


def test_every_slide_of_every_deck_fits_both_boards_in_both_languages(boards, live_server):
    started = time.monotonic()
    decks = _decks(live_server)
    assert len(decks) > 40, decks  # every lesson, workshop and AUP deck, not a sample
    failures: list[str] = []
    waited = [0.0]  # seconds the four tabs together spent waiting for the server
    states = _walk_all(boards, decks, failures, waited)
    elapsed = time.monotonic() - started
    print(f"measured {states} slides and reveals in 4 ways in {elapsed:.0f} s, "  # noqa: T201
          f"the tabs waiting {waited[0]:.0f} s for the server in all")  # fmt: skip
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures)


def test_a_dense_slide_a_reveal_the_help_slides_and_welsh_on_both_boards(page, live_server):
    """Screenshots for people to look at; the measuring test above does the checking."""
    sign_in_agreeing(page, "coordinator")
    for language in ("English", "Cymraeg"):
        _switch_language(page, language)
        for size in SIZES:
            page.set_viewport_size(size)
            tag = f"{language.lower()}-{size['width']}"
            page.goto("/present/lesson/ks3-sharing-nudes-1/1")
            expect(page.locator(".slide[data-fitted]")).to_have_count(1)
            screenshot(page, f"present-fit-title-{tag}")
            page.goto("/present/lesson/ks4-bullying-1/1")
            _key_to(page, ".slide--scenario")
            screenshot(page, f"present-fit-scenario-{tag}")
            page.keyboard.press("PageDown")  # the clicker reveals the first outcome
            expect(page.locator("#revealed")).to_be_focused()
            expect(page.locator("#revealed")).to_be_in_viewport()
            page.keyboard.press("PageDown")
            expect(page.locator(".deck")).to_have_attribute("data-shown", "2")
            screenshot(page, f"present-fit-scenario-revealed-{tag}")
            page.keyboard.press("End")
            expect(page.locator(".slide--help")).to_have_count(1)
            screenshot(page, f"present-fit-help-last-{tag}")
            page.keyboard.press("ArrowLeft")
            expect(page.locator(".slide[data-fitted]")).to_have_count(1)
            screenshot(page, f"present-fit-help-before-{tag}")


def _key_to(page, selector: str) -> None:
    """Press ArrowRight until a slide matching selector is showing."""
    for _ in range(40):
        expect(page.locator(".slide[data-fitted]")).to_have_count(1)
        if page.locator(selector).count():
            return
        index = page.locator(".deck").get_attribute("data-index")
        shown = page.locator(".deck").get_attribute("data-shown")
        page.keyboard.press("ArrowRight")
        expect(page.locator(f'.deck[data-index="{index}"][data-shown="{shown}"]')).to_have_count(0)
    raise AssertionError(f"no slide {selector}")

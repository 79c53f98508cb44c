"""Guides in Chromium: one or two printed A4 sides, the Urdu guide right to left, Print button."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, screenshot

pytestmark = pytest.mark.browser
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?!s)")
A4_WIDTH = 794  # CSS pixels at 96 dpi: how wide the print preview is laid out


def _every_guide(live_server) -> list[tuple[str, str]]:
    """(id, locale) for every guide in every language."""
    with live_server.app.app_context():
        from app.content import guides

        library = guides()
        return [(g.id, loc) for g in library.all() for loc in library.locales(g.id)]


def _path(guide_id: str, locale: str) -> str:
    """The address of a guide in a language."""
    return f"/guides/{guide_id}" if locale == "en" else f"/guides/{guide_id}/{locale}"


def test_every_guide_prints_on_one_or_two_a4_sides(page, live_server):
    pdfs = SHOTS.parent / "pdfs"
    pdfs.mkdir(parents=True, exist_ok=True)
    pages = {}
    for guide_id, locale in _every_guide(live_server):
        page.goto(_path(guide_id, locale))
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        (pdfs / f"guide-{guide_id}-{locale}.pdf").write_bytes(pdf)
        pages[f"{guide_id}/{locale}"] = len(PAGE_OBJECT.findall(pdf))
    assert pages and all(count >= 1 for count in pages.values()), pages
    assert {name: count for name, count in pages.items() if count > 2} == {}


def test_print_layout_hides_the_site_and_keeps_help_addresses(page):
    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    page.goto("/guides/if-something-happens")
    page.emulate_media(media="print")
    for hidden in (".site-header", ".site-footer", ".guide-nav", ".guide__tools"):
        expect(page.locator(hidden)).to_be_hidden()
    address = page.locator(".guide__footer .print-only")
    expect(address).to_contain_text("/guides/if-something-happens")
    expect(page.locator(".guide__help a").first).to_be_visible()
    colour = page.locator(".guide h2").first.evaluate("el => getComputedStyle(el).color")
    assert colour == "rgb(0, 0, 0)"
    screenshot(page, "guide-print-if-something-happens")
    page.goto("/guides/ks2-at-home")
    screenshot(page, "guide-print-ks2-at-home")


def test_urdu_guide_reads_right_to_left(page):
    page.goto("/guides/if-something-happens/ur")
    article = page.locator("article.guide")
    assert article.evaluate("el => getComputedStyle(el).direction") == "rtl"
    heading = page.locator(".guide__section h2").first
    box, frame = heading.bounding_box(), article.bounding_box()
    assert box["x"] + box["width"] > frame["x"] + frame["width"] - 80  # starts at the right
    starters = page.locator(".guide__starters")
    widths = starters.evaluate(
        "el => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth]"
    )
    assert widths[0] == "6px" and widths[1] == "1px"  # the accent bar mirrors to the right
    screenshot(page, "guide-urdu")
    page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
    page.emulate_media(media="print")
    screenshot(page, "guide-print-urdu")


def test_print_button_with_javascript_and_hint_without(page, no_js_page):
    page.goto("/guides/screen-time-and-sleep")
    page.evaluate("window.print = () => { window.printed = true; }")
    expect(page.locator("[data-print-hint]")).to_be_hidden()
    page.get_by_role("button", name="Print this guide").click()
    assert page.evaluate("window.printed") is True
    no_js_page.goto("/guides/screen-time-and-sleep")
    expect(no_js_page.get_by_text("use your browser's Print command")).to_be_visible()
    expect(no_js_page.get_by_role("button", name="Print this guide")).to_be_hidden()


def test_a_parent_finds_the_guides_from_the_sign_in_page(page):
    page.goto("/sign-in")
    screenshot(page, "sign-in-with-guides-link")
    page.get_by_role("link", name=re.compile("Guides for parents and carers")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guides for parents and carers")
    screenshot(page, "guides-index")
    page.get_by_role("link", name="اردو").first.click()
    expect(page.locator("article.guide")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/guides/if-something-happens$"))
    screenshot(page, "guide-if-something-happens")

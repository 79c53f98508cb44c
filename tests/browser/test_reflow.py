"""Staff pages at 320 CSS px (WCAG 2.2 1.4.10 Reflow): no sideways page scroll; wide data
tables scroll inside their own keyboard-reachable region instead."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BODY_FONT, rendered_fonts, screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 700}


def assert_fits(tab, paths, font: str | None = None) -> None:
    """Visit each path at 320 px and check the page itself never scrolls sideways.

    font, when given, replaces the page's font stack (the tab's context must bypass the CSP).
    """
    tab.set_viewport_size(NARROW)
    for path in paths:
        tab.goto(path)
        if font:
            tab.add_style_tag(content=f'* {{ font-family: "{font}" !important; }}')
            assert rendered_fonts(tab, "h1") == [font]
        expect(tab.locator("h1")).to_be_visible()
        width = tab.evaluate("document.documentElement.scrollWidth")
        drawn = font or BODY_FONT
        assert width <= NARROW["width"], f"{path} is {width} px wide at 320 px ({drawn})"


def test_pages_are_drawn_with_the_known_fonts(page):
    page.goto("/sign-in")
    assert rendered_fonts(page, "h1") == [BODY_FONT]  # system-ui, via tests/browser/fonts.conf
    assert rendered_fonts(page, "label") == [BODY_FONT]


def assert_on_screen(locator) -> None:
    """The element lies wholly inside the 320 px viewport, not cut off at the side."""
    box = locator.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"], box


def links(tab, prefix: str) -> list[str]:
    """The distinct addresses on this page that start with prefix, in page order."""
    hrefs = tab.eval_on_selector_all("a[href]", "els => els.map((e) => e.getAttribute('href'))")
    return list(dict.fromkeys(h for h in hrefs if h.startswith(prefix)))


def test_admin_pages_reflow_and_sign_out_everywhere_stays_on_screen(page):
    sign_in_agreeing(page, "admin")
    assert_fits(page, ["/admin/", "/admin/?q=pupil", "/admin/?q=nobody-at-all"])
    page.goto("/admin/")
    assert_on_screen(page.get_by_role("button", name="Sign out everywhere Mr Hughes"))
    screenshot(page, "reflow-admin")


def test_teacher_and_workshop_pages_reflow(page):
    sign_in_agreeing(page, "teacher")
    page.goto("/teacher/")
    classes = links(page, "/teacher/classes/")
    page.goto(classes[0])
    analysis = [href for href in links(page, "/teacher/classes/") if "/quiz/" in href][:1]
    page.goto("/teacher/modules")
    modules = [h for h in links(page, "/teacher/modules/") if h.split("/")[-1].isdigit()]
    page.goto("/teacher/curriculum")
    lessons = links(page, "/teacher/curriculum/")[:1]
    page.goto("/workshops/")
    packs = [h for h in links(page, "/workshops/") if h.count("/") == 2 and "sessions" not in h]
    paths = ["/teacher/", "/teacher/modules", "/teacher/curriculum", "/teacher/modules/new"]
    paths += ["/teacher/assign", *classes, *analysis, *modules[:1], *lessons]
    assert_fits(page, [*paths, "/workshops/", packs[0], f"{packs[0]}/handout"])
    page.goto("/teacher/modules")
    ready = page.get_by_role("table", name="Ready-made modules by year group and topic")
    expect(ready.get_by_role("rowheader").first).to_be_visible()  # still a table when stacked
    assert_on_screen(ready.get_by_role("link").first)
    screenshot(page, "reflow-teacher-modules")
    # A session gives the sessions list a row and a session page to check too.
    page.goto(packs[0])
    page.get_by_label("Date of the session").fill(dt.date.today().isoformat())
    page.get_by_role("button", name="Run a session").click()
    expect(page.get_by_role("heading", name="Feedback address for parents")).to_be_visible()
    assert_fits(page, [page.url, "/workshops/sessions"])


COORDINATOR_PATHS = [
    "/coordinator/", "/coordinator/compliance", "/coordinator/consent",
    "/coordinator/consent/without", "/coordinator/report", "/coordinator/coverage",
    "/coordinator/coverage?by=topic", "/coordinator/coverage/7/SII",
    "/coordinator/progression", "/coordinator/settings", "/coordinator/settings/aup/staff",
    "/workshops/sessions",
]  # fmt: skip


def test_coordinator_pages_reflow_with_arial_metrics_too(browser, live_server):
    """Not only the widest font: Liberation Sans (Arial's metrics, most school PCs) fits too."""
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    sign_in_agreeing(tab, "coordinator")
    assert_fits(tab, COORDINATOR_PATHS, font="Liberation Sans")
    tab.get_by_role("button", name="Cymraeg").click()
    expect(tab.locator("html")).to_have_attribute("lang", re.compile(r"^cy"))
    assert_fits(tab, COORDINATOR_PATHS, font="Liberation Sans")
    context.close()


def test_coordinator_pages_reflow_and_wide_tables_scroll_inside(page):
    sign_in_agreeing(page, "coordinator")
    page.goto("/coordinator/compliance")
    printable = links(page, "/coordinator/compliance/class/")[:1]
    page.goto("/coordinator/consent")
    one_class = links(page, "/coordinator/consent/classes/")[:1]
    paths = [
        "/coordinator/", "/coordinator/compliance", *printable, "/coordinator/consent", *one_class,
        "/coordinator/consent/without", "/coordinator/report", "/coordinator/coverage",
        "/coordinator/coverage?by=topic", "/coordinator/coverage/7/SII",
        "/coordinator/progression", "/coordinator/settings", "/coordinator/settings/aup/staff",
        "/workshops/sessions",
    ]  # fmt: skip
    assert_fits(page, paths)
    page.get_by_role("button", name="Cymraeg").click()  # Welsh words are longer: still fits
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^cy"))
    assert_fits(page, paths)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^en"))
    page.goto("/coordinator/coverage")
    grid = page.get_by_role("region", name="Framework strands by year group")
    assert grid.evaluate("el => el.scrollWidth > el.clientWidth"), "the grid should scroll inside"
    grid.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(grid).not_to_have_js_property("scrollLeft", 0)  # keyboard users can scroll it
    expect(grid.get_by_role("table", name="Framework strands by year group")).to_be_visible()
    screenshot(page, "reflow-coordinator-coverage")


def test_trust_lead_pages_reflow(page):
    sign_in_agreeing(page, "trust.lead")
    assert_fits(page, [
        "/coordinator/", "/coordinator/trust/coverage", "/coordinator/coverage",
        "/coordinator/compliance", "/coordinator/report",
    ])  # fmt: skip
    expect(page.get_by_role("combobox", name="School")).to_be_visible()

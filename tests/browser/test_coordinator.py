"""The coordinator in Chromium: coverage, a gap's drill-down, a CSV download, the printed report."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, past_the_question, screenshot, sign_in, sign_in_agreeing

pytestmark = pytest.mark.browser


def test_coordinator_finds_a_gap_exports_and_prints_the_report(page, tmp_path):
    sign_in(page, "coordinator")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    page.goto("/coordinator/coverage")
    expect(page.get_by_role("heading", name="Coverage at Lantern Demo School")).to_be_visible()
    table = page.get_by_role("table", name="Framework strands by year group")
    row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Privacy and security")
    )
    gap = row.locator("td").nth(9)  # Reception is column 0, so Year 9 is column 9
    expect(gap).to_have_text("Gap")
    expect(row.locator("td").nth(5)).to_contain_text("Taught")  # Year 5: set, taught and done
    screenshot(page, "coordinator-coverage")
    gap.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Privacy and security in Year 9")).to_be_visible()
    expect(page.get_by_text("Nothing on this was set")).to_be_visible()
    screenshot(page, "coordinator-coverage-gap")
    page.get_by_role("link", name="Coverage", exact=True).first.click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename.startswith("coverage-lantern-demo-school-")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "School,Lantern Demo School" in text and "Privacy and security,9," in text
    page.get_by_role("link", name="Governors' report").click()
    expect(page.get_by_role("heading", name="Online safety report for governors")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, "coordinator-report-print")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.pdf(path=str(SHOTS / "coordinator-report.pdf"), landscape=True, print_background=True)
    assert (SHOTS / "coordinator-report.pdf").stat().st_size > 10_000


def test_coordinator_pages_look_right(page):
    sign_in(page, "coordinator")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    for path, name in (("/coordinator/progression", "coordinator-progression"),
                       ("/coordinator/compliance", "coordinator-compliance"),
                       ("/coordinator/settings", "coordinator-settings")):  # fmt: skip
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        screenshot(page, name)
    expect(
        page.get_by_role("heading", name="School settings for Lantern Demo School")
    ).to_be_visible()


def test_the_coverage_toggle_shows_which_view_is_on(page):
    sign_in_agreeing(page, "coordinator")
    page.goto("/coordinator/coverage?by=topic")
    on = page.get_by_role("link", name="By topic")
    off = page.get_by_role("link", name="By strand")
    expect(on).to_have_attribute("aria-current", "true")
    expect(off).not_to_have_attribute("aria-current", "true")
    colours = [link.evaluate("el => getComputedStyle(el).backgroundColor") for link in (on, off)]
    assert colours[0] != colours[1], "the view that is on looks different"
    tick = on.evaluate("el => getComputedStyle(el, '::before').content")
    assert "✓" in tick  # not by colour alone

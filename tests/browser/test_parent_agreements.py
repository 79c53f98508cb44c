"""The office records returned paper slips for a class; compliance counts every pupil."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SHOTS, screenshot, sign_in_agreeing
from tests.browser.test_axe import Sweep, _context, _switch_language

pytestmark = pytest.mark.browser


def test_the_office_ticks_returned_slips_and_compliance_counts_them(page):
    sign_in_agreeing(page, "admin")
    page.goto("/admin/")
    page.get_by_role("link", name="Parent agreements from paper slips").click()
    expect(page.get_by_role("heading", name="Parent agreements from paper slips")).to_be_visible()
    page.get_by_role("link", name="Record slips for 4B").click()
    expect(page.get_by_role("heading", name="Parent agreements for 4B")).to_be_visible()
    screenshot(page, "agreements-class-empty")
    page.get_by_label("Ben C.").check()
    page.get_by_label("Phone call").check()
    page.get_by_label("Note (optional)").fill("Mum rang the office")
    page.get_by_role("button", name="Record the ticked agreements").click()
    expect(page.get_by_text("1 parent agreement recorded.")).to_be_visible()
    expect(page.get_by_text("recorded on behalf (phone call, by")).to_be_visible()
    screenshot(page, "agreements-class-recorded")
    # a future date is refused, and the tick, the method and the note are kept
    page.get_by_label("Aisha B.").check()
    page.get_by_label("Date received").fill("2099-01-01")
    page.get_by_label("Note (optional)").fill("Slips from the bag")
    page.get_by_role("button", name="Record the ticked agreements").click()
    expect(page.get_by_text("The date received cannot be in the future.")).to_be_visible()
    expect(page.get_by_label("Aisha B.")).to_be_checked()
    expect(page.get_by_label("Note (optional)")).to_have_value("Slips from the bag")
    screenshot(page, "agreements-class-refused")


def test_compliance_shows_pupils_whose_parent_has_agreed_per_class(page):
    sign_in_agreeing(page, "coordinator")
    page.goto("/coordinator/compliance")
    heading = page.get_by_role("heading", name="Pupils whose parent or carer has agreed: 0 of")
    expect(heading).to_be_visible()
    table = page.get_by_role("table", name="Parent agreements by class")
    expect(table.get_by_role("row").filter(has_text="4B")).to_contain_text("0 of")
    screenshot(page, "coordinator-compliance-parents")
    section = page.locator("section").filter(has=heading)
    section.screenshot(path=str(SHOTS / "coordinator-compliance-parents-section.png"))


def test_the_new_and_changed_pages_pass_axe_in_both_languages(browser, live_server):
    # A click that navigates returns before the next page has loaded: scanned then, the page has
    # no stylesheet yet, and axe's target-size rule sees the header's bare "Sign out" button (64
    # by 21 px, beside the breadcrumb link). So each click waits for the page it opens to load.
    sweep = Sweep(live_server)
    for username, paths in (
        ("admin", ["/paper-agreements/", "/paper-agreements/class/{4B}"]),
        ("coordinator", ["/coordinator/compliance", "/coordinator/report"]),
    ):
        context, tab = _context(browser, live_server)
        sign_in_agreeing(tab, username)
        for language in ("English", "Cymraeg"):
            if language == "Cymraeg":
                _switch_language(tab, language)
            for path in paths:
                if "{4B}" in path:
                    tab.goto("/paper-agreements/")
                    four_b = tab.locator("a[href*='/paper-agreements/class/']", has_text="4B")
                    with tab.expect_navigation(wait_until="load"):
                        four_b.first.click()
                else:
                    tab.goto(path)
                sweep.scan(tab, username)
            if username == "admin":  # the refused form, with its error tied to its field
                tab.locator("input[name=pupil]").first.check()
                tab.locator("input[name=received_on]").fill("2099-01-01")
                with tab.expect_navigation(wait_until="load"):
                    tab.locator("form.card button[type=submit]").click()
                sweep.scan(tab, username)
        context.close()
    assert sweep.violations == [] and sweep.too_wide == [], sweep.violations + sweep.too_wide
    assert sweep.pages == 10

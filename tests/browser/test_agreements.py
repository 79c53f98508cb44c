"""Every role reads what it agreed to; a parent reads their child's AUP; a receipt checks out."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.demo import school as demo
from app.services import school_calendar, school_settings
from tests.browser.conftest import screenshot, sign_in_agreeing
from tests.browser.test_axe import Sweep, _context
from tests.pages import demo_user

pytestmark = pytest.mark.browser


def _aup_for(live_server, username: str):
    """The AUP a demo account agrees to today, in English."""
    with live_server.app.app_context():
        user = demo_user(username)
        return school_settings.current_aup(
            user.school_id, user.audience, "en", school_calendar.today()
        )


def test_every_role_opens_my_agreements_from_the_footer_and_reads_what_it_agreed_to(
    browser, live_server
):
    for account in demo.ACCOUNTS:
        context, tab = _context(browser, live_server)
        sign_in_agreeing(tab, account.username)
        tab.get_by_role("contentinfo").get_by_role("link", name="My agreements").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("My agreements")
        aup = _aup_for(live_server, account.username)
        agreed = tab.locator(".agreement").filter(has_text=aup.title).first
        expect(agreed).to_contain_text(aup.version)
        statement = agreed.get_by_text(aup.statements[0].text, exact=True)
        expect(statement).to_be_hidden()
        agreed.get_by_text("Read the words you agreed to").click()
        expect(statement).to_be_visible()
        if account.username in ("pupil.y1", "parent", "teacher"):
            screenshot(tab, f"agreements-{account.username}")
        context.close()


def test_a_parent_reads_their_childs_aup_and_checks_a_receipt(browser, live_server):
    context, tab = _context(browser, live_server)
    sign_in_agreeing(tab, "parent")
    expect(tab.get_by_role("status").filter(has_text="Print or save a receipt:")).to_be_visible()
    tab.goto("/agreements")
    child_aup = _aup_for(live_server, "pupil.y4")
    tab.get_by_text("Read what Ben C. promises").click()
    expect(tab.get_by_text(child_aup.statements[0].text, exact=True).first).to_be_visible()
    expect(tab.get_by_text("Ben C. has not agreed yet.")).to_be_visible()
    screenshot(tab, "agreements-parent-children")

    tab.get_by_role("link", name=re.compile("Print or save a receipt.*Ben C.")).click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Receipt for an agreement")
    expect(tab.locator(".receipt__facts")).to_contain_text("Jo Carter")
    expect(tab.locator(".receipt__facts")).to_contain_text("Ben C.")
    expect(tab.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    sweep = Sweep(live_server)
    sweep.scan(tab, "parent")
    screenshot(tab, "agreements-receipt")
    tab.emulate_media(media="print")
    screenshot(tab, "agreements-receipt-print")
    expect(tab.locator(".site-footer")).to_be_hidden()
    tab.emulate_media(media="screen")

    link = tab.locator(".receipt a.hash").get_attribute("href")
    context.close()
    # Someone else, signed out, follows the QR code's link: no names, no school
    context, tab = _context(browser, live_server)
    tab.goto(link)
    expect(tab.get_by_role("status")).to_contain_text("This record is genuine.")
    expect(tab.locator("main")).not_to_contain_text("Ben C.")
    expect(tab.locator("main")).not_to_contain_text(demo.SCHOOL_NAME)
    sweep.scan(tab, "signed out")
    screenshot(tab, "agreements-verify")
    assert not sweep.violations, sweep.violations
    assert not sweep.too_wide, sweep.too_wide
    context.close()


def test_the_check_works_without_javascript_and_says_what_was_wrong(no_js_page):
    tab = no_js_page
    tab.goto("/verify")
    tab.get_by_label("Record hash").fill("12ab not a hash")
    tab.get_by_role("button", name="Check", exact=True).click()
    expect(tab.get_by_text("A record hash is 64 characters long")).to_be_visible()
    expect(tab.get_by_label("Record hash")).to_have_value("12ab not a hash")
    tab.get_by_label("Record hash").fill("ab" * 32)
    tab.get_by_role("button", name="Check", exact=True).click()
    expect(tab.get_by_text("No record with this hash is held.")).to_be_visible()
    screenshot(tab, "agreements-verify-unknown")

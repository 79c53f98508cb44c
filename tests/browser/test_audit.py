"""The admin's security log in Chromium: a failed sign-in and an export appear, newest first."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in, sign_in_agreeing

pytestmark = pytest.mark.browser


def test_admin_reads_the_security_log(page):
    sign_in(page, "teacher", "not-the-password")
    sign_in_agreeing(page, "coordinator")
    assert page.request.get("/coordinator/export/compliance.csv").ok  # the browser's cookies
    page.get_by_role("button", name="Sign out", exact=True).click()
    sign_in_agreeing(page, "admin")
    page.goto("/admin/audit")
    expect(page.get_by_role("heading", name="Security log for Lantern Demo School")).to_be_visible()
    table = page.get_by_role("table", name="Events, newest first")
    expect(table.get_by_role("rowheader", name="Sign-in failed")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Signed out")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Exported a file")).to_be_visible()
    expect(page.get_by_text("not-the-password")).to_have_count(0)
    screenshot(page, "admin-security-log")
    page.get_by_label("Event").select_option("sign_in_failed")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(table.get_by_role("rowheader", name="Signed in")).to_have_count(0)
    expect(table.get_by_role("rowheader", name="Sign-in failed")).to_have_count(1)


def test_coordinator_sees_who_viewed_consent_and_the_log_prints(page):
    sign_in_agreeing(page, "parent")
    page.get_by_role("link", name="Everything for Ben C.").click()  # not his receipt
    page.get_by_role("button", name="Sign out", exact=True).click()
    sign_in_agreeing(page, "coordinator")
    page.get_by_role("link", name="Photo consent", exact=True).first.click()
    page.get_by_role("link", name="Who viewed records").click()
    table = page.get_by_role("table", name="Events, newest first")
    expect(table.get_by_role("link", name="Jo Carter")).to_be_visible()
    expect(table.get_by_role("link", name="Ben C.")).to_be_visible()
    expect(table.get_by_role("rowheader", name="Viewed photo consent")).to_have_count(2)
    screenshot(page, "coordinator-who-viewed-records")
    page.emulate_media(media="print")
    expect(page.get_by_label("Event")).to_be_hidden()
    screenshot(page, "coordinator-who-viewed-records-print")

"""Staff MFA in Chromium: set up an authenticator app, sign in with its code, a recovery code."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import past_the_question, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def live_config() -> dict:
    """MFA required, as in production."""
    return {"LANTERN_MFA_REQUIRED": True}


def _past_aup(tab) -> None:
    """Press I agree if the AUP is due, then check the coordinator's pages are reached."""
    tab.wait_for_load_state()
    if "/aup" in tab.url:
        tab.get_by_role("button", name="I agree", exact=True).click()
        past_the_question(tab)
    expect(tab.get_by_role("button", name="Sign out", exact=True)).to_be_visible()


def test_a_coordinator_sets_up_mfa_and_signs_in_with_codes(page, live_server):
    sign_in(page, "coordinator")
    expect(page).to_have_url(re.compile(r"/account/authenticator$"))
    page.goto("/coordinator/")  # no way round it
    expect(page).to_have_url(re.compile(r"/account/authenticator$"))
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    screenshot(page, "mfa-setup")
    secret = page.locator("#mfa-secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code", exact=True).fill(totp.now())
    page.get_by_role("button", name="Confirm the code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    screenshot(page, "mfa-recovery-codes")
    page.get_by_role("button", name="I have kept these codes").click()
    _past_aup(page)
    expect(page).to_have_url(re.compile(r"/coordinator/$"))
    page.goto("/coordinator/settings")
    box = page.get_by_label("Teachers sign in with an authenticator app too")
    expect(box).not_to_be_checked()  # off by default
    box.check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Teachers will be asked to set up")
    expect(page.get_by_label("Teachers sign in with an authenticator app too")).to_be_checked()
    screenshot(page, "coordinator-settings-mfa")
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, "coordinator")
    expect(page).to_have_url(re.compile(r"/sign-in/code$"))
    screenshot(page, "mfa-code")
    # the next 30 seconds' code: the one typed at set-up is used (and the clock may not have moved)
    page.get_by_label("Code", exact=True).fill(totp.at(time.time() + 30))
    page.get_by_role("button", name="Sign in", exact=True).click()
    _past_aup(page)
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, "coordinator")
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Sign in", exact=True).click()
    _past_aup(page)
    expect(page.get_by_role("status")).to_contain_text("Recovery codes left: 9")
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, "coordinator")
    page.get_by_label("Code", exact=True).fill(codes[0])  # each recovery code works once
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("That code is not right, or was used already")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/sign-in/code$"))

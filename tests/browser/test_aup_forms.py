"""The AUP in a browser: short and full forms, read aloud for KS1, KS1's buttons and pictures."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import past_the_question, screenshot, sign_in

pytestmark = pytest.mark.browser

# A stand-in for the browser's speech synthesis: it records what would be spoken, and in which
# language, and starts each utterance at once; window.__finish() ends them all.
# VOICES is the list of voices the browser has.
SPEECH_STUB = """
(() => {
  window.__spoken = [];
  const pending = [];
  window.__finish = () => pending.splice(0).forEach((u) => u.onend && u.onend());
  const synth = {
    speaking: false, paused: false,
    getVoices: () => VOICES,
    addEventListener: () => {},
    speak(u) {
      window.__spoken.push({ text: u.text, lang: u.lang });
      pending.push(u);
      setTimeout(() => { u.onstart && u.onstart(); }, 0);
    },
    cancel() {}, pause() { this.paused = true; }, resume() { this.paused = false; },
  };
  Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; };
})();
"""


def _aup(live_server, audience: str):
    with live_server.app.app_context():
        from app.content import aups

        return aups().get(audience)


def _sign_out_and_in(page, username: str) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    sign_in(page, username)
    expect(page).to_have_url(re.compile(r"/aup$"))


def test_pupil_y8_reads_the_full_text_first_then_the_short_form(page, live_server):
    aup = _aup(live_server, "secondary")
    sign_in(page, "pupil.y8")
    expect(page).to_have_url(re.compile(r"/aup$"))
    statements = page.locator(".aup__statements li")
    expect(statements).to_have_count(len(aup.statements))
    expect(page.get_by_role("link", name="Read the whole agreement")).to_have_count(0)
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)  # the once-a-term question about one promise, when it is due
    expect(page).to_have_url(re.compile(r"/pupil/$"))
    _sign_out_and_in(page, "pupil.y8")
    expect(statements).to_have_count(len(aup.short.statements))
    expect(statements.first).to_contain_text(aup.short.statements[0].text)
    screenshot(page, "aup-short-secondary")
    page.get_by_role("link", name="Read the whole agreement").click()
    expect(statements).to_have_count(len(aup.statements))
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)  # the once-a-term question about one promise, when it is due
    expect(page).to_have_url(re.compile(r"/pupil/$"))


def test_the_ks1_aup_is_read_aloud_in_its_own_language(page, live_server):
    aup = _aup(live_server, "ks1")
    page.add_init_script(SPEECH_STUB.replace("VOICES", '[{ name: "Stub", lang: "en-GB" }]'))
    sign_in(page, "pupil.y1")
    expect(page).to_have_url(re.compile(r"/aup$"))
    read = page.get_by_role("button", name="Read aloud")
    expect(read).to_be_visible()
    assert page.evaluate("window.__spoken") == []  # never read until asked
    screenshot(page, "aup-ks1-full")
    read.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    expected = [aup.title, aup.intro, *(s.text for s in aup.statements), aup.closing]
    page.wait_for_function(f"window.__spoken.length === {len(expected)}")
    spoken = page.evaluate("window.__spoken")
    assert [s["text"] for s in spoken] == expected
    assert {s["lang"] for s in spoken} == {"en-GB"}
    expect(page.locator(".is-speaking")).to_have_text(aup.closing)  # what is read is marked
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.evaluate("window.__finish()")
    expect(page.get_by_role("button", name="Stop")).to_be_hidden()  # all read: controls go
    expect(page.locator(".is-speaking")).to_have_count(0)


def test_with_no_voice_for_the_language_it_says_so_instead(page, live_server):
    page.add_init_script(SPEECH_STUB.replace("VOICES", '[{ name: "Stub", lang: "fr-FR" }]'))
    sign_in(page, "pupil.y4")
    page.get_by_role("button", name="Read aloud").click()
    expect(page.get_by_role("status").filter(has_text="no voice")).to_be_visible()
    assert page.evaluate("window.__spoken") == []  # never in the wrong accent


def test_without_javascript_there_is_no_read_aloud_button(no_js_page, live_server):
    sign_in(no_js_page, "pupil.y1")
    expect(no_js_page.get_by_role("button", name="Read aloud")).to_have_count(0)
    expect(no_js_page.get_by_text("A grown-up will read them with me.")).to_be_visible()


def test_ks1_buttons_are_apart_and_do_not_agree_asks_once_more(page, live_server):
    sign_in(page, "pupil.y1")
    agree = page.get_by_role("button", name="I agree", exact=True)
    decline = page.get_by_role("link", name="I do not agree")
    a, d = agree.bounding_box(), decline.bounding_box()
    assert d["y"] - (a["y"] + a["height"]) >= 64  # far apart, one above the other
    assert min(a["height"], d["height"]) >= 64  # big targets
    screenshot(page, "aup-ks1-buttons")
    decline.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure?")
    screenshot(page, "aup-ks1-decline-check")
    page.get_by_role("link", name="Go back to my promises").click()
    expect(page).to_have_url(re.compile(r"/aup$"))
    page.get_by_role("link", name="I do not agree").click()
    page.get_by_role("button", name="I do not agree. Sign me out.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are signed out")


def test_ks1_short_form_on_a_second_logon(page, live_server):
    aup = _aup(live_server, "ks1")
    sign_in(page, "pupil.y1")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    _sign_out_and_in(page, "pupil.y1")
    expect(page.locator(".aup__statements li")).to_have_count(len(aup.short.statements))
    expect(page.locator(".aup__statements img").first).to_be_visible()
    expect(page.get_by_text("A grown-up will read them with me.")).to_be_visible()
    screenshot(page, "aup-short-ks1")


def test_too_many_wrong_pictures_says_please_wait(page, live_server):
    page.goto("/sign-in/pictures")
    page.get_by_label("Class code").fill("FOX1")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name="Amara O.").click()
    page.wait_for_load_state("load")
    for _attempt in range(5):  # five wrong sequences of three pictures
        for done in range(1, 4):
            page.get_by_role("button", name="Dog", exact=True).click()
            if done < 3:
                expect(page.get_by_role("status")).to_contain_text(f"{done} of 3 pictures chosen")
        expect(page.get_by_text("Those pictures were not quite right")).to_be_visible()
    page.get_by_role("button", name="Dog", exact=True).click()
    expect(page.get_by_text("Too many tries for now. Please wait")).to_be_visible()
    expect(page.get_by_text("That did not work")).to_be_hidden()
    screenshot(page, "pictures-please-wait")


def test_axe_finds_nothing_on_the_short_forms_and_the_second_ask(browser, live_server):
    from tests.browser.test_axe import Sweep, _context, _switch_language

    sweep = Sweep(live_server)
    for username in ("pupil.y1", "pupil.y8"):
        context, tab = _context(browser, live_server)
        sign_in(tab, username)
        tab.get_by_role("button", name="I agree", exact=True).click()
        past_the_question(tab)
        _sign_out_and_in(tab, username)
        for language in ("English", "Cymraeg"):
            if language == "Cymraeg":
                _switch_language(tab, language)
            expect(tab.locator(".aup--short")).to_be_visible()
            sweep.scan(tab, username)
            tab.goto("/aup/decline/check")
            sweep.scan(tab, username)
            tab.goto("/aup")
        context.close()
    context, tab = _context(browser, live_server)
    sign_in(tab, "coordinator")
    tab.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(tab)
    tab.goto("/coordinator/settings")
    sweep.scan(tab, "coordinator")
    screenshot(tab, "coordinator-settings-aup-form")
    context.close()
    assert not sweep.violations, "\n".join(sweep.violations)
    assert not sweep.too_wide, "\n".join(sweep.too_wide)

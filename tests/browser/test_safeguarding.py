"""Report a worry, log a concern; the DSL works the incident through to the governors' report."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import SchoolClass
from tests import factories
from tests.browser.conftest import screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser

WORDS = "Someone on a game keeps asking for my address"


def _tab(browser, live_server, username: str, javascript: bool = True):
    """A fresh tab signed in as username (its own cookies)."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        java_script_enabled=javascript,
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    sign_in_agreeing(tab, username)
    return tab


def _record(tab, form_id: str, **fields) -> None:
    """Fill one of the incident page's small forms and send it."""
    tab.locator(f"#form-{form_id} > summary").click()  # each form is folded away until opened
    form = tab.locator(f"#form-{form_id}")
    for label, value in fields.items():
        field = form.get_by_label(label, exact=True)
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button").click()
    expect(tab.get_by_role("status")).to_contain_text("Added to the record")


def test_worries_and_a_concern_reach_the_dsl_who_works_the_incident(browser, live_server):
    # a Year 4 pupil reports a worry in their own words
    y4 = _tab(browser, live_server, "pupil.y4")
    y4.get_by_role("link", name="I'm worried about something").click()
    expect(y4.get_by_role("heading", level=1)).to_have_text("I'm worried about something")
    expect(y4.get_by_text("0800 1111")).to_be_visible()
    y4.get_by_label("Someone I talk to online").check()
    y4.get_by_label(re.compile("Tell us more")).fill(WORDS)
    screenshot(y4, "safeguarding-worry")
    y4.get_by_role("button", name="Send to a trusted adult at school").click()
    expect(y4.get_by_role("heading", level=1)).to_have_text("Thank you for telling us")
    screenshot(y4, "safeguarding-worry-sent")

    # a Year 1 pupil taps once, with JavaScript off: a plain form
    y1 = _tab(browser, live_server, "pupil.y1", javascript=False)
    y1.get_by_role("button", name="I want to talk to my teacher").first.click()
    expect(y1.get_by_role("heading", level=1)).to_have_text("Thank you for telling us")
    screenshot(y1, "safeguarding-talk-sent-ks1")

    # a teacher logs a concern about two pupils
    teacher = _tab(browser, live_server, "teacher")
    teacher.get_by_role("link", name="Log an online-safety concern").click()
    teacher.get_by_label("Which pupil or pupils?").select_option(
        label=["Ben C. (pupil.y4)", "Chloe C. (pupil.y8)"]
    )
    teacher.get_by_label(re.compile("What happened")).fill("Ben said: 'a man asked for a photo'.")
    teacher.get_by_label("When did it happen?").fill("Last night")
    teacher.get_by_label("Platform, app or game").fill("Roblox")
    teacher.get_by_label("What did you do straight away?").fill("Reassured him, told the DSL.")
    teacher.get_by_role("button", name="Send to the safeguarding team").click()
    expect(teacher.get_by_text("Not yet read")).to_be_visible()
    screenshot(teacher, "safeguarding-concern")
    assert teacher.goto("/safeguarding/log").status == 404

    # the DSL sees a count (no content) and reads both
    dsl = _tab(browser, live_server, "coordinator")
    expect(dsl.get_by_text("3 new reports").first).to_be_visible()
    screenshot(dsl, "safeguarding-coordinator-home")
    dsl.get_by_role("link", name="Open the incident log").click()
    screenshot(dsl, "safeguarding-log")
    inbox = dsl.locator("section", has=dsl.get_by_role("heading", name=re.compile("Inbox")))
    inbox.get_by_role("row").filter(has_text="Ms Patel").get_by_role("link").click()
    expect(dsl.get_by_text("a man asked for a photo")).to_be_visible()
    screenshot(dsl, "safeguarding-report")
    dsl.get_by_role("button", name="Record it").click()
    expect(dsl.get_by_role("heading", level=1)).to_contain_text("Incident")
    incident_url = dsl.url

    dsl.goto("/safeguarding/log")
    inbox = dsl.locator("section", has=dsl.get_by_role("heading", name=re.compile("Inbox")))
    inbox.get_by_role("row").filter(has_text="(pupil)").filter(has_text="Ben C.").get_by_role(
        "link"
    ).click()
    expect(dsl.get_by_text(WORDS)).to_be_visible()
    dsl.get_by_label(re.compile("Part of incident")).check()
    dsl.get_by_role("button", name="Record it").click()
    expect(dsl).to_have_url(incident_url)

    _record(dsl, "pupil", Pupil="Ben C. (pupil.y4)", **{"Their part": "Was harmed"})
    _record(dsl, "pupil", Pupil="Chloe C. (pupil.y8)", **{"Their part": "Witness"})
    _record(dsl, "category", Category="Contact: harmful contact from someone")
    _record(dsl, "topic", Topic="Grooming")
    _record(dsl, "action", **{"What was done, by whom": "Spoke to Ben with his teacher."})
    contacted = "Who was contacted, when, and their reference"
    _record(dsl, "referral", **{"What makes it a referral": "An adult is involved",
                                contacted: "MASH, ref 42"})  # fmt: skip
    _record(dsl, "sanction", **{"Sanction (from the school's matrices)": "Warning",
                                "For which pupil (leave empty for a member of staff)": "Chloe C.",
                                "Note": "Shared the message on"})  # fmt: skip
    _record(dsl, "parents", **{"Parents of": "Ben C.",
                               "When, by whom, and how": "Phoned mum the same day"})  # fmt: skip
    # the matching KS2 lesson is teacher-led: set only once 4B has been taught it (and 8C, in
    # Year 8, is not in its key stage)
    dsl.get_by_role("button", name="Set this lesson").click()
    expect(dsl.get_by_role("status")).to_contain_text("Not set for 4B yet.")
    with live_server.app.app_context():
        four_b = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
        factories.taught(four_b, "ks2-grooming-1")
        db.session.commit()
        db.session.remove()
    dsl.get_by_role("button", name="Set this lesson").click()
    expect(dsl.get_by_role("status")).to_have_text("The lesson is set for 4B.")
    dsl.get_by_role("button", name="Share the guide").click()
    expect(dsl.get_by_role("status")).to_contain_text("Their parents will see the guide")
    _record(dsl, "status", Status="Closed", Outcome="Resolved; police advised; monitoring ended.")
    expect(dsl.get_by_role("heading", level=1)).to_contain_text("Closed")
    expect(dsl.get_by_text("Children's social care and the police at once").first).to_be_visible()
    screenshot(dsl, "safeguarding-incident")

    # the teacher sees it was read, and nothing more
    teacher.goto("/safeguarding/concern")
    expect(teacher.locator(".badge--done")).to_have_text(re.compile(r"^Read \d"))

    # the governors' report counts it, without names
    dsl.goto("/coordinator/report")
    section = dsl.locator("section", has=dsl.get_by_role("heading", name=re.compile("incidents")))
    expect(section).to_contain_text("fewer than 3")
    expect(section).not_to_contain_text("Ben C.")
    section.scroll_into_view_if_needed()
    screenshot(dsl, "safeguarding-governors-report")
    dsl.goto(f"{incident_url}/print")
    screenshot(dsl, "safeguarding-print")
    dsl.goto("/safeguarding/sanctions")
    screenshot(dsl, "safeguarding-sanctions")
    dsl.goto("/safeguarding/audit")
    added = dsl.get_by_role("rowheader", name="Added to a safeguarding record")
    expect(added.first).to_be_visible()
    screenshot(dsl, "safeguarding-audit")

    # every page reflows at 320 CSS px (WCAG 2.2 1.4.10): no sideways scroll
    for tab, paths in (
        (
            dsl,
            ["/safeguarding/log", incident_url, "/safeguarding/sanctions", "/safeguarding/audit"],
        ),
        (teacher, ["/safeguarding/concern"]),
        (y4, ["/safeguarding/worry", "/pupil/"]),
        (y1, ["/pupil/"]),
    ):
        tab.set_viewport_size({"width": 320, "height": 700})
        for path in paths:
            tab.goto(path)
            width = tab.evaluate("document.documentElement.scrollWidth")
            assert width <= 320, f"{path} is {width} px wide at 320 px"
    screenshot(y1, "safeguarding-ks1-home-narrow")

    # Ben's parent sees the guide, and nothing about why
    parent = _tab(browser, live_server, "parent")
    shared = parent.locator("section", has=parent.get_by_role("heading", name=re.compile("shared")))
    expect(shared.get_by_role("link")).to_have_count(1)
    expect(parent.locator("body")).not_to_contain_text("incident")
    screenshot(parent, "safeguarding-parent-guide")

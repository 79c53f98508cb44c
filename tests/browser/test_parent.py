"""A parent signs the AUP for both children, decides photo consent, and sees only their own."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import User
from tests.browser.conftest import past_the_question, screenshot, sign_in

pytestmark = pytest.mark.browser


def _ids(live_server, *usernames: str) -> dict[str, int]:
    with live_server.app.app_context():
        query = sa.select(User.username, User.id).where(User.username.in_(usernames))
        return dict(db.session.execute(query).all())


USES = ("inside school", "school website", "social media", "in the press")


def _answer(page, child: str, answer: str) -> None:
    """Open a child's consent form from the home page and answer every use the same way."""
    page.goto("/parent/")
    page.get_by_role("link", name=f"Change photo consent for {child}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Photo consent for {child}")
    for group in USES:
        fieldset = page.get_by_role("group", name=re.compile(group))
        fieldset.get_by_label(answer).check()
    screenshot(page, f"parent-consent-{child[:3].lower()}")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("status")).to_contain_text(f"Your photo consent for {child} was saved")


def _row(page, name: str):
    return page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=name, exact=True))


def test_parent_signs_for_both_children_and_decides_photo_consent(page, live_server):
    ids = _ids(live_server, "pupil.y4", "pupil.y8", "demo.y4.1", "pupil.y10", "teacher")
    sign_in(page, "parent")
    expect(page).to_have_url(re.compile(r"/aup$"))
    expect(page.locator(".aup__for")).to_contain_text("Ben C.")
    expect(page.locator(".aup__for")).to_contain_text("Chloe C.")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    expect(page).to_have_url(re.compile(r"/parent/$"))
    for child in ("Ben C.", "Chloe C."):
        expect(page.get_by_text(f"AUP signed for {child} on")).to_be_visible()
    screenshot(page, "parent-home")

    _answer(page, "Ben C.", "Yes, I give consent")
    _answer(page, "Chloe C.", "No, I do not give consent")
    expect(page.locator(".history li")).to_have_count(4)
    screenshot(page, "parent-child")

    for pupil_id in (ids["demo.y4.1"], ids["pupil.y10"], ids["teacher"], 999_999):
        for path in (f"/parent/children/{pupil_id}", f"/parent/children/{pupil_id}/consent"):
            assert page.goto(path).status == 404, path
    for own in (ids["pupil.y4"], ids["pupil.y8"]):
        assert page.goto(f"/parent/children/{own}").status == 200

    page.goto("/parent/")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "coordinator")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    page.goto("/coordinator/consent")
    expect(_row(page, "Ben C.").get_by_role("cell")).to_have_text(
        ["Given", "Given", "Given", "Given", re.compile(r"\d")]
    )
    expect(_row(page, "Chloe C.").get_by_role("cell")).to_have_text(
        ["Refused", "Refused", "Refused", "Refused", re.compile(r"\d")]
    )
    screenshot(page, "coordinator-consent")
    page.get_by_role("link", name="Pupils without consent (office list)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pupils without photo consent")
    expect(_row(page, "Ben C.")).to_have_count(0)
    expect(_row(page, "Chloe C.").get_by_role("cell")).to_have_text(["No consent: Refused"] * 4)
    screenshot(page, "coordinator-consent-without")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, "coordinator-consent-without-print")


def test_consent_works_without_javascript(no_js_page, live_server):
    page = no_js_page
    sign_in(page, "parent")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    _answer(page, "Ben C.", "No, I do not give consent")
    page.get_by_role("link", name="Change photo consent for Ben C.").click()
    page.get_by_role("group", name=re.compile("school website")).get_by_label(
        "Yes, I give consent"
    ).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".history li")).to_have_count(5)


def test_parent_pages_read_in_welsh(page, live_server):
    sign_in(page, "parent")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    page.get_by_role("button", name="Cymraeg").click()
    expect(page.locator("html")).to_have_attribute("lang", "cy-GB")
    expect(page.get_by_role("heading", level=1)).to_have_text("Helo, Jo Carter")
    expect(page.get_by_role("heading", name="Caniatâd lluniau").first).to_be_visible()
    screenshot(page, "parent-home-cy")
    page.get_by_role("link", name="Newid caniatâd lluniau ar gyfer Ben C.").click()
    expect(page.get_by_role("button", name="Cadw fy atebion")).to_be_visible()
    screenshot(page, "parent-consent-cy")


def test_each_use_is_decided_separately_and_an_old_answer_is_labelled(page, live_server):
    from app.models import ConsentDecision, ConsentPart, PhotoConsent

    with live_server.app.app_context():
        ben = db.session.scalar(sa.select(User).where(User.username == "pupil.y4"))
        db.session.add(PhotoConsent(school_id=ben.school_id, pupil_id=ben.id,
                                    part=ConsentPart.PUBLICATIONS,
                                    decision=ConsentDecision.GIVEN))  # fmt: skip
        db.session.commit()
    sign_in(page, "parent")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    page.get_by_role("link", name="Change photo consent for Ben C.").click()
    for use in USES[1:]:
        fieldset = page.get_by_role("group", name=re.compile(use))
        expect(fieldset).to_contain_text("from your earlier answer for all publications")
    screenshot(page, "parent-consent-earlier")
    page.get_by_role("group", name=re.compile("inside school")).get_by_label(
        "Yes, I give consent"
    ).check()
    page.get_by_role("group", name=re.compile("social media")).get_by_label(
        "No, I withdraw my consent"
    ).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your photo consent for Ben C. was saved")
    items = page.locator(".consent-list__item")
    expect(items.filter(has_text="social media")).to_contain_text("Withdrawn")
    expect(items.filter(has_text="school website")).to_contain_text(
        "from your earlier answer for all publications"
    )
    expect(page.locator(".history li")).to_have_count(3)
    screenshot(page, "parent-child-earlier")


def test_a_sixth_former_decides_their_own_photo_consent(page, live_server):
    sign_in(page, "pupil.y12")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    page.get_by_role("link", name="See or change your photo consent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your photo consent")
    for use, answer in zip(USES, ("Yes, I give consent", "Yes, I give consent",
                                  "No, I do not give consent", "No, I do not give consent"),
                           strict=True):  # fmt: skip
        page.get_by_role("group", name=re.compile(use)).get_by_label(answer).check()
    screenshot(page, "pupil-consent")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("status")).to_contain_text("Your photo consent was saved")
    expect(page.locator(".history li")).to_have_count(4)
    expect(page.locator(".history li").first).to_contain_text("by you")
    screenshot(page, "pupil-consent-saved")

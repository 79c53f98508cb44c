"""In Chromium: two pupils see one quiz in their own orders; their misconceptions are counted."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import SchoolClass, User
from app.services.auth import hash_secret
from tests import factories
from tests.browser.conftest import past_the_question, screenshot, sign_in

pytestmark = pytest.mark.browser
LESSON = "ks2-grooming-1"
CLASSMATE = "demo.y4.1"  # a 4B pupil the demo gives no password; this test gives one
RIGHT = {
    "friendly-for-weeks": ["only-what-they-show"],
    "warning-signs": ["keep-secret", "gifts", "photos"],
    "whose-fault": ["false"],
    "who-might-groom": ["anyone"],
    "where-to-get-help": ["trusted-adult", "childline", "ceop"],
}


@pytest.fixture(autouse=True)
def taught_to_4b(live_server):
    """The grooming lesson is teacher-led: pupils open its quiz once 4B has been taught it."""
    with live_server.app.app_context():
        four_b = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
        factories.taught(four_b, LESSON)
        db.session.commit()
        db.session.remove()


@pytest.fixture
def classmate(live_server):
    """Let a second 4B pupil sign in, with the demo password."""
    with live_server.app.app_context():
        pupil = db.session.scalar(sa.select(User).where(User.username == CLASSMATE))
        pupil.password_hash = hash_secret("lantern-demo")
        pupil.must_change_password = False  # imported without a password: as if chosen
        db.session.commit()
        db.session.remove()


def _order(page) -> dict[str, list[str]]:
    """Each question's option values, in the order the page shows them."""
    order: dict[str, list[str]] = {}
    for field in page.locator(".question-block input").all():
        order.setdefault(field.get_attribute("name"), []).append(field.get_attribute("value"))
    return order


def _hand_in(page, wrong: dict[str, list[str]]) -> None:
    """Answer every question, right except where told, and hand the quiz in."""
    for question, values in {**RIGHT, **wrong}.items():
        for value in values:
            page.locator(f'input[name="answer.{question}"][value="{value}"]').check()
    page.get_by_role("button", name="Hand in my quiz").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("You scored 4 out of 5")


def _open_quiz(page, username: str) -> dict[str, list[str]]:
    sign_in(page, username)
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    page.goto(f"/pupil/lessons/{LESSON}/quiz")
    expect(page.locator(".question-block").first).to_be_visible()
    return _order(page)


def test_own_orders_then_the_class_and_year_group_misconceptions(page, live_server, classmate):
    first = _open_quiz(page, "pupil.y4")
    page.reload()
    assert _order(page) == first  # the same order when the page is loaded again
    screenshot(page, "quiz-order-pupil-y4")
    _hand_in(page, {"friendly-for-weeks": ["really-eleven"]})
    # a wrong one-answer question names the right answer, and no "more right answers"
    expect(page.locator(".result--wrong")).to_contain_text("The right answer:")
    expect(page.locator("body")).not_to_contain_text("more right answer")
    page.get_by_role("button", name="Sign out").click()

    second = _open_quiz(page, CLASSMATE)
    assert second != first  # another pupil, another order
    assert sorted(map(sorted, second.values())) == sorted(map(sorted, first.values()))
    screenshot(page, "quiz-order-classmate")
    _hand_in(page, {"friendly-for-weeks": ["safe-to-meet"]})
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "teacher")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    page.get_by_role("link", name="Class 4B").click()
    expect(page).to_have_url(re.compile(r"/teacher/classes/\d+$"))
    page.goto(f"{page.url}/quiz/{LESSON}")  # the grid links it once the lesson is set
    counts = page.locator(".misconception-counts li")
    expect(counts.first).to_contain_text("Believes people online are who they say: 2 pupils")
    expect(page.locator(".analysis").first).to_contain_text("0% right first time (0 of 2)")
    screenshot(page, "teacher-class-misconceptions")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "coordinator")
    page.get_by_role("button", name="I agree", exact=True).click()
    past_the_question(page)
    page.goto("/coordinator/progression")
    section = page.locator("section.misconceptions")
    expect(section.get_by_role("heading", name="Year 4")).to_be_visible()
    expect(section.locator("li").first).to_contain_text(
        "Believes people online are who they say: 2 pupils"
    )
    section.scroll_into_view_if_needed()
    screenshot(page, "coordinator-year-misconceptions")


def test_a_blank_one_answer_question_is_named_on_the_page_and_takes_focus(page, live_server):
    _open_quiz(page, "pupil.y4")
    page.locator('input[name="answer.friendly-for-weeks"][value="only-what-they-show"]').check()
    page.get_by_role("button", name="Hand in my quiz").click()  # no browser bubble stops this
    problem = page.locator("#quiz-problem")
    expect(problem).to_contain_text("Answer questions 2, 3, 4 and 5 before you hand in")
    expect(problem).to_be_focused()
    problem.get_by_role("link", name="Go to question 3").click()
    expect(page).to_have_url(re.compile("#question-whose-fault$"))
    screenshot(page, "quiz-blank-one-answer-question")

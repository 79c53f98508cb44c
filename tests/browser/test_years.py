"""The curriculum by year group, as pupils and the coordinator meet it in a browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.config import ROOT
from app.content.library import load_library
from app.extensions import db
from app.models import School
from tests import factories
from tests.browser.conftest import past_the_question, screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser
LIBRARY = load_library(ROOT / "lessons", ROOT / "quizzes")


def _pupils(live_server) -> dict[int, str]:
    """A Year 3 and a Year 6 pupil in classes of the demo school: {year: username}."""
    with live_server.app.app_context():
        school = db.session.scalar(db.select(School).order_by(School.id))
        names = {}
        for year in (3, 6):
            room = factories.school_class(school, f"{year}Z", year)
            pupil = factories.user(school, username=f"pupil.z{year}", year=year)
            room.pupils.append(pupil)
            names[year] = pupil.username
        db.session.commit()
    return names


def _sign_in_pupil(page, username: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    if "/aup" in page.url:
        page.get_by_role("button", name="I agree", exact=True).click()
        past_the_question(page)


def _own_year_titles(page) -> list[str]:
    section = page.locator("section", has=page.locator("#lessons-title"))
    return section.locator(".lesson-card h3, .lesson-card__title").all_inner_texts()


def test_year_3_and_year_6_pupils_see_their_own_years_lessons_first(page, browser, live_server):
    names = _pupils(live_server)
    seen = {}
    for year, username in names.items():
        _sign_in_pupil(page, username)
        expect(page.locator("#lessons-title")).to_have_text(f"Lessons for Year {year}")
        own = [x for x in LIBRARY.for_year(year) if x.topic == "grooming"]
        assert len(own) == 1, own
        cards = page.locator("section", has=page.locator("#lessons-title"))
        # a teacher-led lesson's card shows its title, and waits for the class to be taught it
        expect(cards.locator(".lesson-card__title", has_text=own[0].title).first).to_be_visible()
        seen[year] = own[0]
        screenshot(page, f"pupil-home-year-{year}")
        page.get_by_role("button", name="Sign out", exact=True).click()
        page.wait_for_load_state()
    assert seen[3].id != seen[6].id  # the same topic, a different lesson for each year
    # Year 6's page offers the earlier years' lessons to go over again, Year 3's does not
    _sign_in_pupil(page, names[6])
    expect(page.locator("#revise-title")).to_be_visible()
    earlier = page.locator("section", has=page.locator("#revise-title"))
    expect(earlier.locator(".lesson-card__title", has_text=seen[3].title).first).to_be_visible()


def test_the_coordinator_sees_which_statements_year_8_has_been_taught(page):
    sign_in_agreeing(page, "coordinator")
    page.goto("/coordinator/coverage")
    page.get_by_role("link", name="By statement").click()
    page.get_by_label("Year group").select_option(label="Year 8")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Framework statements for Year 8")
    expect(page.get_by_role("heading", name="Statements for this age band")).to_be_visible()
    first = next(s for s in LIBRARY.statements() if 8 in s.years)
    expect(page.get_by_role("rowheader", name=first.text, exact=False).first).to_be_visible()
    screenshot(page, "coverage-statements-year-8")


def test_a_year_3_lesson_and_an_ai_lesson_as_the_teacher_previews_them(page):
    sign_in_agreeing(page, "teacher")
    year3 = next(x for x in LIBRARY.for_year(3) if x.topic == "checking_sources")
    ai = next(x for x in LIBRARY.lessons() if x.topic == "ai" and 5 in x.years)
    for lesson, name in ((year3, "lesson-year-3"), (ai, "lesson-ai-step")):
        step = next(s for s in lesson.steps if s.kind == "scenario")
        page.goto(f"/teacher/curriculum/{lesson.id}/preview/{step.id}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        screenshot(page, name)
    page.goto("/teacher/curriculum?year=3")
    expect(page.locator("#years-3")).to_have_text("Year 3")
    expect(page.locator("#years-4")).to_have_count(0)

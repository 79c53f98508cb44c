"""The teacher's and the coordinator's views of the misconceptions their pupils show most."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import SchoolClass
from tests.conftest import post
from tests.unit.test_misconception_counts import _hand_in


def _four_b() -> SchoolClass:
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))


def _answers_in_4b() -> SchoolClass:
    """Three pupils of 4B hand in the KS2 grooming quiz: two believe online names, one blames."""
    cls = _four_b()
    a, b, c = sorted(cls.pupils, key=lambda p: p.id)[:3]
    _hand_in(a, 1, friendly_for_weeks="really-eleven", whose_fault="true")
    _hand_in(b, 1, friendly_for_weeks="safe-to-meet")
    _hand_in(c, 1)
    return cls


def test_the_question_analysis_lists_the_class_s_most_common_misconceptions(
    client, login_as, demo_school
):
    cls = _answers_in_4b()
    login_as("teacher")
    page = client.get(f"/teacher/classes/{cls.id}/quiz/ks2-grooming-1").get_data(as_text=True)
    assert "Most common misconceptions in this class" in page
    first = page.index("<strong>Believes people online are who they say</strong>: 2 pupils")
    second = page.index("<strong>Blames the person who was harmed</strong>: 1 pupil")
    assert first < second  # most pupils first
    assert "Online, you see only what someone chooses to" in page  # the teacher explanation
    # the question's own line names the misconception by its label, not its id
    assert "Misconception to re-teach: Believes people online are who they say" in page


def test_a_class_with_no_answers_says_so(client, login_as, demo_school):
    login_as("teacher")
    page = client.get(f"/teacher/classes/{_four_b().id}/quiz/ks2-grooming-1")
    assert "No misconceptions recorded for this class this school year yet." in page.get_data(
        as_text=True
    )


def test_the_progression_page_lists_misconceptions_by_year_group(client, login_as, demo_school):
    _answers_in_4b()
    login_as("coordinator")
    page = client.get("/coordinator/progression").get_data(as_text=True)
    section = page[page.index("Most common misconceptions by year group") :]
    assert "<h3>Year 4</h3>" in section
    assert "<strong>Believes people online are who they say</strong>: 2 pupils" in section
    assert "<strong>Blames the person who was harmed</strong>: 1 pupil" in section


def test_the_progression_page_in_welsh_keeps_labels_marked_english(client, login_as, demo_school):
    _answers_in_4b()
    login_as("coordinator")
    post(client, "/language", {"lang": "cy", "next": "/coordinator/"}, token_from="/coordinator/")
    page = client.get("/coordinator/progression").get_data(as_text=True)
    assert "Y camsyniadau mwyaf cyffredin fesul grŵp blwyddyn" in page
    assert '<strong lang="en">Believes people online are who they say</strong>' in page

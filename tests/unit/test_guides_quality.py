"""The guides' quality bars: coverage of every band and topic, plain English, help that fits."""

from __future__ import annotations

import re
import statistics

import pytest
import textstat

from app.config import ROOT
from app.content.guides import load_guides
from app.content.strands import BAND_IDS
from app.content.topics import TOPIC_IDS

LIBRARY = load_guides(ROOT / "guides")
PRACTICAL = (
    *("parental-controls", "talking-about-images", "gaming-and-chat"),
    *("screen-time-and-sleep", "if-something-happens"),
)
MEDIAN_GRADE = 9
HIGHEST_GRADE = 11
WORDS = range(250, 1300)  # enough to help, short enough for one or two printed sides


def parent_text(guide) -> str:
    """Everything a parent reads in a guide, one sentence-ending line per part."""
    parts = [guide.title, guide.summary]
    for section in guide.sections:
        parts += [section.heading, *section.paragraphs, *section.points]
    parts += list(guide.conversation_starters)
    parts += [text for entry in guide.help for text in (entry.name, entry.how)]
    return "\n".join(_sentence(part) for part in parts)


def _sentence(text: str) -> str:
    """End a heading or list item with a full stop so it counts as its own sentence."""
    text = " ".join(text.split())
    return text if re.search(r"[.!?:]$", text) else f"{text}."


def grade(guide) -> float:
    """Flesch-Kincaid grade of a guide's English text."""
    return textstat.flesch_kincaid_grade(parent_text(guide))


@pytest.mark.parametrize("band", BAND_IDS)
def test_every_band_has_a_guide(band):
    assert any(g.kind == "band" for g in LIBRARY.for_band(band)), band


@pytest.mark.parametrize("topic", TOPIC_IDS)
def test_every_topic_has_a_guide(topic):
    assert LIBRARY.for_topic(topic), topic


def test_the_practical_guides_exist():
    assert {g.id for g in LIBRARY.practical()} >= set(PRACTICAL)


def test_reading_grade_suits_parents_reading_english_as_a_second_language():
    grades = {g.id: round(grade(g), 1) for g in LIBRARY.all()}
    assert statistics.median(grades.values()) <= MEDIAN_GRADE, grades
    too_hard = {gid: value for gid, value in grades.items() if value > HIGHEST_GRADE}
    assert too_hard == {}


@pytest.mark.parametrize("guide", LIBRARY.all(), ids=lambda g: g.id)
def test_guide_length_fits_a_printed_sheet(guide):
    assert len(parent_text(guide).split()) in WORDS


def test_if_something_happens_names_every_route_the_issue_asks_for():
    text = parent_text(LIBRARY.get("if-something-happens"))
    for route in ("school", "CEOP", "999", "Childline", "0800 1111"):
        assert route in text, route

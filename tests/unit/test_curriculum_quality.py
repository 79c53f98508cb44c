"""The curriculum's quality bars, proved from the content files themselves."""

from __future__ import annotations

import re
import statistics
from collections import Counter

import pytest
import textstat

from app.config import ROOT
from app.content.kinds import ExplainStep, ScenarioStep, SortStep, TrueFalseStep
from app.content.library import load_library
from app.content.strands import BAND_IDS, STRAND_CODES
from app.content.topics import TOPIC_IDS, TOPICS

LIBRARY = load_library(ROOT / "lessons", ROOT / "quizzes", static_dir=ROOT / "static")
MEDIAN_GRADE = {"ks1": 3, "ks2": 5, "ks3": 7, "ks4": 9, "sixth_form": 11}
QUIZ_QUESTIONS = {"ks1": 3}
DURATION = {"ks1": range(10, 31)}
OLDER_DURATION = range(30, 51)
HELP_FROM = {  # a help route and the first band that may name it (docs/sources.md, help routes)
    "CEOP": "ks2",
    "Report Remove": "ks3",
    "Report Harmful Content": "ks3",
}
HELP_IN_EVERY_LESSON = {"Childline": "ks1", "CEOP": "ks2"}  # route: from this band on
KS3_REPORTING = ("Report Remove", "Report Harmful Content")  # at least one, from KS3
NUDES_NEED_REPORT_REMOVE_FROM = "ks3"


def pupil_text(lesson) -> str:
    """Everything a pupil reads in a lesson and its quiz, as sentences."""
    parts = [lesson.title, lesson.summary]
    for step in lesson.steps:
        parts += _step_text(step)
    for question in LIBRARY.quiz_for(lesson.id).questions:
        parts.append(question.text)
        for option in question.options:
            parts += [option.text, option.feedback]
    return "\n".join(_sentence(p) for p in parts if p)


def _step_text(step) -> list[str]:
    """The pupil-facing text of one step."""
    if isinstance(step, ExplainStep):
        return [step.title, step.body]
    if isinstance(step, ScenarioStep):
        return [step.title, step.situation, step.question] + [
            t for c in step.choices for t in (c.text, c.feedback)
        ]
    if isinstance(step, SortStep):
        return [step.title, step.instructions] + [
            t for i in step.items for t in (i.text, i.feedback)
        ]
    if isinstance(step, TrueFalseStep):
        return [step.title] + [t for s in step.statements for t in (s.text, s.feedback)]
    return [step.title or ""]


def _sentence(text: str) -> str:
    """End a fragment (a title, a choice) with a full stop so it counts as a sentence."""
    text = text.strip()
    return text if re.search(r"[.!?:]$", text) else text + "."


def grade(lesson) -> float:
    """Flesch-Kincaid grade of a lesson's pupil-facing text."""
    return textstat.flesch_kincaid_grade(pupil_text(lesson))


def _lessons(band: str):
    return LIBRARY.by_band(band)


@pytest.mark.parametrize("band", BAND_IDS)
def test_median_reading_grade_fits_the_band(band):
    grades = {lesson.id: round(grade(lesson), 1) for lesson in _lessons(band)}
    assert grades, f"no lessons for {band}"
    assert statistics.median(grades.values()) <= MEDIAN_GRADE[band], grades


@pytest.mark.parametrize("band", BAND_IDS)
def test_every_topic_is_taught_in_every_band_from_its_start(band):
    topics = Counter(lesson.topic for lesson in _lessons(band))
    started = {t.id for t in TOPICS if t.first_year <= max(band_years(band))}
    assert started <= set(topics), sorted(started - set(topics))


ORIGINAL_TOPICS = TOPIC_IDS[:9]  # taught every year from Year 3 to Year 9, one lesson a year
YEARLY = range(3, 10)
MEDIAN_GRADE_BY_YEAR = {0: 3, 1: 3, 2: 3, 3: 3, 4: 4, 5: 5, 6: 5, 7: 6, 8: 7, 9: 7}
MEDIAN_GRADE_BY_YEAR |= {10: 9, 11: 9, 12: 11, 13: 11}


def band_years(band: str) -> tuple[int, ...]:
    """The year groups of a band, Reception with KS1."""
    from app.content.strands import band as find_band

    years = find_band(band).years
    return (0, *years) if band == "ks1" else years


@pytest.mark.parametrize("topic", ORIGINAL_TOPICS)
def test_each_topic_has_its_own_lesson_in_every_year_from_3_to_9(topic):
    lessons = {year: [x.id for x in LIBRARY.for_year(year) if x.topic == topic] for year in YEARLY}
    assert all(len(ids) == 1 for ids in lessons.values()), lessons
    ids = [found[0] for found in lessons.values()]
    assert len(set(ids)) == len(ids), f"a lesson serves two years: {lessons}"


@pytest.mark.parametrize("topic", TOPICS, ids=lambda topic: topic.id)
def test_every_topic_is_taught_in_every_year_from_its_first(topic):
    missing = [
        year
        for year in range(max(topic.first_year, 1), 14)
        if not any(x.topic == topic.id for x in LIBRARY.for_year(year))
    ]
    assert not missing, f"{topic.id} has no lesson for years {missing}"


def test_reception_has_its_own_short_teacher_led_lessons():
    reception = [x for x in LIBRARY.for_year(0) if x.years == (0,)]
    assert len(reception) >= 6
    assert all(x.teacher_led and x.duration_minutes <= 20 for x in reception)


@pytest.mark.parametrize("year", sorted(MEDIAN_GRADE_BY_YEAR))
def test_median_reading_grade_fits_the_year(year):
    grades = {lesson.id: round(grade(lesson), 1) for lesson in LIBRARY.for_year(year)}
    assert grades, f"no lessons for year {year}"
    assert statistics.median(grades.values()) <= MEDIAN_GRADE_BY_YEAR[year], grades


def _shingles(text: str) -> set[tuple[str, ...]]:
    """The text's runs of three words, lower-cased, for comparing two scenarios."""
    words = re.findall(r"[a-z']+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(len(words) - 2)}


def test_no_two_lessons_share_a_scenario():
    scenarios = [
        (lesson.id, step.id, _shingles(step.situation))
        for lesson in LIBRARY.lessons()
        for step in lesson.steps
        if isinstance(step, ScenarioStep)
    ]
    shared = []
    for index, (lesson_a, step_a, words_a) in enumerate(scenarios):
        for lesson_b, step_b, words_b in scenarios[index + 1 :]:
            overlap = len(words_a & words_b) / max(1, min(len(words_a), len(words_b)))
            if lesson_a != lesson_b and overlap >= 0.35:
                shared.append((f"{lesson_a}/{step_a}", f"{lesson_b}/{step_b}", round(overlap, 2)))
    assert not shared, shared


@pytest.mark.parametrize("lesson", LIBRARY.lessons(), ids=lambda lesson: lesson.id)
def test_each_year_builds_on_last_years_lesson(lesson):
    """A lesson for one year names the lesson of the year before on its topic, and what is new."""
    if len(lesson.years) != 1 or lesson.years[0] - 1 not in YEARLY:
        return
    year = lesson.years[0]
    before = [x for x in LIBRARY.for_year(year - 1) if x.topic == lesson.topic]
    if not before or lesson.topic not in ORIGINAL_TOPICS:
        return
    assert f"year {year - 1}" in lesson.teacher_notes.prior_learning.lower()


@pytest.mark.parametrize("lesson", LIBRARY.lessons(), ids=lambda lesson: lesson.id)
def test_every_lesson_names_the_outcomes_it_teaches(lesson):
    assert lesson.statements, "name the framework statements the lesson teaches"
    assert all(LIBRARY.statement(s) is not None for s in lesson.statements)


@pytest.mark.parametrize("band", BAND_IDS)
def test_every_framework_strand_is_taught_in_every_band(band):
    assert set(LIBRARY.strands_covered(band)) == set(STRAND_CODES)


@pytest.mark.parametrize("lesson", LIBRARY.lessons(), ids=lambda lesson: lesson.id)
def test_lesson_shape(lesson):
    kinds = [step.kind for step in lesson.steps]
    assert len(kinds) >= 5
    assert "scenario" in kinds
    assert {"sort", "true_false"} & set(kinds)
    scenarios = [s for s in lesson.steps if isinstance(s, ScenarioStep)]
    assert all(c.feedback for s in scenarios for c in s.choices)
    assert len({c.outcome for s in scenarios for c in s.choices}) >= 2, "choices need consequences"
    quiz = LIBRARY.quiz_for(lesson.id)
    assert len(quiz.questions) >= QUIZ_QUESTIONS.get(lesson.band, 5)
    assert lesson.duration_minutes in DURATION.get(lesson.band, OLDER_DURATION)


@pytest.mark.parametrize("lesson", LIBRARY.lessons(), ids=lambda lesson: lesson.id)
def test_teacher_notes_carry_safeguarding_and_progression(lesson):
    notes = lesson.teacher_notes
    safeguarding = notes.safeguarding.lower()
    assert "dsl" in safeguarding or "designated safeguarding lead" in safeguarding
    assert len(notes.discussion) >= 2
    if lesson.band != "ks1":
        earlier = BAND_IDS[BAND_IDS.index(lesson.band) - 1]
        names = {"ks1": "ks1", "ks2": "ks2", "ks3": "ks3", "ks4": "ks4"}
        label = {"ks1": "key stage 1", "ks2": "key stage 2", "ks3": "key stage 3",
                 "ks4": "key stage 4"}[earlier]  # fmt: skip
        prior = notes.prior_learning.lower()
        assert names[earlier] in prior or label in prior, "prior_learning must name the band before"


@pytest.mark.parametrize("lesson", LIBRARY.lessons(), ids=lambda lesson: lesson.id)
def test_help_routes_fit_the_age(lesson):
    named = " ".join(f"{h.name} {h.detail}" for h in lesson.help)
    position = BAND_IDS.index(lesson.band)
    assert "trusted adult" in named.lower() or "grown-up" in named.lower()
    for route, first_band in HELP_FROM.items():
        if position < BAND_IDS.index(first_band):
            assert route not in named, f"{route} is not for {lesson.band}"
    for route, from_band in HELP_IN_EVERY_LESSON.items():
        if position >= BAND_IDS.index(from_band):
            assert route in named, f"every {lesson.band} lesson names {route}"
    if position >= BAND_IDS.index("ks3"):
        assert any(route in named for route in KS3_REPORTING)
        if lesson.topic == "sharing_nudes":
            assert "Report Remove" in named


@pytest.mark.parametrize("lesson", LIBRARY.lessons(), ids=lambda lesson: lesson.id)
def test_no_brand_names_in_pupil_text(lesson):
    brands = (
        r"\b(TikTok|Snapchat|Instagram|Facebook|WhatsApp|YouTube|Fortnite|Roblox|Minecraft"
        r"|Discord|ChatGPT|Google|Apple|Xbox|PlayStation|Nintendo)\b"
    )
    assert not re.search(brands, pupil_text(lesson)), "no brand advertising in lessons"

"""Progression against the hand-computed school: first attempts, this year and last, cohorts."""

from __future__ import annotations

from app.reporting import progression
from app.services import school_calendar
from tests.trust_data import small_school


def test_figures_use_first_attempts_and_the_year_group_of_the_time(app):
    today = school_calendar.today()
    small = small_school(today)
    found = progression.progression(small.school, today)
    privacy = found.figure(4, "privacy_passwords", 0)
    assert (privacy.completers, privacy.pupils, privacy.average) == (2, 5, 80)  # 70 and 90
    # b1 (Year 4 now) did wellbeing last school year, in Year 3
    last = found.figure(3, "wellbeing", 1)
    assert (last.completers, last.average) == (1, 60)
    assert found.figure(4, "wellbeing", 0).completers == 0
    cohort = {p.period: p for p in found.cohorts[4]}
    assert cohort[0].average == 70 and cohort[0].attempts == 3  # 70, 90, 50
    assert cohort[1].average == 60 and cohort[1].year_then == 3


def test_cohort_rows_put_each_cohorts_points_under_the_periods_asked_for():
    now, last = progression.Point(0, 1, 50, 2), progression.Point(1, 0, None, 0)
    found = progression.Progression(None, [], [1, 4], cohorts={1: [now, last], 4: []})
    assert found.cohort_rows([2, 1, 0]) == [(1, [None, last, now]), (4, [None, None, None])]
    assert found.cohort_rows([1, 0]) == [(1, [last, now]), (4, [None, None])]


def test_years_then_are_the_year_groups_of_a_past_school_year():
    found = progression.Progression(None, [], [0, 1, 4])
    assert found.years_then(0) == [0, 1, 4]
    assert found.years_then(1) == [0, 3]


def test_a_cohort_is_compared_with_its_own_last_year_topic_by_topic(app):
    today = school_calendar.today()
    small = small_school(today)
    found = progression.progression(small.school, today)
    rows = {topic: (before.average, now.average) for topic, before, now in found.cohort_topics(4)}
    # Year 4 now: a1 70 and a2 90 on privacy, a2 50 on digital footprint this year; b1 60 on
    # wellbeing last year, as Year 3. Topics nobody in the cohort was quizzed on are left out.
    assert rows == {
        "privacy_passwords": (None, 80),
        "digital_footprint": (None, 50),
        "wellbeing": (60, None),
    }
    assert found.cohort_topics(9) == []

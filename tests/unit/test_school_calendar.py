"""The school calendar: today in England (BST and GMT), school years, terms and midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.models import School
from app.services import school_calendar
from app.services.school_calendar import Term


def _school(month: int = 9, day: int = 1) -> School:
    """A school (not saved) whose school year starts on day/month."""
    return School(name="Calendar School", year_start_month=month, year_start_day=day)


def _clock_at(monkeypatch, instant: datetime) -> None:
    """Make the calendar's clock read a fixed UTC instant."""

    class Frozen(datetime):
        """datetime with now() fixed at instant, in whatever zone is asked for."""

        @classmethod
        def now(cls, tz=None):
            """The frozen instant, converted to tz."""
            return instant.astimezone(tz)

    monkeypatch.setattr(school_calendar, "datetime", Frozen)


@pytest.mark.parametrize(
    ("utc", "today"),
    [
        # Summer (BST, UTC+1): the day turns over at 23:00 UTC.
        (datetime(2026, 6, 30, 22, 59, tzinfo=UTC), date(2026, 6, 30)),
        (datetime(2026, 6, 30, 23, 0, tzinfo=UTC), date(2026, 7, 1)),
        # Winter (GMT, UTC+0): the day turns over at midnight UTC.
        (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), date(2026, 12, 31)),
        (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), date(2027, 1, 1)),
        # The nights the clocks change (29 March and 25 October 2026).
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 28)),
        (datetime(2026, 3, 29, 23, 30, tzinfo=UTC), date(2026, 3, 30)),
        (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_today_is_the_date_in_england_in_summer_and_winter_time(monkeypatch, utc, today):
    _clock_at(monkeypatch, utc)
    assert school_calendar.today() == today


def test_a_new_school_year_begins_at_midnight_in_england_not_utc(monkeypatch):
    school = _school()
    _clock_at(monkeypatch, datetime(2026, 8, 31, 22, 59, tzinfo=UTC))
    assert school_calendar.year_start(school, school_calendar.today()) == date(2025, 9, 1)
    _clock_at(monkeypatch, datetime(2026, 8, 31, 23, 0, tzinfo=UTC))  # 00:00 BST, 1 September
    assert school_calendar.year_start(school, school_calendar.today()) == date(2026, 9, 1)


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2026, 9, 1), date(2026, 9, 1)),
        (date(2026, 12, 31), date(2026, 9, 1)),
        (date(2027, 1, 1), date(2026, 9, 1)),
        (date(2027, 8, 31), date(2026, 9, 1)),
        (date(2027, 9, 1), date(2027, 9, 1)),
    ],
)
def test_the_school_year_starts_on_1_september_by_default(day, start):
    assert school_calendar.year_start(_school(), day) == start


def test_a_school_may_start_its_year_on_another_day():
    school = _school(month=9, day=5)
    assert school_calendar.year_start(school, date(2026, 9, 4)) == date(2025, 9, 5)
    assert school_calendar.year_start(school, date(2026, 9, 5)) == date(2026, 9, 5)
    assert school_calendar.next_year_start(school, date(2026, 9, 4)) == date(2026, 9, 5)
    assert school_calendar.next_year_start(school, date(2026, 9, 5)) == date(2027, 9, 5)
    assert school_calendar.previous_year_start(school, date(2026, 9, 5)) == date(2025, 9, 5)
    assert school_calendar.previous_year_start(school, date(2026, 9, 4)) == date(2024, 9, 5)


def test_a_january_start_makes_the_school_year_the_calendar_year():
    school = _school(month=1, day=1)
    assert school_calendar.year_start(school, date(2026, 12, 31)) == date(2026, 1, 1)
    assert school_calendar.next_year_start(school, date(2026, 12, 31)) == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("day", "name", "start", "end"),
    [
        (date(2026, 9, 1), "autumn", date(2026, 9, 1), date(2026, 12, 31)),
        (date(2026, 12, 31), "autumn", date(2026, 9, 1), date(2026, 12, 31)),
        (date(2027, 1, 1), "spring", date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 3, 31), "spring", date(2027, 1, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), "summer", date(2027, 4, 1), date(2027, 8, 31)),
        (date(2026, 8, 31), "summer", date(2026, 4, 1), date(2026, 8, 31)),
    ],
)
def test_terms_follow_the_school_year(day, name, start, end):
    assert school_calendar.term_of(_school(), day) == Term(name, start, end)


def test_terms_use_the_schools_own_year_start():
    school = _school(month=9, day=5)
    assert school_calendar.term_of(school, date(2026, 9, 4)) == Term(
        "summer", date(2026, 4, 1), date(2026, 9, 4)
    )
    assert school_calendar.term_of(school, date(2026, 9, 5)) == Term(
        "autumn", date(2026, 9, 5), date(2026, 12, 31)
    )


def test_midnight_is_the_start_of_the_day_as_a_stored_time():
    assert school_calendar.midnight(date(2026, 9, 1)) == datetime(2026, 9, 1, 0, 0)
    assert school_calendar.midnight(date(2026, 9, 1)).tzinfo is None  # stored times are naive UTC

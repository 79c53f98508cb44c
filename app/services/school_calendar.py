"""The school calendar: today in England, school years, terms and the midnight a day starts at.

Every rule about school dates lives here, so a school's own year start (School.year_start_month
and year_start_day) means the same thing on every page and in every report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.models import School

ENGLAND = ZoneInfo("Europe/London")
"""Where school days begin: a school date turns over at midnight in England, BST or GMT."""


def today() -> date:
    """Today's date in England, where school years and days begin."""
    return datetime.now(ENGLAND).date()


def year_start(school: School, day: date) -> date:
    """The first day of the school year that day falls in, from the school's own start date."""
    start = date(day.year, school.year_start_month, school.year_start_day)
    return start if day >= start else start.replace(year=day.year - 1)


def next_year_start(school: School, day: date) -> date:
    """The first day of the school year after the one that day falls in."""
    start = year_start(school, day)
    return year_start(school, start.replace(year=start.year + 1))


def previous_year_start(school: School, day: date) -> date:
    """The first day of the school year before the one that day falls in."""
    return year_start(school, year_start(school, day) - timedelta(days=1))


@dataclass(frozen=True)
class Term:
    """One school term: its name ("autumn", "spring", "summer") and first and last days."""

    name: str
    start: date
    end: date


def term_of(school: School, day: date) -> Term:
    """The term day falls in, with the school's own year start.

    Simple UK terms: autumn runs from the school year's start to 31 December, spring from
    1 January to 31 March, summer from 1 April to the day before the next school year starts.
    """
    start = year_start(school, day)
    if day.year == start.year:
        return Term("autumn", start, date(day.year, 12, 31))
    if day.month <= 3:
        return Term("spring", date(day.year, 1, 1), date(day.year, 3, 31))
    next_start = date(day.year, start.month, start.day)
    return Term("summer", date(day.year, 4, 1), next_start - timedelta(days=1))


def midnight(day: date) -> datetime:
    """Midnight at the start of a day, for comparing with stored UTC times."""
    return datetime.combine(day, time())

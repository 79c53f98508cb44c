"""Geometry for the small inline SVG charts on coordinator pages (drawn without JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass

from app.reporting.progression import PERIODS, Progression

WIDTH, HEIGHT = 640, 240
LEFT, BOTTOM, TOP = 44, 36, 12


@dataclass(frozen=True)
class Bar:
    """One bar: a cohort's average first-attempt score in one school year."""

    x: float
    y: float
    width: float
    height: float
    period: int
    value: int


@dataclass(frozen=True)
class Group:
    """One cohort's bars and where its label goes."""

    year_now: int
    label_x: float
    bars: list[Bar]


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart of cohorts' scores, 0 to 100 per cent."""

    width: int
    height: int
    left: int
    baseline: float
    groups: list[Group]
    ticks: list[tuple[int, float]]  # (per cent, y)


def cohort_chart(found: Progression) -> Chart:
    """Bars for each cohort with scores: one per school year, oldest first."""
    cohorts = [(y, pts) for y, pts in found.cohorts.items() if any(p.average for p in pts)]
    plot_h = HEIGHT - BOTTOM - TOP
    baseline = HEIGHT - BOTTOM
    slot = (WIDTH - LEFT - 8) / max(len(cohorts), 1)
    bar_w = min(slot / (len(PERIODS) + 1), 22)
    groups = []
    for n, (year_now, points) in enumerate(cohorts):
        x0 = LEFT + n * slot + (slot - bar_w * len(PERIODS)) / 2
        bars = []
        for point in points:
            if point.average is None:
                continue
            height = plot_h * point.average / 100
            x = x0 + (len(PERIODS) - 1 - point.period) * bar_w
            bars.append(Bar(x, baseline - height, bar_w - 2, height, point.period, point.average))
        groups.append(Group(year_now, LEFT + n * slot + slot / 2, bars))
    ticks = [(p, baseline - plot_h * p / 100) for p in (0, 25, 50, 75, 100)]
    return Chart(WIDTH, HEIGHT, LEFT, baseline, groups, ticks)

"""Year groups (Reception to Year 13) and the key stage and AUP audience each belongs to."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

YEARS: tuple[int, ...] = tuple(range(0, 14))  # 0 is Reception

_KEY_STAGES = (
    (range(0, 1), "EYFS"),
    (range(1, 3), "KS1"),
    (range(3, 7), "KS2"),
    (range(7, 10), "KS3"),
    (range(10, 12), "KS4"),
    (range(12, 14), "KS5"),
)


def check_year(year: int) -> int:
    """Return year if it is a real year group, else raise ValueError."""
    if year not in YEARS:
        raise ValueError(f"year group must be 0 (Reception) to 13, not {year!r}")
    return year


def key_stage(year: int) -> str:
    """The key stage code of a year group: EYFS, KS1, KS2, KS3, KS4 or KS5 (sixth form)."""
    check_year(year)
    return next(code for years, code in _KEY_STAGES if year in years)


def year_label(year: int):
    """The name of a year group as people say it ("Reception", "Year 4")."""
    check_year(year)
    return _l("Reception") if year == 0 else _l("Year %(n)s", n=year)


def key_stage_label(year: int):
    """The name of a year group's key stage as people say it."""
    labels = {
        "EYFS": _l("Early years"),
        "KS1": _l("Key Stage 1"),
        "KS2": _l("Key Stage 2"),
        "KS3": _l("Key Stage 3"),
        "KS4": _l("Key Stage 4"),
        "KS5": _l("Sixth form"),
    }
    return labels[key_stage(year)]


def pupil_audience(year: int) -> str:
    """Which pupil AUP a year group accepts; Reception reads the KS1 one with an adult."""
    stage = key_stage(year)
    return {
        "EYFS": "ks1",
        "KS1": "ks1",
        "KS2": "ks2",
        "KS3": "secondary",
        "KS4": "secondary",
        "KS5": "sixth_form",
    }[stage]


def years_label(years: tuple[int, ...]):
    """The year groups a lesson is for as people say them ("Year 4", "Years 7 to 9")."""
    ordered = sorted(years)
    if len(ordered) == 1:
        return year_label(ordered[0])
    first, last = ordered[0], ordered[-1]
    if first == 0 or ordered != list(range(first, last + 1)):
        return ", ".join(str(year_label(year)) for year in ordered)
    if len(ordered) == 2:
        return _l("Years %(first)s and %(last)s", first=first, last=last)
    return _l("Years %(first)s to %(last)s", first=first, last=last)

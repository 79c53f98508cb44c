"""Framework strands and age bands as data, so coverage and year-group lookups share one source."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Strand:
    """One strand of UKCIS "Education for a Connected World" (2020), named by its code."""

    code: str
    name: LazyString
    description: LazyString


@dataclass(frozen=True)
class Band:
    """One age band of lessons, with the year groups whose pupils are taught from it."""

    id: str
    label: LazyString
    years: tuple[int, ...]


STRANDS: tuple[Strand, ...] = (
    Strand(
        "SII",
        _l("Self-image and identity"),
        _l("How who we are online can differ from who we are offline, and how that shapes us."),
    ),
    Strand(
        "OREL",
        _l("Online relationships"),
        _l("Getting on with people through technology: respect, consent and spotting harm."),
    ),
    Strand(
        "OREP",
        _l("Online reputation"),
        _l("What others learn about us from what is online, and how to look after it."),
    ),
    Strand(
        "OBUL",
        _l("Online bullying"),
        _l("Unkindness and bullying carried out with technology, and how to report and help."),
    ),
    Strand(
        "MOI",
        _l("Managing online information"),
        _l("Searching for, weighing up and checking what we find online before trusting it."),
    ),
    Strand(
        "HWL",
        _l("Health, wellbeing and lifestyle"),
        _l("How time online affects sleep, mood and body image, and where to find support."),
    ),
    Strand(
        "PS",
        _l("Privacy and security"),
        _l("Keeping personal information, accounts and devices safe, and knowing who holds data."),
    ),
    Strand(
        "CO",
        _l("Copyright and ownership"),
        _l("Who owns what is made and shared online, and how to reuse it fairly and legally."),
    ),
)

BANDS: tuple[Band, ...] = (
    Band("ks1", _l("Key Stage 1"), (1, 2)),
    Band("ks2", _l("Key Stage 2"), (3, 4, 5, 6)),
    Band("ks3", _l("Key Stage 3"), (7, 8, 9)),
    Band("ks4", _l("Key Stage 4"), (10, 11)),
    Band("sixth_form", _l("Sixth form"), (12, 13)),
)

RECEPTION = 0
"""Reception is year 0 here; it has no lessons of its own and is taught from KS1 lessons."""

STRAND_CODES: tuple[str, ...] = tuple(strand.code for strand in STRANDS)
BAND_IDS: tuple[str, ...] = tuple(band.id for band in BANDS)


def band_for_year(year: int) -> str:
    """Return the band whose lessons a year group uses; Reception (year 0) uses KS1 lessons."""
    if year == RECEPTION:
        return BANDS[0].id
    for band in BANDS:
        if year in band.years:
            return band.id
    raise ValueError(f"no band covers year group {year}")


def band(band_id: str) -> Band:
    """Return the band with this id, raising KeyError for an unknown id."""
    for candidate in BANDS:
        if candidate.id == band_id:
            return candidate
    raise KeyError(band_id)


def strand(code: str) -> Strand:
    """Return the strand with this code, raising KeyError for an unknown code."""
    for candidate in STRANDS:
        if candidate.code == code:
            return candidate
    raise KeyError(code)

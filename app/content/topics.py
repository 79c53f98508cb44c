"""Lesson topics as data: a stable id stored in files and the database, and a label to show."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from app.content.strands import band_for_year


@dataclass(frozen=True)
class Topic:
    """One topic of the curriculum, taught in a form fit for each age from its first year group."""

    id: str
    label: LazyString  # for staff, parents and secondary pupils
    primary_label: LazyString  # what a KS1 or KS2 pupil sees on their lesson cards
    first_year: int = 0  # the youngest year group taught it (Reception is 0)


# Primary pupils see their topic framed as their lessons frame it (docs/sources.md, "How the
# content frames each topic"): a six-year-old's card says "My body and private pictures",
# never "Sharing nudes".
TOPICS: tuple[Topic, ...] = (
    Topic("grooming", _l("Grooming"), _l("Knowing who you are talking to")),
    Topic("sharing_nudes", _l("Sharing nudes and semi-nudes"), _l("My body and private pictures")),
    Topic("radicalisation", _l("Radicalisation and extremism"), _l("Being fair to everyone")),
    Topic("copyright", _l("Copyright and ownership"), _l("Whose work is it?")),
    Topic("checking_sources", _l("Checking sources"), _l("Is it true?")),
    Topic("bullying", _l("Online bullying"), _l("Being kind online")),
    Topic(
        "privacy_passwords",
        _l("Privacy, personal information and passwords"),
        _l("Private information and passwords"),
    ),
    Topic("digital_footprint", _l("Digital footprint and reputation"), _l("My digital footprint")),
    Topic("wellbeing", _l("Health and wellbeing"), _l("Screens and feeling good")),
    # Added for the 2025 RSHE guidance: taught from KS1, KS2 and Year 5 respectively.
    Topic(
        "ai",
        _l("AI, chatbots and synthetic media"),
        _l("Chatbots and computer-made pictures"),
        first_year=1,
    ),
    Topic("money", _l("Money, scams and fraud"), _l("Money and tricks online"), first_year=3),
    Topic(
        "respectful_relationships",
        _l("Respectful relationships online"),
        _l("Respect and boundaries online"),
        first_year=5,
    ),
)
PRIMARY_BANDS = frozenset({"ks1", "ks2"})

TOPIC_IDS: tuple[str, ...] = tuple(topic.id for topic in TOPICS)


def pupil_topic_label(topic_id: str, year: int | None) -> LazyString:
    """The topic's name as a pupil of this year group sees it (gentler words up to Year 6).

    It follows the pupil's year, not the lesson's band: a Year 4 class set a KS3 lesson still
    sees the primary words.
    """
    found = topic(topic_id)
    primary = year is not None and band_for_year(year) in PRIMARY_BANDS
    return found.primary_label if primary else found.label


def topic(topic_id: str) -> Topic:
    """Return the topic with this id, raising KeyError for an unknown id."""
    for candidate in TOPICS:
        if candidate.id == topic_id:
            return candidate
    raise KeyError(topic_id)

"""Lesson topics as data: a stable id stored in files and the database, and a label to show."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Topic:
    """One topic of the curriculum; every band teaches every topic in a form fit for its age."""

    id: str
    label: LazyString


TOPICS: tuple[Topic, ...] = (
    Topic("grooming", _l("Grooming")),
    Topic("sharing_nudes", _l("Sharing nudes and semi-nudes")),
    Topic("radicalisation", _l("Radicalisation and extremism")),
    Topic("copyright", _l("Copyright and ownership")),
    Topic("checking_sources", _l("Checking sources")),
    Topic("bullying", _l("Online bullying")),
    Topic("privacy_passwords", _l("Privacy, personal information and passwords")),
    Topic("digital_footprint", _l("Digital footprint and reputation")),
    Topic("wellbeing", _l("Health and wellbeing")),
)

TOPIC_IDS: tuple[str, ...] = tuple(topic.id for topic in TOPICS)


def topic(topic_id: str) -> Topic:
    """Return the topic with this id, raising KeyError for an unknown id."""
    for candidate in TOPICS:
        if candidate.id == topic_id:
            return candidate
    raise KeyError(topic_id)

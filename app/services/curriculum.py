"""The curriculum as staff browse it: searching lessons and the ready-made band/topic modules."""

from __future__ import annotations

from dataclasses import dataclass

from app.content.library import Library
from app.content.schema import Lesson
from app.content.strands import BAND_IDS
from app.content.topics import TOPIC_IDS
from app.content.topics import topic as find_topic


@dataclass(frozen=True)
class Filters:
    """What a teacher typed and chose on the curriculum page; unknown choices are dropped."""

    text: str = ""
    band: str = ""
    topic: str = ""

    @classmethod
    def clean(cls, text: str | None, band: str | None, topic: str | None) -> Filters:
        """Filters from raw query values: text trimmed and capped, bands and topics checked."""
        return cls(
            text=(text or "").strip()[:100],
            band=band if band in BAND_IDS else "",
            topic=topic if topic in TOPIC_IDS else "",
        )


@dataclass(frozen=True)
class Preset:
    """A ready-made module: every lesson of one band on one topic."""

    key: str  # "ks2/grooming"
    band: str
    topic: str
    lesson_ids: tuple[str, ...]


def _matches(lesson: Lesson, words: list[str]) -> bool:
    """Whether every word appears in the lesson's title, summary, objectives or topic.

    The topic counts in its staff name, in the words primary lessons frame it with, and by its
    id: "grooming" finds the KS1 lesson titled "Not everyone online is who they say" too.
    """
    found = find_topic(lesson.topic)
    named = (lesson.topic.replace("_", " "), str(found.label), str(found.primary_label))
    haystack = " ".join((lesson.title, lesson.summary, *lesson.objectives, *named)).lower()
    return all(word in haystack for word in words)


def search(library: Library, filters: Filters) -> tuple[Lesson, ...]:
    """The lessons that match the filters, in library order (band, topic, id)."""
    words = filters.text.lower().split()
    return tuple(
        lesson
        for lesson in library.lessons()
        if (not filters.band or lesson.band == filters.band)
        and (not filters.topic or lesson.topic == filters.topic)
        and _matches(lesson, words)
    )


def grouped(found: tuple[Lesson, ...]) -> list[tuple[str, list[tuple[str, list[Lesson]]]]]:
    """Lessons grouped by band, then topic, keeping library order: [(band, [(topic, lessons)])]."""
    groups: dict[str, dict[str, list[Lesson]]] = {}
    for lesson in found:
        groups.setdefault(lesson.band, {}).setdefault(lesson.topic, []).append(lesson)
    return [(band, list(topics.items())) for band, topics in groups.items()]


def presets(library: Library) -> list[Preset]:
    """One ready-made module for every band/topic pair that has lessons."""
    found = []
    for band in BAND_IDS:
        for topic in TOPIC_IDS:
            ids = tuple(x.id for x in library.by_band(band) if x.topic == topic)
            if ids:
                found.append(Preset(f"{band}/{topic}", band, topic, ids))
    return found


def preset(library: Library, key: str) -> Preset | None:
    """The ready-made module with this key ("ks2/grooming"), or None."""
    return next((p for p in presets(library) if p.key == key), None)

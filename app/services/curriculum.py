"""The curriculum as staff browse it: searching lessons and the ready-made year/topic modules."""

from __future__ import annotations

from dataclasses import dataclass

from app.content.library import Library
from app.content.schema import Lesson
from app.content.strands import BAND_IDS, band_for_year
from app.content.topics import TOPIC_IDS
from app.content.topics import topic as find_topic
from app.models.years import YEARS


@dataclass(frozen=True)
class Filters:
    """What a teacher typed and chose on the curriculum page; unknown choices are dropped."""

    text: str = ""
    band: str = ""
    topic: str = ""
    year: int | None = None

    @classmethod
    def clean(
        cls, text: str | None, band: str | None, topic: str | None, year: str | None = None
    ) -> Filters:
        """Filters from raw query values: text trimmed and capped, bands, topics, years checked."""
        return cls(
            text=(text or "").strip()[:100],
            band=band if band in BAND_IDS else "",
            topic=topic if topic in TOPIC_IDS else "",
            year=int(year) if year and year.isdigit() and int(year) in YEARS else None,
        )


@dataclass(frozen=True)
class Preset:
    """A ready-made module: the lessons for one year group (or, for old links, band) on a topic."""

    key: str  # "y4/grooming"; "ks2/grooming" for a key stage's, kept for links made before
    band: str
    topic: str
    lesson_ids: tuple[str, ...]
    year: int | None = None  # None for a key stage's module


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
        and (filters.year is None or filters.year in lesson.years)
        and (not filters.topic or lesson.topic == filters.topic)
        and _matches(lesson, words)
    )


def grouped(
    found: tuple[Lesson, ...],
) -> list[tuple[tuple[int, ...], list[tuple[str, list[Lesson]]]]]:
    """Lessons grouped by the year groups they are for, then topic: [(years, [(topic, lessons)])].

    Year groups come in age order (Reception first); a lesson for several years (a KS1 lesson
    for Years 1 and 2) is one group of its own, after the single years it starts with.
    """
    groups: dict[tuple[int, ...], dict[str, list[Lesson]]] = {}
    for lesson in sorted(found, key=lambda x: (min(x.years), len(x.years))):
        groups.setdefault(lesson.years, {}).setdefault(lesson.topic, []).append(lesson)
    return [(years, list(topics.items())) for years, topics in groups.items()]


def presets(library: Library) -> list[Preset]:
    """One ready-made module for every year group and topic that has lessons, in age order."""
    found = []
    for year in YEARS:
        for topic in TOPIC_IDS:
            ids = tuple(x.id for x in library.for_year(year) if x.topic == topic)
            if ids:
                found.append(Preset(f"y{year}/{topic}", band_for_year(year), topic, ids, year))
    return found


def band_preset(library: Library, key: str) -> Preset | None:
    """A key stage's module ("ks2/grooming"): every lesson of the band on the topic, or None.

    No longer listed, since modules go by year group; kept so links made before still work.
    """
    band, _sep, topic = key.partition("/")
    if band not in BAND_IDS or topic not in TOPIC_IDS:
        return None
    ids = tuple(x.id for x in library.by_band(band) if x.topic == topic)
    return Preset(key, band, topic, ids) if ids else None


def preset(library: Library, key: str) -> Preset | None:
    """The ready-made module with this key ("y4/grooming", or "ks2/grooming"), or None."""
    found = next((p for p in presets(library) if p.key == key), None)
    return found or band_preset(library, key)


def preset_for(lesson: Lesson) -> str:
    """The key of the ready-made module holding a lesson: its first year group and topic."""
    return f"y{min(lesson.years)}/{lesson.topic}"

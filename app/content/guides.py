"""Home-safety guides for parents and carers: guides/*.yaml checked once, then immutable."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StrictInt,
    StringConstraints,
    ValidationError,
)

from app.content.errors import WHOLE_FILE, ContentError, ContentProblem, schema_problems
from app.content.fields import BandId, ContentModel, Slug, Text, TopicId
from app.content.files import read_yaml
from app.content.strands import BAND_IDS
from app.content.topics import TOPIC_IDS

DEFAULT_LOCALE = "en"
KINDS: tuple[str, ...] = ("band", "topic", "practical")
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})
_LOCALE = re.compile(r"[a-z]{2,3}")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&[a-zA-Z]+;|&#\d+;")
_MATCHED_FIELDS = ("kind", "band", "bands", "topic", "version")


def _https(value: str) -> str:
    """Accept only a full https:// web address, so printed and linked addresses are safe."""
    if not re.fullmatch(r"https://[^\s<>\"']+", value):
        raise ValueError(f"'{value}' must be a full web address starting with https://")
    return value


class Section(ContentModel):
    """One part of a guide: a heading, short paragraphs and an optional bullet list."""

    heading: Text
    paragraphs: tuple[Text, ...] = ()
    points: tuple[Text, ...] = ()


class HelpEntry(ContentModel):
    """Somewhere a parent or child can turn for help, and how to reach it."""

    name: Text
    how: Text
    url: Annotated[str, AfterValidator(_https)] | None = None


class Guide(ContentModel):
    """One guide in one language, as a parent or carer reads it."""

    format: Literal[1]
    id: Slug
    version: StrictInt = Field(ge=1)
    locale: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
    kind: Literal["band", "topic", "practical"]
    band: BandId | None = None
    bands: tuple[BandId, ...] = ()
    topic: TopicId | None = None
    title: Text
    summary: Annotated[Text, StringConstraints(max_length=300)]
    sections: tuple[Section, ...] = Field(min_length=2, max_length=6)
    conversation_starters: tuple[Text, ...] = Field(min_length=3, max_length=6)
    help: tuple[HelpEntry, ...] = Field(min_length=2)
    reviewed: datetime.date

    @property
    def text_direction(self) -> str:
        """'rtl' for right-to-left languages such as Urdu, else 'ltr'."""
        return "rtl" if self.locale in RIGHT_TO_LEFT else "ltr"

    @property
    def all_bands(self) -> tuple[str, ...]:
        """The bands this guide is for: its own band, then any listed in `bands`."""
        own = (self.band,) if self.band else ()
        return own + tuple(b for b in self.bands if b not in own)


class GuideLibrary:
    """Every guide in every language, looked up by id and locale, falling back to English."""

    __slots__ = ("_by_key", "_english")

    def __init__(self, guides: Iterable[Guide]):
        by_key = {(guide.id, guide.locale): guide for guide in guides}
        self._by_key = MappingProxyType(by_key)
        english = [g for g in by_key.values() if g.locale == DEFAULT_LOCALE]
        self._english = tuple(sorted(english, key=_order))

    def all(self) -> tuple[Guide, ...]:
        """Every English guide, by kind (band, topic, practical), then band or topic, then title."""
        return self._english

    def get(self, guide_id: str, locale: str = DEFAULT_LOCALE) -> Guide:
        """Return a guide in a locale ('pl' or 'pl_PL'), else in English; KeyError if unknown."""
        base = re.split(r"[-_]", locale)[0]
        found = self._by_key.get((guide_id, base)) or self._by_key.get((guide_id, DEFAULT_LOCALE))
        if found is None:
            raise KeyError(guide_id)
        return found

    def locales(self, guide_id: str) -> tuple[str, ...]:
        """The locales a guide is available in, English first; empty for an unknown id."""
        found = sorted(loc for gid, loc in self._by_key if gid == guide_id)
        return tuple(sorted(found, key=lambda loc: loc != DEFAULT_LOCALE))

    def for_band(self, band_id: str) -> list[Guide]:
        """English guides for a band: band guides first, then others that list the band."""
        return [g for g in self._english if band_id in g.all_bands]

    def for_topic(self, topic_id: str) -> list[Guide]:
        """English topic guides about one curriculum topic."""
        return [g for g in self._english if g.kind == "topic" and g.topic == topic_id]

    def practical(self) -> list[Guide]:
        """English practical guides, by title."""
        return [g for g in self._english if g.kind == "practical"]

    def translations(self) -> tuple[Guide, ...]:
        """Every guide that is not in English, by id then locale."""
        others = (g for g in self._by_key.values() if g.locale != DEFAULT_LOCALE)
        return tuple(sorted(others, key=lambda g: (g.id, g.locale)))

    def export(self) -> list[dict[str, Any]]:
        """Every guide in every language as JSON-ready data, the same on every run."""
        every = sorted(self._by_key.values(), key=lambda g: (g.id, g.locale != "en", g.locale))
        return [{**g.model_dump(mode="json"), "text_direction": g.text_direction} for g in every]


def _order(guide: Guide) -> tuple[int, int, str]:
    """Sort key: kind, then band or topic in curriculum order, then title."""
    if guide.kind == "band":
        place = BAND_IDS.index(guide.band)
    elif guide.kind == "topic":
        place = TOPIC_IDS.index(guide.topic)
    else:
        place = 0
    return KINDS.index(guide.kind), place, guide.title.casefold()


def _name_parts(path: Path) -> tuple[str, str]:
    """Split 'parental-controls.pl.yaml' into ('parental-controls', 'pl')."""
    guide_id, _, locale = path.name.removesuffix(".yaml").partition(".")
    return guide_id, locale or DEFAULT_LOCALE


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Yield (dotted field, text) for every string inside a guide's data."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}.{index}")


def _findings(guide: Guide, path: Path) -> Iterator[tuple[str, str]]:
    """Yield what is wrong with one valid guide beyond its schema."""
    guide_id, locale = _name_parts(path)
    if guide.id != guide_id:
        taken = path.parent / (path.name.replace(guide_id, guide.id, 1))
        if taken.is_file():
            yield "id", f"'{guide.id}' is already used by guides/{taken.name}"
        else:
            yield "id", f"must match the file name, '{guide_id}'"
    if guide.locale != locale:
        yield "locale", f"is '{guide.locale}' but the file name says '{locale}'; they must match"
    if guide.kind == "band" and guide.band is None:
        yield "band", f"is required for a band guide; use one of: {', '.join(BAND_IDS)}"
    if guide.kind != "band" and guide.band is not None:
        yield "band", "is only for band guides; list the bands under `bands:` instead"
    if guide.kind == "topic" and guide.topic is None:
        yield "topic", f"is required for a topic guide; use one of: {', '.join(TOPIC_IDS)}"
    if guide.kind != "topic" and guide.topic is not None:
        yield "topic", "is only for topic guides (kind: topic)"
    for index, section in enumerate(guide.sections):
        if not section.paragraphs and not section.points:
            yield f"sections.{index}", "needs paragraphs, points or both"
    for field, text in _texts(guide, ""):
        if _HTML.search(text):
            yield field, "must be plain text: no HTML tags or entities"


def _structure(guide: Guide) -> dict[str, Any]:
    """The parts of a guide a translation must keep: counts of sections, points and entries."""
    return {
        "sections": len(guide.sections),
        **{f"sections.{i}.paragraphs": len(s.paragraphs) for i, s in enumerate(guide.sections)},
        **{f"sections.{i}.points": len(s.points) for i, s in enumerate(guide.sections)},
        "conversation_starters": len(guide.conversation_starters),
        "help": len(guide.help),
    }


def _translation_findings(guide: Guide, english: Guide | None) -> Iterator[tuple[str, str]]:
    """Yield how a translation differs from its English file in structure or metadata."""
    if english is None:
        yield WHOLE_FILE, f"is a translation, but guides/{guide.id}.yaml (English) is missing"
        return
    for field in _MATCHED_FIELDS:
        if getattr(guide, field) != getattr(english, field):
            yield field, f"must be '{getattr(english, field)}', the same as the English file"
    mine, theirs = _structure(guide), _structure(english)
    for field, count in theirs.items():
        if field in mine and mine[field] != count:
            reason = f"has {mine[field]} items but the English file has {count}; they must match"
            yield field, reason


def _load_file(path: Path, shown: str, problems: list[ContentProblem]) -> Guide | None:
    """Read and validate one guide file, recording its problems; None if it is invalid."""
    raw = read_yaml(path, shown, problems)
    if raw is None:
        return None
    try:
        guide = Guide.model_validate(raw)
    except ValidationError as error:
        problems.extend(schema_problems(shown, error))
        return None
    found = [ContentProblem(shown, f, r) for f, r in _findings(guide, path)]
    problems.extend(found)
    return None if found else guide


def _files(folder: Path, problems: list[ContentProblem]) -> list[Path]:
    """The guide files in a folder, reporting misnamed ones."""
    paths = []
    for path in sorted(folder.iterdir()):
        shown = f"{folder.name}/{path.name}"
        if path.name.startswith(".") or path.suffix not in (".yaml", ".yml"):
            continue
        guide_id, locale = _name_parts(path)
        if path.suffix == ".yml":
            problems.append(ContentProblem(shown, WHOLE_FILE, "must end in .yaml to be read"))
        elif not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", guide_id) or not _LOCALE.fullmatch(locale):
            where = "<id>.yaml or <id>.<locale>.yaml, such as parental-controls.pl.yaml"
            problems.append(ContentProblem(shown, WHOLE_FILE, f"must be named {where}"))
        else:
            paths.append(path)
    return paths


def load_guides(folder: Path) -> GuideLibrary:
    """Parse and check every guide file, raising ContentError with every problem found."""
    folder = Path(folder)
    problems: list[ContentProblem] = []
    if not folder.is_dir():
        raise ContentError([ContentProblem(folder.name, WHOLE_FILE, "folder not found")])
    loaded: dict[str, Guide] = {}
    for path in _files(folder, problems):
        shown = f"{folder.name}/{path.name}"
        guide = _load_file(path, shown, problems)
        if guide is not None:
            loaded[shown] = guide
    english_files = {p.name for p in folder.glob("*.yaml") if "." not in p.stem}
    english = {g.id: g for g in loaded.values() if g.locale == DEFAULT_LOCALE}
    for shown, guide in loaded.items():
        if guide.locale == DEFAULT_LOCALE:
            continue
        base = english.get(guide.id)
        if base is None and f"{guide.id}.yaml" in english_files:
            continue  # the English file is there but broken: its own problems say why
        problems.extend(ContentProblem(shown, f, r) for f, r in _translation_findings(guide, base))
    if problems:
        raise ContentError(problems)
    return GuideLibrary(loaded.values())

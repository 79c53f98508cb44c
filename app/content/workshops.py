"""Parents' workshop packs: facilitator notes, slides, a handout and a feedback form per file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal

from pydantic import Field, StrictInt, StringConstraints, ValidationError

from app.content.errors import WHOLE_FILE, ContentError, ContentProblem, schema_problems
from app.content.fields import ContentModel, Slug, Text
from app.content.files import canonical_hash, read_yaml
from app.content.schema import HelpRoute, repeated_ids

FORMAT = 1
"""The one pack format version this loader reads; a file declares it with `format: 1`."""

AUDIENCES = ("primary", "secondary", "all")
SESSION_FORMATS = ("coffee_morning", "evening", "webinar")
HANDOUT_MAX_WORDS = 900  # about two A4 sides at a readable size, headings included
RESERVED_IDS = frozenset({"sessions", "feedback"})  # these are page addresses under /workshops/
HTML_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")

Audience = Literal["primary", "secondary", "all"]
SessionFormat = Literal["coffee_morning", "evening", "webinar"]
Summary = Annotated[Text, StringConstraints(max_length=240)]


class Activity(ContentModel):
    """One line of the running order: how long it takes, what happens, and how to run it."""

    minutes: StrictInt = Field(ge=1, le=90)
    activity: Text
    notes: Text | None = None


class FacilitatorNotes(ContentModel):
    """What the person running the session needs: preparation, timings, safeguarding."""

    preparation: tuple[Text, ...] = Field(min_length=1)
    running_order: tuple[Activity, ...] = Field(min_length=2)
    safeguarding: Text


class Slide(ContentModel):
    """One slide: a title, short paragraphs and/or points, and notes for the speaker."""

    id: Slug
    title: Text
    body: tuple[Text, ...] = ()
    points: tuple[Text, ...] = ()
    notes: Text


class HandoutSection(ContentModel):
    """A heading on the handout with a few short points under it."""

    title: Text
    points: tuple[Text, ...] = Field(min_length=1, max_length=8)


class Handout(ContentModel):
    """The take-home sheet: an introduction, sections of points, and where to get help."""

    title: Text
    intro: Text | None = None
    sections: tuple[HandoutSection, ...] = Field(min_length=1, max_length=8)
    help: tuple[HelpRoute, ...] = Field(min_length=2)


class FeedbackOption(ContentModel):
    """One answer a parent can pick in a choice question; the id is what is stored."""

    id: Slug
    label: Text


class FeedbackQuestion(ContentModel):
    """One question on the feedback form: a 1-5 rating, one choice from options, or free text."""

    id: Slug
    kind: Literal["rating", "choice", "text"]
    label: Text
    options: tuple[FeedbackOption, ...] = ()

    def option_label(self, option_id: str) -> str:
        """Return the label of one option, or the id itself if the pack no longer has it."""
        return next((o.label for o in self.options if o.id == option_id), option_id)


class Pack(ContentModel):
    """One workshop pack file: everything needed to run a parents' session on one theme."""

    format: Literal[1]
    id: Slug
    version: StrictInt = Field(ge=1)
    title: Text
    audience: Audience
    summary: Summary
    formats: tuple[SessionFormat, ...] = Field(min_length=1)
    duration_minutes: StrictInt = Field(ge=15, le=180)
    facilitator: FacilitatorNotes
    slides: tuple[Slide, ...] = Field(min_length=8, max_length=20)
    handout: Handout
    feedback: tuple[FeedbackQuestion, ...] = Field(min_length=3, max_length=6)

    def question(self, question_id: str) -> FeedbackQuestion:
        """Return the feedback question with this id, raising KeyError for an unknown id."""
        for question in self.feedback:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


class WorkshopLibrary:
    """Every workshop pack, validated and immutable, ordered by audience and id."""

    __slots__ = ("_packs", "_by_id", "_hashes")

    def __init__(self, packs: Iterable[Pack]):
        self._packs = tuple(sorted(packs, key=_order))
        self._by_id = MappingProxyType({pack.id: pack for pack in self._packs})
        self._hashes = MappingProxyType({pack.id: _content_hash(pack) for pack in self._packs})

    def packs(self) -> tuple[Pack, ...]:
        """Return every pack: primary first, then secondary, then those for all ages."""
        return self._packs

    def pack(self, pack_id: str) -> Pack:
        """Return the pack with this id, raising KeyError for an unknown id."""
        return self._by_id[pack_id]

    def content_hash(self, pack_id: str) -> str:
        """Return the sha256 of a pack's canonical JSON."""
        return self._hashes[pack_id]

    def export(self) -> dict[str, Any]:
        """Return every pack with its hash as JSON-ready data, the same on every run."""
        return {
            "format": FORMAT,
            "workshops": [
                {**pack.model_dump(mode="json"), "content_hash": self._hashes[pack.id]}
                for pack in self._packs
            ],
        }


def _order(pack: Pack) -> tuple[int, str]:
    """Sort key: primary packs first, then secondary, then those for all ages; then by id."""
    return AUDIENCES.index(pack.audience), pack.id


def _content_hash(pack: Pack) -> str:
    """Hash the canonical JSON of a pack; unset optional fields are left out."""
    return canonical_hash(pack.model_dump(mode="json", exclude_none=True))


def load_workshops(folder: Path) -> WorkshopLibrary:
    """Load every pack in folder, raising ContentError with every problem in every file."""
    problems: list[ContentProblem] = []
    packs: list[Pack] = []
    if not folder.is_dir():
        raise ContentError([ContentProblem(folder.name, WHOLE_FILE, "folder not found")])
    for path in sorted(folder.iterdir()):
        shown = path.relative_to(folder.parent).as_posix()
        if path.name.startswith(".") or path.suffix == ".md":
            continue
        if path.suffix != ".yaml":
            problems.append(ContentProblem(shown, WHOLE_FILE, "must be a .yaml file to be read"))
            continue
        pack = _load_file(path, shown, problems)
        if pack is not None:
            packs.append(pack)
    if problems:
        raise ContentError(problems)
    return WorkshopLibrary(packs)


def _load_file(path: Path, shown: str, problems: list[ContentProblem]) -> Pack | None:
    """Read and validate one pack file, recording its problems; None if it is not usable."""
    raw = read_yaml(path, shown, problems)
    if raw is None:
        return None
    try:
        pack = Pack.model_validate(raw)
    except ValidationError as error:
        problems.extend(schema_problems(shown, error))
        return None
    found = [ContentProblem(shown, f, r) for f, r in _findings(pack, path.stem)]
    problems.extend(found)
    return None if found else pack


def _findings(pack: Pack, stem: str) -> Iterator[tuple[str, str]]:
    """Yield (field, reason) for what is wrong with a pack beyond its schema."""
    if pack.id != stem:
        yield "id", f"must match the file name, '{stem}'"
    if pack.id in RESERVED_IDS:
        yield "id", f"'{pack.id}' is a page address; choose another id"
    yield from repeated_ids(pack)
    total = sum(item.minutes for item in pack.facilitator.running_order)
    if total != pack.duration_minutes:
        yield (
            "facilitator.running_order",
            f"timings add up to {total} minutes but duration_minutes is {pack.duration_minutes}",
        )
    for index, slide in enumerate(pack.slides):
        if not slide.body and not slide.points:
            yield f"slides.{index}", "needs body paragraphs or points (or both)"
    yield from _feedback_findings(pack.feedback)
    words = len(" ".join(_handout_text(pack.handout)).split())
    if words > HANDOUT_MAX_WORDS:
        yield "handout", f"has {words} words; keep it under {HANDOUT_MAX_WORDS} to fit two A4 sides"
    yield from _html_findings(pack.model_dump(mode="json"), "")


def _feedback_findings(questions: tuple[FeedbackQuestion, ...]) -> Iterator[tuple[str, str]]:
    """Yield problems with the feedback form: options where they belong, the kinds it needs."""
    for index, question in enumerate(questions):
        if question.kind == "choice" and len(question.options) < 2:
            yield f"feedback.{index}.options", "a choice question needs at least 2 options"
        if question.kind != "choice" and question.options:
            reason = f"only choice questions have options, not {question.kind} ones"
            yield f"feedback.{index}.options", reason
    kinds = {question.kind for question in questions}
    for needed in ("rating", "text"):
        if needed not in kinds:
            yield "feedback", f"needs at least one {needed} question"


def _handout_text(handout: Handout) -> Iterator[str]:
    """Yield every piece of text printed on the handout."""
    yield handout.title
    yield handout.intro or ""
    for section in handout.sections:
        yield section.title
        yield from section.points
    for route in handout.help:
        yield route.name
        yield route.detail


def _html_findings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """Yield a problem for each piece of text that contains an HTML tag (text is shown as is)."""
    if isinstance(value, str) and HTML_TAG.search(value):
        yield path or WHOLE_FILE, "must be plain text, without HTML tags"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _html_findings(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _html_findings(item, f"{path}.{index}")

"""Privacy notices, one per audience and written for its age: privacy/*.yaml checked once.

Like AUPs and lessons the notices are content in English: a reader of the Welsh interface meets
them marked lang="en". Every notice must answer the same questions (TOPICS), in that order.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from pydantic import Field, ValidationError

from app.content.errors import WHOLE_FILE, ContentError, ContentProblem, schema_problems
from app.content.fields import ContentModel, Text
from app.content.files import read_yaml

AUDIENCES: tuple[str, ...] = (
    "ks1",
    "ks2",
    "secondary",
    "sixth_form",
    "parent",
    "staff",
    "visitor",
)
"""Every audience, in the order the list page shows them; the same ids as User.audience."""

TOPICS: tuple[str, ...] = ("what", "why", "who", "how_long", "rights", "never_sold")
"""What every notice must say, in this order: what is kept, why, who sees it, how long, the
reader's rights, and that nothing is sold or shared with advertisers."""

_ICON_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&[a-zA-Z]+;|&#\d+;")


class Section(ContentModel):
    """One question the notice answers: a heading, short paragraphs, an optional list."""

    topic: Literal["what", "why", "who", "how_long", "rights", "never_sold"]
    heading: Text
    icon: Text | None = None
    paragraphs: tuple[Text, ...] = ()
    points: tuple[Text, ...] = ()


class Notice(ContentModel):
    """One audience's privacy notice."""

    format: Literal[1]
    audience: Literal["ks1", "ks2", "secondary", "sixth_form", "parent", "staff", "visitor"]
    version: int = Field(ge=1)
    title: Text
    for_whom: Text
    intro: Text
    sections: tuple[Section, ...] = Field(min_length=len(TOPICS), max_length=len(TOPICS))
    reviewed: datetime.date


class NoticeLibrary:
    """Every audience's notice, looked up by audience."""

    __slots__ = ("_by_audience",)

    def __init__(self, notices: dict[str, Notice]):
        self._by_audience = MappingProxyType(dict(notices))

    def all(self) -> tuple[Notice, ...]:
        """Every notice in AUDIENCES order."""
        return tuple(self._by_audience[a] for a in AUDIENCES if a in self._by_audience)

    def get(self, audience: str) -> Notice:
        """One audience's notice; KeyError for an unknown audience."""
        return self._by_audience[audience]


def _findings(notice: Notice, path: Path, icon_dir: Path | None) -> list[tuple[str, str]]:
    """What is wrong with one schema-valid notice beyond its schema."""
    found = []
    if notice.audience != path.stem:
        found.append(("audience", f"is '{notice.audience}' but the file is named '{path.name}'"))
    topics = tuple(s.topic for s in notice.sections)
    if topics != TOPICS:
        found.append(("sections", f"must answer, in order: {', '.join(TOPICS)}"))
    for index, section in enumerate(notice.sections):
        where = f"sections.{index}"
        if not section.paragraphs and not section.points:
            found.append((where, "needs paragraphs, points or both"))
        if notice.audience == "ks1" and section.icon is None:
            found.append((f"{where}.icon", "is required: every KS1 section needs a picture"))
        if section.icon is not None:
            if not _ICON_NAME.fullmatch(section.icon):
                found.append((f"{where}.icon", f"'{section.icon}' is not an icon name"))
            elif icon_dir is not None and not (icon_dir / f"{section.icon}.svg").is_file():
                found.append(
                    (f"{where}.icon", f"names '{section.icon}', but static/img/aup has no such SVG")
                )
        for name, text in (
            ("heading", section.heading),
            *((f"paragraphs.{i}", t) for i, t in enumerate(section.paragraphs)),
            *((f"points.{i}", t) for i, t in enumerate(section.points)),
        ):
            if _HTML.search(text):
                found.append((f"{where}.{name}", "must be plain text: no HTML tags or entities"))
    return found


def load_notices(folder: Path, icon_dir: Path | None = None) -> NoticeLibrary:
    """Parse and check every notice file, raising ContentError with every problem found."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError([ContentProblem(folder.name, WHOLE_FILE, "folder not found")])
    problems: list[ContentProblem] = []
    notices: dict[str, Notice] = {}
    for path in sorted(folder.iterdir()):
        shown = f"{folder.name}/{path.name}"
        if path.name.startswith(".") or path.suffix not in (".yaml", ".yml"):
            continue
        if path.suffix == ".yml" or path.stem not in AUDIENCES:
            reason = f"must be named <audience>.yaml, one of: {', '.join(AUDIENCES)}"
            problems.append(ContentProblem(shown, WHOLE_FILE, reason))
            continue
        raw = read_yaml(path, shown, problems)
        if raw is None:
            continue
        try:
            notice = Notice.model_validate(raw)
        except ValidationError as error:
            problems.extend(schema_problems(shown, error))
            continue
        found = _findings(notice, path, icon_dir)
        problems.extend(ContentProblem(shown, f, r) for f, r in found)
        if not found:
            notices[notice.audience] = notice
    present = {p.stem for p in folder.glob("*.yaml")}
    for audience in AUDIENCES:
        if audience not in present:
            problems.append(
                ContentProblem(f"{folder.name}/{audience}.yaml", WHOLE_FILE, "is missing")
            )
    if problems:
        raise ContentError(problems)
    return NoticeLibrary(notices)

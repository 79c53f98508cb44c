"""The safeguarding rules every lesson's teacher notes keep, and the shared safe-learning block.

Each lesson's own safeguarding note says what a disclosure might look like in that lesson. What
is true of every lesson (how fast a disclosure goes to the DSL, what to do about a risk of
self-harm, never promising a secret, and how to set up a safe room) is written once, in
teaching/safe-learning.yaml, and shown with every lesson's notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from app.content.errors import WHOLE_FILE, ContentError, ContentProblem, schema_problems
from app.content.fields import ContentModel, Text
from app.content.files import read_yaml

FILE_NAME = "safe-learning.yaml"

SLOW_PHRASES = (
    "the same day",
    "same-day",
    "end of the day",
    "end of the school day",
    "within 24 hours",
    "within a day",
    "next day",
    "next morning",
    "tomorrow",
    "when you have time",
    "when you get a chance",
    "at a convenient time",
)
"""Phrases that let a disclosure wait: refused anywhere in safeguarding notes."""


@dataclass(frozen=True)
class Rule:
    """One thing the shared block must say, as patterns that must all appear in one paragraph."""

    says: str
    patterns: tuple[str, ...]

    def met_by(self, paragraph: str) -> bool:
        """Whether one paragraph says this (every pattern found, case aside)."""
        return all(re.search(p, paragraph, re.IGNORECASE) for p in self.patterns)


RULES = (
    Rule(
        "a disclosure goes to the DSL straight away, and always before the pupil leaves school",
        (r"\bDSL\b", r"straight away", r"before the (pupil|child|student) leaves school"),
    ),
    Rule(
        "with any risk of self-harm or suicide, do not leave the pupil alone and get the DSL or"
        " a deputy immediately, in person",
        (
            r"self-harm",
            r"suicide",
            r"(do not|don't|never) leave (them|the pupil|the student) alone",
            r"\bDSL\b",
            r"deputy",
            r"immediately",
            r"in person",
        ),
    ),
    Rule(
        "never promise to keep a secret, with words a teacher can use",
        (r"(never|do not|don't) promise to keep (a|it|this) secret", r"\"[^\"]+\""),
    ),
)
"""What the shared block must say; each rule is met by one paragraph of `responding`."""


def slow_phrase(text: str) -> str | None:
    """The first phrase in text that lets a disclosure wait, or None."""
    lowered = " ".join(text.lower().split())
    return next((phrase for phrase in SLOW_PHRASES if phrase in lowered), None)


def safeguarding_findings(text: str, field: str) -> Iterator[tuple[str, str]]:
    """Yield (field, reason) for a lesson's safeguarding note that is too slow or vague."""
    if (phrase := slow_phrase(text)) is not None:
        yield field, f"says '{phrase}': a disclosure goes to the DSL straight away"
    if not re.search(r"\bDSL\b", text):
        yield field, "must say that a disclosure goes to the DSL"
    elif "straight away" not in text.lower():
        yield field, "must say that a disclosure goes to the DSL straight away"


class Section(ContentModel):
    """One part of the safe-learning block: a heading and short paragraphs."""

    heading: Text
    paragraphs: tuple[Text, ...] = Field(min_length=1)


class SafeLearning(ContentModel):
    """The block shown with every lesson's notes: responding to a disclosure, and the room."""

    format: Literal[1]
    responding: tuple[Text, ...] = Field(min_length=1)
    environment: tuple[Section, ...] = Field(min_length=1)


def _findings(block: SafeLearning) -> Iterator[tuple[str, str]]:
    """Yield (field, reason) for each rule no paragraph meets, and each slow phrase."""
    for rule in RULES:
        if not any(rule.met_by(paragraph) for paragraph in block.responding):
            yield "responding", f"must say that {rule.says}"
    texts = [("responding", p) for p in block.responding] + [
        (f"environment.{i}", p) for i, s in enumerate(block.environment) for p in s.paragraphs
    ]
    for field, text in texts:
        if (phrase := slow_phrase(text)) is not None:
            yield field, f"says '{phrase}': a disclosure goes to the DSL straight away"


def load_safe_learning(folder: Path) -> SafeLearning:
    """Read and check teaching/safe-learning.yaml, raising ContentError with every problem."""
    path = Path(folder) / FILE_NAME
    shown = f"{Path(folder).name}/{FILE_NAME}"
    problems: list[ContentProblem] = []
    if not path.is_file():
        raise ContentError([ContentProblem(shown, WHOLE_FILE, "file not found")])
    raw = read_yaml(path, shown, problems)
    if raw is None:
        raise ContentError(problems)
    try:
        block = SafeLearning.model_validate(raw)
    except ValidationError as error:
        raise ContentError(schema_problems(shown, error)) from None
    found = [ContentProblem(shown, field, reason) for field, reason in _findings(block)]
    if found:
        raise ContentError(found)
    return block

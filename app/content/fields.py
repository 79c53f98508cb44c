"""Field types and the base model shared by every content file's models."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

from app.content.strands import BAND_IDS, STRAND_CODES
from app.content.topics import TOPIC_IDS

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _known(value: str, allowed: tuple[str, ...], what: str) -> str:
    """Return value if it is one of allowed, else raise a ValueError that lists the choices."""
    if value not in allowed:
        raise ValueError(f"'{value}' is not a known {what}; use one of: {', '.join(allowed)}")
    return value


BandId = Annotated[str, AfterValidator(lambda value: _known(value, BAND_IDS, "band"))]
TopicId = Annotated[str, AfterValidator(lambda value: _known(value, TOPIC_IDS, "topic"))]
StrandCode = Annotated[str, AfterValidator(lambda value: _known(value, STRAND_CODES, "strand"))]


class ContentModel(BaseModel):
    """Base of every content model: immutable once loaded, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")

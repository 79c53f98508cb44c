"""The home-safety guides that go with a child: their band's guide and one per topic covered."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, url_for
from flask_babel import get_locale

from app.content import guides
from app.content.strands import band_for_year
from app.models import User
from app.services.family import TopicCovered


@dataclass(frozen=True)
class ChildGuides:
    """Guides for one child, in the parent's language where a translation exists."""

    band: list = field(default_factory=list)
    topics: dict[str, list] = field(default_factory=dict)


def guides_for(child: User, covered: list[TopicCovered]) -> ChildGuides:
    """The band guide for the child's year group and a guide for each topic covered."""
    library = guides()
    locale = str(get_locale())
    band = [library.get(g.id, locale) for g in library.for_band(band_for_year(child.year or 0))]
    topics = {
        entry.topic: [library.get(g.id, locale) for g in library.for_topic(entry.topic)]
        for entry in covered
    }
    return ChildGuides([g for g in band if g.kind == "band"], topics)


def guide_url(guide) -> str:
    """The public page of a guide, in its own language."""
    if "guides.show" not in current_app.view_functions:
        return url_for("public.home")
    extra = {} if guide.locale == "en" else {"locale": guide.locale}
    return url_for("guides.show", guide_id=guide.id, **extra)


def guides_home() -> str | None:
    """The list of every guide, or None when this build has no guide pages."""
    return url_for("guides.index") if "guides.index" in current_app.view_functions else None

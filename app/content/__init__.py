"""Content kept as files (AUPs, lessons, guides, workshops): parsed at start-up, then immutable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from app.content.aup import AupLibrary, load_aups
from app.content.errors import ContentError
from app.content.guides import GuideLibrary, load_guides
from app.content.library import Library, load_library
from app.content.workshops import WorkshopLibrary, load_workshops

LOADERS: dict[str, Callable[[Path], Any]] = {
    "aups": lambda root: load_aups(root / "aup", icon_dir=root / "static/img/aup"),
    "lessons": lambda root: load_library(root / "lessons", root / "quizzes", root / "static"),
    "guides": lambda root: load_guides(root / "guides"),
    "workshops": lambda root: load_workshops(root / "workshops"),
}
"""Each content library by name, with how to load it from the content root; one line each."""


def init_app(app: Flask) -> None:
    """Load and validate every content file once; a broken file stops start-up, naming it."""
    for name, library in load_all(Path(app.config["LANTERN_CONTENT_ROOT"])).items():
        app.extensions[f"lantern.{name}"] = library
    app.context_processor(_labels)


def _labels() -> dict:
    """Names of topics, bands and strands, and the kinds of steps and questions, for templates."""
    from app.content.kinds import question_kind, step_kind
    from app.content.strands import band, strand
    from app.content.topics import pupil_topic_label, topic

    return {
        "topic_label": lambda topic_id: topic(topic_id).label,
        "pupil_topic_label": pupil_topic_label,
        "band_label": lambda band_id: band(band_id).label,
        "strand_name": lambda code: strand(code).name,
        "step_kind": step_kind,
        "question_kind": question_kind,
    }


def load_all(root: Path) -> dict[str, Any]:
    """Load every library under root by name, reporting every problem in all of them at once."""
    problems, loaded = [], {}
    for name, load in LOADERS.items():
        try:
            loaded[name] = load(root)
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return loaded


def aups() -> AupLibrary:
    """The AUPs loaded at start-up."""
    return current_app.extensions["lantern.aups"]


def lessons() -> Library:
    """The lessons and quizzes loaded at start-up."""
    return current_app.extensions["lantern.lessons"]


def guides() -> GuideLibrary:
    """The home-safety guides for parents and carers loaded at start-up."""
    return current_app.extensions["lantern.guides"]


def workshops() -> WorkshopLibrary:
    """The parents' workshop packs loaded at start-up."""
    return current_app.extensions["lantern.workshops"]

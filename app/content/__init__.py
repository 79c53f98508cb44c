"""Content kept as files (AUPs, lessons, quizzes): parsed once at start-up, then immutable."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from app.content.aup import AupLibrary, load_aups
from app.content.errors import ContentError
from app.content.library import Library, load_library


def init_app(app: Flask) -> None:
    """Load and validate every content file once; a broken file stops start-up, naming it."""
    aup_library, lesson_library = load_all(Path(app.config["LANTERN_CONTENT_ROOT"]))
    app.extensions["lantern.aups"] = aup_library
    app.extensions["lantern.lessons"] = lesson_library
    app.context_processor(_labels)


def _labels() -> dict:
    """Names of topics, bands and strands for templates."""
    from app.content.strands import band, strand
    from app.content.topics import topic

    return {
        "topic_label": lambda topic_id: topic(topic_id).label,
        "band_label": lambda band_id: band(band_id).label,
        "strand_name": lambda code: strand(code).name,
    }


def load_all(root: Path) -> tuple[AupLibrary, Library]:
    """Load the AUPs and the lessons under root, reporting every problem in both at once."""
    problems, loaded = [], []
    for load in (
        lambda: load_aups(root / "aup", icon_dir=root / "static/img/aup"),
        lambda: load_library(root / "lessons", root / "quizzes", static_dir=root / "static"),
    ):
        try:
            loaded.append(load())
        except ContentError as error:
            problems.extend(error.problems)
    if problems:
        raise ContentError(problems)
    return loaded[0], loaded[1]


def aups() -> AupLibrary:
    """The AUPs loaded at start-up."""
    return current_app.extensions["lantern.aups"]


def lessons() -> Library:
    """The lessons and quizzes loaded at start-up."""
    return current_app.extensions["lantern.lessons"]

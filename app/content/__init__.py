"""Content kept as files (AUPs, lessons, guides, workshops, privacy notices), read at start-up."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from flask import Flask, current_app

from app.content.aup import AupLibrary, load_aups
from app.content.errors import ContentError
from app.content.guides import GuideLibrary, load_guides
from app.content.library import Library, load_library
from app.content.privacy import NoticeLibrary, load_notices
from app.content.safe_learning import SafeLearning, load_safe_learning
from app.content.understanding import UnderstandingLibrary, cross_check, load_understanding
from app.content.workshops import WorkshopLibrary, load_workshops

LOADERS: dict[str, Callable[[Path], Any]] = {
    "aups": lambda root: load_aups(root / "aup", icon_dir=root / "static/img/aup"),
    "lessons": lambda root: load_library(root / "lessons", root / "quizzes", root / "static"),
    "guides": lambda root: load_guides(root / "guides"),
    "workshops": lambda root: load_workshops(root / "workshops"),
    "privacy": lambda root: load_notices(root / "privacy", icon_dir=root / "static/img/aup"),
    "safe_learning": lambda root: load_safe_learning(root / "teaching"),
    "understanding": lambda root: load_understanding(
        root / "aup/understanding", icon_dir=root / "static/img/aup"
    ),
}
"""Each content library by name, with how to load it from the content root; one line each."""

FOLDERS = (
    "aup",
    "static/img/aup",
    "lessons",
    "quizzes",
    "static/img/lessons",
    "guides",
    "workshops",
    "privacy",
    "teaching",
)
"""Every folder under the content root that LOADERS read or look into."""

_loaded: dict[Path, tuple[tuple, Mapping[str, Any]]] = {}
"""The last good load of each content root, with the fingerprint of the files it was read from."""


def init_app(app: Flask) -> None:
    """Load and validate every content file once; a broken file stops start-up, naming it."""
    for name, library in load_all_once(Path(app.config["LANTERN_CONTENT_ROOT"])).items():
        app.extensions[f"lantern.{name}"] = library
    app.context_processor(_labels)


def _labels() -> dict:
    """Names of topics, bands, strands and misconceptions, and step and question kinds."""
    from app.content.kinds import question_kind, step_kind
    from app.content.strands import band, strand
    from app.content.topics import pupil_topic_label, topic
    from app.models.years import years_label

    return {
        "topic_label": lambda topic_id: topic(topic_id).label,
        "pupil_topic_label": pupil_topic_label,
        "band_label": lambda band_id: band(band_id).label,
        "years_label": years_label,
        "strand_name": lambda code: strand(code).name,
        "step_kind": step_kind,
        "question_kind": question_kind,
        "misconception_label": _misconception_label,
        "safe_learning": safe_learning,
    }


def _misconception_label(misconception_id: str) -> str:
    """The short label of a misconception by id; the id itself if it has left the list."""
    found = lessons().misconception(misconception_id)
    return found.label if found is not None else misconception_id


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


def cross_problems(loaded: Mapping[str, Any]) -> list:
    """Problems between libraries that each loaded cleanly, for `content check`.

    Not a reason to refuse start-up: a lesson retired from the curriculum, or an AUP whose new
    version has no questions yet, only means no question (or no lesson link) for it meanwhile.
    """
    return cross_check(loaded["understanding"], loaded["aups"], loaded["lessons"])


def load_all_once(root: Path) -> Mapping[str, Any]:
    """Load every library under root, reusing the last load while no content file has changed."""
    # Apps built in one process (each test builds one) share the libraries: they are immutable.
    # A failed load is never kept, so every start with broken content reports its problems.
    root = Path(root).resolve()
    stamp = fingerprint(root)
    kept = _loaded.get(root)
    if kept is not None and kept[0] == stamp:
        return kept[1]
    loaded = MappingProxyType(load_all(root))
    _loaded[root] = (stamp, loaded)
    return loaded


def fingerprint(root: Path) -> tuple:
    """Name, size and modification time of every file and folder the loaders read under root."""
    entries = []
    for folder in FOLDERS:
        for parent, folders, files in os.walk(root / folder, followlinks=True):
            folders.sort()
            for name in ("", *sorted(files)):
                path = os.path.join(parent, name) if name else parent
                stat = os.stat(path)
                entries.append((path, stat.st_mtime_ns, stat.st_size, stat.st_ino))
    return tuple(entries)


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


def privacy_notices() -> NoticeLibrary:
    """The privacy notices, one per audience, loaded at start-up."""
    return current_app.extensions["lantern.privacy"]


def aup_checks() -> UnderstandingLibrary:
    """Each pupil AUP's statements' lessons and once-a-term questions, loaded at start-up."""
    return current_app.extensions["lantern.understanding"]


def safe_learning() -> SafeLearning:
    """The safeguarding and safe-learning block shown with every lesson's teacher notes."""
    return current_app.extensions["lantern.safe_learning"]

"""Content kept as files (AUPs, lessons, quizzes): parsed once at start-up, then immutable."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from app.content.aup import AupLibrary, load_aups


def init_app(app: Flask) -> None:
    """Load and validate every content file once; a broken file stops start-up, naming it."""
    root = Path(app.config["LANTERN_CONTENT_ROOT"])
    app.extensions["lantern.aups"] = load_aups(root / "aup", icon_dir=root / "static/img/aup")


def aups() -> AupLibrary:
    """The AUPs loaded at start-up."""
    return current_app.extensions["lantern.aups"]


def check_all(app: Flask) -> tuple[list, str]:
    """Load every content file afresh; return the problems and a one-line summary."""
    from app.content.errors import ContentError

    root = Path(app.config["LANTERN_CONTENT_ROOT"])
    try:
        library = load_aups(root / "aup", icon_dir=root / "static/img/aup")
    except ContentError as error:
        return error.problems, ""
    return [], f"content is valid: {len(library.all())} AUP files"

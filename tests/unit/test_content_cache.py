"""Content loaded once per content root per process, and loaded again when a file changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import create_app
from app.config import ROOT
from app.content import load_all_once
from app.content.errors import ContentError
from tests.conftest import make_config

CONTENT_FOLDERS = ("aup", "lessons", "quizzes", "guides", "workshops", "privacy", "teaching")


def test_apps_in_one_process_share_one_load_of_the_content(tmp_path):
    first = create_app(make_config(tmp_path / "a.db"))
    second = create_app(make_config(tmp_path / "b.db"))
    for name in ("aups", "lessons", "guides", "workshops", "privacy", "safe_learning"):
        assert second.extensions[f"lantern.{name}"] is first.extensions[f"lantern.{name}"]


def _content_root(tmp_path: Path) -> Path:
    """A copy of the repository's content folders, with static/ linked, to change freely."""
    root = tmp_path / "root"
    for folder in CONTENT_FOLDERS:
        shutil.copytree(ROOT / folder, root / folder)
    (root / "static").symlink_to(ROOT / "static")
    return root


def test_a_changed_file_is_loaded_again(tmp_path):
    root = _content_root(tmp_path)
    before = load_all_once(root)
    assert load_all_once(root) is before
    aup = root / "aup" / "visitor.yaml"
    aup.write_text(aup.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    after = load_all_once(root)
    assert after is not before
    assert after["aups"].get("visitor").text_hash == before["aups"].get("visitor").text_hash


def test_broken_content_is_reported_on_every_start(tmp_path):
    root = _content_root(tmp_path)
    aup = root / "aup" / "ks2.yaml"
    aup.write_text(aup.read_text(encoding="utf-8").replace("version:", "versoin:"))
    for _ in range(2):
        with pytest.raises(ContentError, match="aup/ks2.yaml: versoin"):
            create_app(make_config(tmp_path / "x.db", LANTERN_CONTENT_ROOT=root))
    aup.write_text(aup.read_text(encoding="utf-8").replace("versoin:", "version:"))
    assert create_app(make_config(tmp_path / "x.db", LANTERN_CONTENT_ROOT=root))

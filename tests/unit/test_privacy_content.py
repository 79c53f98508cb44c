"""Privacy notice files are checked on load, naming the file, the field and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.content.errors import ContentError
from app.content.privacy import AUDIENCES, TOPICS, load_notices

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "static/img/aup"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of privacy/ to break."""
    target = tmp_path / "privacy"
    shutil.copytree(ROOT / "privacy", target)
    return target


def _edit(path: Path, change) -> None:
    """Load a notice file, change its data, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    """Every problem the loader reports, as text."""
    with pytest.raises(ContentError) as caught:
        load_notices(folder, ICONS)
    return [str(p) for p in caught.value.problems]


def test_the_shipped_notices_cover_every_audience_and_topic():
    library = load_notices(ROOT / "privacy", ICONS)
    assert tuple(n.audience for n in library.all()) == AUDIENCES
    for notice in library.all():
        assert tuple(s.topic for s in notice.sections) == TOPICS


def test_a_missing_audience_is_named(folder):
    (folder / "visitor.yaml").unlink()
    assert _problems(folder) == ["privacy/visitor.yaml: (whole file): is missing"]


def test_a_ks1_section_without_a_picture_is_refused(folder):
    _edit(folder / "ks1.yaml", lambda d: d["sections"][2].pop("icon"))
    assert _problems(folder) == [
        "privacy/ks1.yaml: sections.2.icon: is required: every KS1 section needs a picture"
    ]


def test_a_topic_left_out_is_refused(folder):
    _edit(folder / "ks2.yaml", lambda d: d["sections"][5].update(topic="why"))
    assert any("must answer, in order" in p for p in _problems(folder))


def test_an_unknown_icon_and_html_are_refused(folder):
    def change(data):
        data["sections"][0]["icon"] = "no-such-icon"
        data["sections"][1]["paragraphs"] = ["<b>bold</b>"]

    _edit(folder / "ks1.yaml", change)
    found = _problems(folder)
    assert any("sections.0.icon" in p and "no-such-icon" in p for p in found)
    assert any("sections.1.paragraphs.0" in p and "plain text" in p for p in found)


def test_flask_content_check_counts_the_notices(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert f"{len(AUDIENCES)} privacy notices" in result.output

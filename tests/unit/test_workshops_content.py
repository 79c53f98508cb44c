"""Workshop pack files: the real packs load, and each kind of broken pack is named plainly."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from app.config import ROOT
from app.content.errors import ContentError
from app.content.workshops import HANDOUT_MAX_WORDS, load_workshops

PACKS = ROOT / "workshops"
GOOD = yaml.safe_load((PACKS / "primary-parents.yaml").read_text(encoding="utf-8"))


def _problems(tmp_path: Path, change: Callable[[dict], object], name: str = "primary-parents"):
    """Write the primary pack, changed by change(), alone in a folder; return its problems."""
    data = copy.deepcopy(GOOD)
    change(data)
    folder = tmp_path / "workshops"
    folder.mkdir()
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_workshops(folder)
    return [(p.file, p.field, p.reason) for p in caught.value.problems]


def test_every_pack_loads_with_its_slides_and_forms():
    library = load_workshops(PACKS)
    ids = [pack.id for pack in library.packs()]
    assert sorted(ids) == sorted(path.stem for path in PACKS.glob("*.yaml"))
    agreed = ["primary-parents", "secondary-parents", "sharing-images-and-sextortion"]
    assert [i for i in ids if i in agreed] == agreed  # primary first, then secondary, then all
    for pack in library.packs():
        assert 10 <= len(pack.slides) <= 16
        assert all(slide.notes for slide in pack.slides)
        assert sum(a.minutes for a in pack.facilitator.running_order) == pack.duration_minutes
        assert {"rating", "text"} <= {question.kind for question in pack.feedback}
        assert len(library.content_hash(pack.id)) == 64


def test_the_sextortion_pack_says_the_things_parents_must_hear():
    pack = load_workshops(PACKS).pack("sharing-images-and-sextortion")
    text = json.dumps(pack.model_dump(mode="json"))
    for words in ("under 18", "Outcome 21", "Do not pay", "Report Remove", "CEOP", "999", "DSL"):
        assert words in text
    assert "You are not in trouble" in text


def test_the_export_is_the_same_on_every_run():
    first = load_workshops(PACKS).export()
    assert first == load_workshops(PACKS).export()
    on_disk = sorted(path.stem for path in PACKS.glob("*.yaml"))
    assert first["format"] == 1 and sorted(p["id"] for p in first["workshops"]) == on_disk


def _set_minutes(data: dict) -> None:
    data["facilitator"]["running_order"][0]["minutes"] += 3


def _repeat_slide_id(data: dict) -> None:
    data["slides"][2]["id"] = data["slides"][1]["id"]


def _repeat_question_id(data: dict) -> None:
    data["feedback"][1]["id"] = data["feedback"][0]["id"]


def _long_handout(data: dict) -> None:
    data["handout"]["sections"][0]["points"].append("word " * HANDOUT_MAX_WORDS)


BROKEN = {
    "timings": (_set_minutes, "facilitator.running_order", "timings add up to 53 minutes"),
    "unknown_kind": (
        lambda d: d["feedback"][0].update(kind="stars"),
        "feedback.0.kind",
        "must be 'rating', 'choice' or 'text'",
    ),
    "choice_without_options": (
        lambda d: d["feedback"][2].pop("options"),
        "feedback.2.options",
        "needs at least 2 options",
    ),
    "options_on_rating": (
        lambda d: d["feedback"][0].update(options=[{"id": "a", "label": "A"}]),
        "feedback.0.options",
        "only choice questions have options",
    ),
    "duplicate_slide_id": (_repeat_slide_id, "slides.2.id", "is already used by slides.1"),
    "duplicate_question_id": (_repeat_question_id, "feedback.1.id", "is already used by"),
    "no_text_question": (
        lambda d: d.update(feedback=d["feedback"][:3]),
        "feedback",
        "needs at least one text question",
    ),
    "too_few_slides": (
        lambda d: d.update(slides=d["slides"][:5]),
        "slides",
        "must have at least 8 items",
    ),
    "empty_slide": (
        lambda d: d["slides"][2].pop("body"),
        "slides.2",
        "needs body paragraphs or points",
    ),
    "unknown_audience": (lambda d: d.update(audience="teens"), "audience", "must be"),
    "unknown_format": (lambda d: d.update(formats=["party"]), "formats.0", "must be"),
    "html": (
        lambda d: d["slides"][0].update(title="<b>Hi</b>"),
        "slides.0.title",
        "plain text",
    ),
    "handout_too_long": (_long_handout, "handout", "to fit two A4 sides"),
    "missing_safeguarding": (
        lambda d: d["facilitator"].pop("safeguarding"),
        "facilitator.safeguarding",
        "is required",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_pack_names_the_file_the_field_and_the_reason(tmp_path, case):
    change, field, reason = BROKEN[case]
    problems = _problems(tmp_path, change)
    assert any(
        file == "workshops/primary-parents.yaml" and found == field and reason in why
        for file, found, why in problems
    ), problems


def test_the_id_must_match_the_file_name(tmp_path):
    problems = _problems(tmp_path, lambda d: None, name="coffee-morning")
    expected = ("workshops/coffee-morning.yaml", "id", "must match the file name, 'coffee-morning'")
    assert expected in problems


def test_a_page_address_cannot_be_a_pack_id(tmp_path):
    problems = _problems(tmp_path, lambda d: d.update(id="sessions"), name="sessions")
    assert any(field == "id" and "page address" in why for _, field, why in problems)


def test_bad_yaml_and_stray_files_are_reported(tmp_path):
    folder = tmp_path / "workshops"
    folder.mkdir()
    (folder / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (folder / "notes.txt").write_text("draft", encoding="utf-8")
    (folder / "README.md").write_text("# fine", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_workshops(folder)
    shown = str(caught.value)
    assert "workshops/broken.yaml: line" in shown and "is not valid YAML" in shown
    assert "workshops/notes.txt: (whole file): must be a .yaml file" in shown
    assert "README" not in shown


def test_a_missing_folder_is_reported(tmp_path):
    with pytest.raises(ContentError, match="workshops: \\(whole file\\): folder not found"):
        load_workshops(tmp_path / "workshops")

"""`flask content check` and `flask content export`, and content read only at start-up."""

from __future__ import annotations

import builtins
import io
import json
import shutil
from pathlib import Path

import pytest

from app.config import ROOT
from app.content import load_all
from tests import factories
from tests.conftest import agree, sign_in

BROKEN = ROOT / "tests" / "fixtures" / "content_broken"
EXPECTED = {  # fixture case: (file, field, words of the reason)
    "bad_band": ("lessons/", "band", ""),
    "unknown_strand": ("lessons/", "strands", ""),
    "dangling_next": ("lessons/", "next", "is not the id of a step"),
    "option_without_feedback": ("quizzes/", "feedback", "is required"),
    "duplicate_lesson_id": ("lessons/", "id", "is already used by"),
}


def _content_root(tmp_path: Path, case: str) -> Path:
    """A content root with the real AUPs and static files and one broken lesson set."""
    root = tmp_path / case
    shutil.copytree(ROOT / "aup", root / "aup")
    (root / "static").symlink_to(ROOT / "static")
    for folder in ("lessons", "quizzes"):
        source = BROKEN / case / folder
        if source.exists():
            shutil.copytree(source, root / folder)
        else:
            (root / folder).mkdir()
    return root


def test_check_passes_on_the_repository(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    aup_files = len(list((ROOT / "aup").glob("*.yaml")))  # counted on disk, like every count here
    lesson_files = len(list((ROOT / "lessons").glob("*/*.yaml")))
    assert f"content is valid: {aup_files} AUP files, {lesson_files} lessons" in result.output


@pytest.mark.parametrize("case", EXPECTED)
def test_check_names_file_field_and_reason(app, runner, tmp_path, case):
    app.config["LANTERN_CONTENT_ROOT"] = _content_root(tmp_path, case)
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    file, field, reason = EXPECTED[case]
    lines = [line for line in result.output.splitlines() if line.startswith(file)]
    assert lines, result.output
    assert any(f": {field}" in line or f".{field}" in line for line in lines), result.output
    assert reason in result.output


def test_export_writes_the_whole_catalogue_as_json(runner):
    from app.content import lessons

    result = runner.invoke(args=["content", "export", "--format", "json"])
    assert result.exit_code == 0
    catalogue = json.loads(result.output)
    assert len(catalogue["lessons"]) == len(lessons().lessons())
    grooming = next(item for item in catalogue["lessons"] if item["id"] == "ks2-grooming-1")
    assert {"band", "topic", "strands", "teacher_notes", "steps", "quiz"} <= set(grooming)
    option = grooming["quiz"]["questions"][0]["options"][0]
    assert option["feedback"] and "correct" in option
    assert any(step["kind"] == "scenario" and step["choices"] for step in grooming["steps"])
    again = runner.invoke(args=["content", "export"])
    assert again.output == result.output  # deterministic


def test_no_content_file_is_read_while_serving(app, client, demo_school, monkeypatch):
    folders = ("aup", "lessons", "quizzes", "teaching")
    content_dirs = tuple(str(ROOT / folder) for folder in folders)
    opened: list[str] = []
    real_open = builtins.open

    def spy(file, *args, **kwargs):
        if str(file).startswith(content_dirs):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: spy(self).read())
    monkeypatch.setattr(Path, "read_bytes", lambda self: spy(self, "rb").read())
    load_all(ROOT)  # the spy does see the loader reading files...
    assert any(name.endswith(".yaml") for name in opened)
    opened.clear()  # ...and must see nothing while requests are served
    fox = next(c for c in demo_school.classes if c.name == "4B")
    factories.taught(fox, "ks2-grooming-1")  # a teacher-led lesson, so taught first
    sign_in(client, "pupil.y4", "lantern-demo")
    agree(client)
    for path in ("/pupil/", "/pupil/lessons/ks2-grooming-1/maya-game",
                 "/pupil/lessons/ks2-grooming-1/quiz"):  # fmt: skip
        assert client.get(path).status_code == 200
    assert opened == []

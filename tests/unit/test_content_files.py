"""Reading content files: the fast YAML loader and the canonical hashes."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from app.config import ROOT
from app.content.aup import Aup
from app.content.errors import ContentProblem
from app.content.files import FastLoader, PureLoader, canonical_hash, parse_yaml, read_yaml
from app.content.library import Library
from app.content.schema import Lesson, Quiz
from app.content.workshops import Pack, WorkshopLibrary

CONTENT_FOLDERS = ("aup", "lessons", "quizzes", "guides", "workshops", "teaching")
CONTENT_FILES = sorted(
    path
    for folder in (*CONTENT_FOLDERS, "tests/fixtures")
    for path in (ROOT / folder).rglob("*.yaml")
)
PINNED = ROOT / "tests" / "fixtures" / "pinned"


def test_the_fast_loader_is_libyamls_c_parser():
    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML was built without libyaml; the pure loader is used")
    assert issubclass(FastLoader, yaml.CSafeLoader)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_c_and_pure_loaders_read_every_content_file_alike(path):
    text = path.read_text(encoding="utf-8")
    results = []
    for loader in (FastLoader, PureLoader):
        try:
            results.append(("data", parse_yaml(text, loader)))
        except yaml.YAMLError:
            results.append(("error", None))
    assert results[0] == results[1]


def test_every_content_folder_is_compared():
    assert len([p for p in CONTENT_FILES if "fixtures" not in p.parts]) > 100


@pytest.mark.parametrize("loader", [FastLoader, PureLoader])
def test_both_loaders_refuse_a_field_written_twice(loader):
    with pytest.raises(yaml.constructor.ConstructorError, match="'title' is written twice"):
        parse_yaml("title: One\nintro: Hi\ntitle: Two\n", loader)


def test_a_yaml_error_is_worded_as_before_whichever_loader_reads_first(tmp_path):
    path = tmp_path / "ks2.yaml"
    path.write_text("title: Hello\nintro: [unclosed\nclosing: Bye\n", encoding="utf-8")
    problems: list[ContentProblem] = []
    assert read_yaml(path, "aup/ks2.yaml", problems) is None
    [problem] = problems
    assert problem.file == "aup/ks2.yaml"
    assert problem.field.startswith("line ")
    assert problem.reason.startswith("is not valid YAML: ")
    assert "check the indentation here" in problem.reason


def test_canonical_hash_is_sorted_compact_unescaped_json():
    data = {"b": [1, "Cymraeg: ŵ ŷ"], "a": {"y": None, "x": True}}
    text = '{"a":{"x":true,"y":null},"b":[1,"Cymraeg: ŵ ŷ"]}'
    assert canonical_hash(data) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert canonical_hash(data).startswith("855ddf996bd500c94d3bfc564fdca19e")


def _pinned(name: str) -> dict:
    """The fields of one pinned copy of a real content file."""
    return yaml.safe_load((PINNED / name).read_text(encoding="utf-8"))


def test_hashes_of_real_content_are_unchanged():
    """Stored acceptances and records name these hashes: the way they are computed must not move."""
    aup = Aup.model_validate(_pinned("aup-ks2.yaml"))
    assert aup.text_hash == "824d1299f2fcb848842abead62ff12c2ad4082b67cdfc5e419cd080acc2c4860"
    lesson = Lesson.model_validate(_pinned("lesson-ks2-grooming-1.yaml"))
    quiz = Quiz.model_validate({"lesson": lesson.id, **_pinned("quiz-ks2-grooming-1.yaml")})
    lessons = Library([lesson], {lesson.id: quiz})  # the lesson format gained `years` (issue 19)
    assert (
        lessons.content_hash(lesson.id)
        == "73ce967dacd33bed968e3cf5eb316e656c8b217d1935b33de5b37ca4fd0ffb81"  # years: issue 19
    )
    pack = Pack.model_validate(_pinned("workshop-primary-parents.yaml"))
    assert (
        WorkshopLibrary([pack]).content_hash(pack.id)
        == "4740c3315f9deb83656c4d5d8133a18e0e1fc59e37f215e62bf792cf98c54fca"
    )

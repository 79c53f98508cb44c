"""Safeguarding in teacher notes: the shared safe-learning block and the content check rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from app.content.errors import ContentError
from app.content.framework import SHARED_FILES
from app.content.library import load_library
from app.content.safe_learning import SLOW_PHRASES, load_safe_learning

REPO = Path(__file__).resolve().parents[2]
LESSON = "lessons/ks2/ks2-grooming-1.yaml"
QUIZ = "quizzes/ks2/ks2-grooming-1.yaml"


def _problems(error: pytest.ExceptionInfo[ContentError]) -> list[tuple[str, str, str]]:
    """The (file, field, reason) of every problem raised."""
    return [(p.file, p.field, p.reason) for p in error.value.problems]


@pytest.fixture
def one_lesson(tmp_path: Path) -> Path:
    """A content root holding one real lesson, its quiz and the misconception list."""
    shared = [f"lessons/{name}" for name in SHARED_FILES]
    for name in (LESSON, QUIZ, "quizzes/misconceptions.yaml", *shared):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, tmp_path / name)
    return tmp_path


def _edit_lesson(root: Path, change) -> None:
    """Load the lesson file's fields, let change alter them, and write them back."""
    path = root / LESSON
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _load(root: Path):
    """Load the lessons and quizzes under root."""
    return load_library(root / "lessons", root / "quizzes")


def test_every_lesson_in_the_repository_passes_the_notes_rules() -> None:
    library = load_library(REPO / "lessons", REPO / "quizzes", REPO / "static")
    for lesson in library.lessons():
        note = " ".join(lesson.teacher_notes.safeguarding.lower().split())
        assert "straight away" in note, lesson.id
        assert not any(phrase in note for phrase in SLOW_PHRASES), lesson.id


def test_the_lesson_loads_before_it_is_changed(one_lesson: Path) -> None:
    assert _load(one_lesson).find("ks2-grooming-1") is not None


def test_a_note_that_lets_a_disclosure_wait_until_the_same_day_is_refused(one_lesson) -> None:
    def slow(data):
        data["teacher_notes"]["safeguarding"] = (
            "Listen calmly and pass it to the DSL straight away, or at least the same day."
        )

    _edit_lesson(one_lesson, slow)
    with pytest.raises(ContentError) as raised:
        _load(one_lesson)
    [(file, field, reason)] = _problems(raised)
    assert (file, field) == (LESSON, "teacher_notes.safeguarding")
    assert "'the same day'" in reason


def test_a_note_without_the_dsl_straight_away_is_refused(one_lesson: Path) -> None:
    def vague(data):
        data["teacher_notes"]["safeguarding"] = "Pass any concern to the DSL when you can."

    _edit_lesson(one_lesson, vague)
    with pytest.raises(ContentError) as raised:
        _load(one_lesson)
    assert _problems(raised) == [
        (LESSON, "teacher_notes.safeguarding", "must say that a disclosure goes to the DSL "
         "straight away")
    ]  # fmt: skip


def test_a_teacher_led_lesson_without_notes_on_leading_it_is_refused(one_lesson: Path) -> None:
    def led(data):
        data["delivery"] = "teacher_led"
        data["teacher_notes"].pop("teaching", None)

    _edit_lesson(one_lesson, led)
    with pytest.raises(ContentError) as raised:
        _load(one_lesson)
    [(file, field, reason)] = _problems(raised)
    assert (file, field) == (LESSON, "teacher_notes.teaching")
    assert "required for a teacher_led lesson" in reason


def test_an_unknown_delivery_is_refused(one_lesson: Path) -> None:
    _edit_lesson(one_lesson, lambda data: data.update(delivery="homework"))
    with pytest.raises(ContentError) as raised:
        _load(one_lesson)
    assert [(f, field) for f, field, _ in _problems(raised)] == [(LESSON, "delivery")]


# --- the shared block --------------------------------------------------------------------------


@pytest.fixture
def block(tmp_path: Path) -> Path:
    """A copy of teaching/, to change freely."""
    shutil.copytree(REPO / "teaching", tmp_path / "teaching")
    return tmp_path / "teaching"


def _edit_block(folder: Path, change) -> None:
    """Load safe-learning.yaml's fields, let change alter them, and write them back."""
    path = folder / "safe-learning.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_the_shared_block_says_what_every_lesson_needs() -> None:
    loaded = load_safe_learning(REPO / "teaching")
    text = " ".join(loaded.responding)
    assert "before the pupil leaves school" in text
    assert "Never promise to keep a secret" in text
    assert "I can't keep this just between us" in text
    assert "do not leave them alone" in text
    headings = [section.heading for section in loaded.environment]
    assert headings == [
        "Ground rules",
        "Anonymous question box",
        "Distancing",
        "Pupils who may be affected",
        "Pupils with SEND",
    ]


def test_a_block_without_the_no_secrets_sentence_is_refused(block: Path) -> None:
    def drop_secret(data):
        data["responding"] = [p for p in data["responding"] if "secret" not in p]

    _edit_block(block, drop_secret)
    with pytest.raises(ContentError) as raised:
        load_safe_learning(block)
    [(file, field, reason)] = _problems(raised)
    assert (file, field) == ("teaching/safe-learning.yaml", "responding")
    assert "never promise to keep a secret" in reason


def test_a_block_without_the_self_harm_rule_is_refused(block: Path) -> None:
    def drop(data):
        data["responding"] = [p for p in data["responding"] if "self-harm" not in p]

    _edit_block(block, drop)
    with pytest.raises(ContentError) as raised:
        load_safe_learning(block)
    assert "do not leave the pupil alone" in _problems(raised)[0][2]


def test_a_block_that_lets_a_disclosure_wait_is_refused(block: Path) -> None:
    def slow(data):
        data["responding"][0] = data["responding"][0].replace(
            "straight away", "straight away (or by the end of the day)"
        )

    _edit_block(block, slow)
    with pytest.raises(ContentError) as raised:
        load_safe_learning(block)
    assert _problems(raised) == [
        (
            "teaching/safe-learning.yaml",
            "responding",
            "says 'end of the day': a disclosure goes to the DSL straight away",
        )
    ]

"""Tests for the lesson and quiz library: loading, cross-checks, grading and export."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import get_args

import pytest
from werkzeug.datastructures import MultiDict

from app.content.errors import ContentError, ContentProblem
from app.content.framework import SHARED_FILES
from app.content.kinds import (
    QUESTION_KINDS,
    STEP_KINDS,
    InvalidAnswer,
    ScenarioResult,
    check_question,
    check_quiz,
    check_step,
)
from app.content.library import Library, load_library
from app.content.schema import STEP_MODELS, Lesson
from app.content.strands import BAND_IDS, BANDS, STRAND_CODES, band_for_year

REPO = Path(__file__).resolve().parents[2]
BROKEN = REPO / "tests" / "fixtures" / "content_broken"
SAMPLE_LESSON = "lessons/ks2/ks2-sample-1.yaml"
SAMPLE_QUIZ = "quizzes/ks2/ks2-sample-1.yaml"


def load(root: Path, static: Path | None = None) -> Library:
    """Load the lessons and quizzes folders under root."""
    return load_library(root / "lessons", root / "quizzes", static)


@pytest.fixture(scope="module")
def library() -> Library:
    """The lessons and quizzes checked into the repository."""
    return load(REPO, REPO / "static")


@pytest.fixture
def grooming(library: Library) -> Lesson:
    """The KS2 grooming lesson, which the browser tests also use."""
    return library.find("ks2-grooming-1")


# --- the repository's content ------------------------------------------------------------


SAMPLES = {
    "ks1-privacy-passwords-1": "privacy_passwords",
    "ks2-grooming-1": "grooming",
    "ks3-checking-sources-1": "checking_sources",
    "ks4-sharing-nudes-1": "sharing_nudes",
    "sixth-form-radicalisation-1": "radicalisation",
}


def test_repo_content_loads_in_band_order(library: Library) -> None:
    bands = [lesson.band for lesson in library.lessons()]
    assert bands == sorted(bands, key=BAND_IDS.index)
    assert set(bands) == set(BAND_IDS)
    for lesson_id, topic in SAMPLES.items():
        assert library.find(lesson_id).topic == topic


def test_samples_use_every_step_and_question_kind(library: Library) -> None:
    steps = [step for lesson in library.lessons() for step in lesson.steps]
    questions = [q for lesson in library.lessons() for q in library.quiz_for(lesson.id).questions]
    assert {step.kind for step in steps} == set(STEP_KINDS)
    assert {question.kind for question in questions} == set(QUESTION_KINDS)
    choices = [choice for step in steps if step.kind == "scenario" for choice in step.choices]
    assert any(choice.next for choice in choices)


def test_registry_has_a_kind_for_every_step_model() -> None:
    kinds = {get_args(model.model_fields["kind"].annotation)[0] for model in STEP_MODELS}
    assert kinds == set(STEP_KINDS)


# The content bars for every lesson (shape, help routes, reading level) are in
# tests/unit/test_curriculum_quality.py.


def test_ks2_grooming_lesson_has_what_the_browser_test_needs(grooming: Lesson) -> None:
    kinds = [step.kind for step in grooming.steps]
    assert {"scenario", "sort"} <= set(kinds) and kinds[-1] == "quiz"


def test_library_queries(library: Library) -> None:
    grooming = library.by_topic("grooming")
    assert "ks2-grooming-1" in [lesson.id for lesson in grooming]
    assert {lesson.topic for lesson in grooming} == {"grooming"}
    covered = library.strands_covered("ks2")
    assert list(covered) == sorted(covered, key=STRAND_CODES.index)  # framework order
    assert set(covered) >= {"SII", "OREL", "PS"}
    assert set(library.strands_covered("ks3")) <= set(STRAND_CODES)
    assert library.quiz_for("ks2-grooming-1").lesson == "ks2-grooming-1"
    assert library.find("no-such-lesson") is None  # a stored id whose lesson was removed
    assert library.listed(["no-such-lesson", "ks2-grooming-1"])[0].removed
    with pytest.raises(KeyError):
        library.by_band("ks9")


def test_lessons_are_immutable(grooming: Lesson) -> None:
    with pytest.raises(ValueError, match="frozen"):
        grooming.title = "Changed"  # type: ignore[misc]
    assert isinstance(grooming.steps, tuple)


def test_step_navigation(grooming: Lesson) -> None:
    assert grooming.step_after("maya-game").id == "already-chatting"
    assert grooming.step_after("quiz") is None
    assert grooming.step("warning-signs").paragraphs()[-1].startswith("If any of these happen")


# --- grading ---------------------------------------------------------------------------------

SORT_ANSWERS = {
    "item.which-school": "warning",
    "item.good-game": "fine",
    "item.coins-for-photo": "warning",
    "item.our-secret": "warning",
    "item.meet-park": "warning",
    "item.cousin-call": "fine",
}


def test_scenario_returns_feedback_and_branch(grooming: Lesson) -> None:
    result = check_step(grooming.step("maya-game"), {"choice": "private-chat", "csrf_token": "x"})
    assert isinstance(result, ScenarioResult)
    assert (result.outcome, result.next_step) == ("poor", "already-chatting")
    assert "not too late" in result.feedback


def test_sort_marks_each_item(grooming: Lesson) -> None:
    step = grooming.step("sort-signs")
    assert check_step(step, SORT_ANSWERS).score == 6
    result = check_step(step, {**SORT_ANSWERS, "item.good-game": "warning"})
    wrong = [item for item in result.items if not item.correct]
    assert (result.score, result.total) == (5, 6)
    assert [(i.item_id, i.chosen_group, i.correct_group) for i in wrong] == [
        ("good-game", "warning", "fine")
    ]
    assert wrong[0].feedback


def test_true_false_marks_each_statement(library: Library) -> None:
    step = library.find("ks1-privacy-passwords-1").step("true-or-false")
    form = MultiDict(
        [
            ("statement.game-asks-address", "true"),
            ("statement.tell-best-friend", "true"),
            ("statement.tell-if-worried", "true"),
        ]
    )
    result = check_step(step, form)
    assert (result.score, result.total) == (2, 3)
    assert [s.correct for s in result.statements] == [True, False, True]


def test_question_feedback_and_misconceptions(library: Library) -> None:
    question = library.quiz_for("ks2-grooming-1").question("warning-signs")
    right = check_question(question, {"answer.warning-signs": ["keep-secret", "gifts", "photos"]})
    assert right.correct and right.missed == () and right.misconceptions == ()
    wrong = check_question(question, {"answer.warning-signs": ["keep-secret", "well-played"]})
    assert not wrong.correct
    assert wrong.chosen == ("keep-secret", "well-played")
    assert wrong.missed == ("gifts", "photos")
    assert [f.option_id for f in wrong.feedback] == ["keep-secret", "well-played"]
    assert wrong.misconceptions == ("friendly-means-danger",)


def test_whole_quiz_is_scored_against_the_pass_mark(library: Library) -> None:
    quiz = library.quiz_for("ks2-grooming-1")
    form = MultiDict(
        [
            ("answer.friendly-for-weeks", "really-eleven"),
            ("answer.warning-signs", "keep-secret"),
            ("answer.whose-fault", "false"),
            ("answer.who-might-groom", "anyone"),
            ("answer.where-to-get-help", "trusted-adult"),
            ("answer.where-to-get-help", "childline"),
            ("answer.where-to-get-help", "ceop"),
        ]
    )
    result = check_quiz(quiz, form)
    assert (result.score, result.total, result.percent, result.passed) == (3, 5, 60, True)
    assert [q.correct for q in result.questions] == [False, False, True, True, True]


@pytest.mark.parametrize(
    ("pass_mark", "total", "needed"), [(60, 5, 3), (50, 3, 2), (61, 5, 4), (100, 4, 4), (1, 5, 1)]
)
def test_right_answers_needed_to_pass_round_up(
    library: Library, pass_mark: int, total: int, needed: int
) -> None:
    quiz = library.quiz_for("ks2-grooming-1").model_copy(update={"pass_mark": pass_mark})
    assert quiz.needed_to_pass(total) == needed
    assert needed * 100 >= pass_mark * total > (needed - 1) * 100


@pytest.mark.parametrize(
    ("step_id", "form", "field"),
    [
        ("maya-game", {}, "choice"),
        ("maya-game", {"choice": "run-away"}, "choice"),
        ("maya-game", {"choice": ["tell-adult", "say-no"]}, "choice"),
        ("sort-signs", {**SORT_ANSWERS, "item.extra": "fine"}, "item.extra"),
        ("sort-signs", {**SORT_ANSWERS, "item.meet-park": "maybe"}, "item.meet-park"),
        (
            "sort-signs",
            {k: v for k, v in SORT_ANSWERS.items() if k != "item.our-secret"},
            "item.our-secret",
        ),
        ("online-friends", {"choice": "tell-adult"}, "step"),
    ],
)
def test_invalid_step_answers_are_refused(
    grooming: Lesson, step_id: str, form: dict, field: str
) -> None:
    with pytest.raises(InvalidAnswer) as raised:
        check_step(grooming.step(step_id), form)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"answer.friendly-for-weeks": "nope"}, "answer.friendly-for-weeks"),
        ({"answer.friendly-for-weeks": ["anyone", "safe-to-meet"]}, "answer.friendly-for-weeks"),
        ({}, "answer.friendly-for-weeks"),
        (
            {"answer.friendly-for-weeks": "safe-to-meet", "answer.whose-fault": "true"},
            "answer.whose-fault",
        ),
    ],
)
def test_invalid_question_answers_are_refused(library: Library, form: dict, field: str) -> None:
    question = library.quiz_for("ks2-grooming-1").question("friendly-for-weeks")
    with pytest.raises(InvalidAnswer) as raised:
        check_question(question, form)
    assert raised.value.field == field


def test_quiz_refuses_answers_to_other_questions_and_gaps(library: Library) -> None:
    quiz = library.quiz_for("ks2-grooming-1")
    with pytest.raises(InvalidAnswer, match="not in this quiz"):
        check_quiz(quiz, {"answer.elsewhere": "x"})
    with pytest.raises(InvalidAnswer, match="answer.friendly-for-weeks"):
        check_quiz(quiz, {"answer.warning-signs": "gifts"})
    with pytest.raises(InvalidAnswer, match="at least one"):
        check_question(quiz.question("warning-signs"), {})


# --- export and hashes -----------------------------------------------------------------------


def test_export_is_deterministic_and_complete(library: Library) -> None:
    first = json.dumps(library.export(), sort_keys=True)
    again = json.dumps(load(REPO, REPO / "static").export(), sort_keys=True)
    assert first == again
    exported = {lesson["id"]: lesson for lesson in library.export()["lessons"]}
    lesson = exported["ks2-grooming-1"]
    assert lesson["band"] == "ks2" and lesson["topic"] == "grooming" and lesson["strands"]
    assert lesson["teacher_notes"]["safeguarding"]
    assert lesson["steps"][2]["choices"][0]["feedback"]
    option = lesson["quiz"]["questions"][0]["options"][0]
    assert option["feedback"] and option["misconception"]
    assert lesson["content_hash"] == library.content_hash("ks2-grooming-1")
    assert re.fullmatch(r"[0-9a-f]{64}", lesson["content_hash"])


def test_content_hash_changes_with_the_quiz(tmp_path: Path, library: Library) -> None:
    for folder in ("lessons", "quizzes"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    quiz_file = tmp_path / "quizzes/ks2/ks2-grooming-1.yaml"
    quiz_file.write_text(quiz_file.read_text().replace("pass_mark: 60", "pass_mark: 80"))
    changed = load(tmp_path)
    assert changed.content_hash("ks2-grooming-1") != library.content_hash("ks2-grooming-1")
    assert changed.content_hash("ks3-checking-sources-1") == library.content_hash(
        "ks3-checking-sources-1"
    )


def test_readme_examples_are_valid(tmp_path: Path) -> None:
    blocks = [
        re.findall(r"```yaml\n(.*?)```", (REPO / folder / "README.md").read_text(), re.S)[0]
        for folder in ("lessons", "quizzes")
    ]
    (tmp_path / "lessons/ks2").mkdir(parents=True)
    (tmp_path / "quizzes/ks2").mkdir(parents=True)
    (tmp_path / "lessons/ks2/ks2-example-1.yaml").write_text(blocks[0])
    (tmp_path / "quizzes/ks2/ks2-example-1.yaml").write_text(blocks[1])
    shutil.copy(REPO / "quizzes/misconceptions.yaml", tmp_path / "quizzes/misconceptions.yaml")
    for shared in SHARED_FILES:
        shutil.copy(REPO / "lessons" / shared, tmp_path / "lessons" / shared)
    assert load(tmp_path).find("ks2-example-1").steps[-1].kind == "quiz"


def _readme_example(tmp_path: Path, change: dict[str, str]) -> list[tuple[str, str, str]]:
    """Load the lessons README's example with some lines changed: the problems found, if any."""
    lesson, quiz = (
        re.findall(r"```yaml\n(.*?)```", (REPO / folder / "README.md").read_text(), re.S)[0]
        for folder in ("lessons", "quizzes")
    )
    for old, replacement in change.items():
        assert old in lesson
        lesson = lesson.replace(old, replacement)
    (tmp_path / "lessons/ks2").mkdir(parents=True)
    (tmp_path / "quizzes/ks2").mkdir(parents=True)
    (tmp_path / "lessons/ks2/ks2-example-1.yaml").write_text(lesson)
    (tmp_path / "quizzes/ks2/ks2-example-1.yaml").write_text(quiz)
    shutil.copy(REPO / "quizzes/misconceptions.yaml", tmp_path / "quizzes/misconceptions.yaml")
    for shared in SHARED_FILES:
        shutil.copy(REPO / "lessons" / shared, tmp_path / "lessons" / shared)
    try:
        load(tmp_path)
    except ContentError as error:
        return [(p.file, p.field, p.reason) for p in error.problems]
    return []


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"help: [trusted-adult,": "help: [a-helpline-nobody-checked,"}, "help.0",
         "is not a help route in lessons/help-routes.yaml"),
        ({"help: [trusted-adult,": "help: [report-remove,"}, "help.0",
         "is for ks3 and older, not ks2"),
        ({"statements: [orel-7-11-2]": "statements: [orel-7-11-99]"}, "statements.0",
         "is not a statement in lessons/statements.yaml"),
        ({"statements: [orel-7-11-2]": "statements: [orel-14-18-1]"}, "statements.0",
         "is for ages 14-18, not years [5]"),
        ({"statements: [orel-7-11-2]": "statements: [co-7-11-1]"}, "statements.0",
         "is in CO: add it to strands"),
        ({"rshe: [p-online-critical]": "rshe: [s-online-scams]"}, "rshe.0",
         "is a secondary outcome; this lesson is primary"),
        ({"years: [5]": "years: [7]"}, "years.0", "7 is not a year group of ks2"),
        ({"topic: grooming": "topic: respectful_relationships", "years: [5]": "years: [3]"},
         "years", "respectful_relationships is taught from year 5, not year 3"),
        ({"claims: []": "claims:\n  - claim: A fact.\n    source: An Act\n    checked: someday"},
         "claims.0.checked", ""),
    ],
)  # fmt: skip
def test_content_check_refuses_unknown_routes_statements_outcomes_and_years(
    tmp_path: Path, change: dict[str, str], field: str, reason: str
) -> None:
    found = _readme_example(tmp_path, change)
    assert [(f, r) for f, fld, r in found if fld == field and reason in r], found


def test_image_found_under_static_dir(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "missing_image", tmp_path, dirs_exist_ok=True)
    (tmp_path / "static/img/lessons/ks2").mkdir(parents=True)
    (tmp_path / "static/img/lessons/ks2/missing.png").write_bytes(b"\x89PNG")
    assert load(tmp_path, tmp_path / "static").find("ks2-sample-1").steps[0].image


# --- broken content --------------------------------------------------------------------------

BROKEN_CASES = {
    "bad_band": [(SAMPLE_LESSON, "band", "'ks5' is not a known band")],
    "unknown_strand": [(SAMPLE_LESSON, "strands.1", "'XYZ' is not a known strand")],
    "dangling_next": [
        (SAMPLE_LESSON, "steps.1.choices.1.next", "'nowhere' is not the id of a step")
    ],
    "option_without_feedback": [(SAMPLE_QUIZ, "questions.0.options.1.feedback", "is required")],
    "duplicate_lesson_id": [
        (
            "lessons/ks3/ks2-sample-1.yaml",
            "id",
            f"'ks2-sample-1' is already used by {SAMPLE_LESSON}",
        )
    ],
    "quiz_for_unknown_lesson": [
        ("quizzes/ks2/ks2-missing-1.yaml", "lesson", "'ks2-missing-1' is not the id of any lesson")
    ],
    "lesson_without_quiz": [
        (SAMPLE_LESSON, "id", "has no quiz; add quizzes/ks2/ks2-sample-1.yaml")
    ],
    "unknown_field": [(SAMPLE_LESSON, "steps.0.colour", "is not a known field")],
    "bad_yaml": [(SAMPLE_LESSON, "line 22", "is not valid YAML")],
    "repeated_yaml_key": [(SAMPLE_LESSON, "line 4", "'version' is written twice")],
    "quiz_step_not_last": [(SAMPLE_LESSON, "steps.0.kind", "one quiz step, and it comes last")],
    "repeated_step_id": [(SAMPLE_LESSON, "steps.1.id", "'intro' is already used by steps.0")],
    "single_with_two_correct": [(SAMPLE_QUIZ, "questions.0.options", "exactly one correct")],
    "misconception_on_correct_option": [
        (SAMPLE_QUIZ, "questions.0.options.0.misconception", "only on incorrect options")
    ],
    "untagged_wrong_option": [
        (SAMPLE_QUIZ, "questions.0.options.1.misconception", "names a misconception")
    ],
    "unknown_misconception": [
        (
            SAMPLE_QUIZ,
            "questions.0.options.1.misconception",
            "'thinks-nobody-helps' is not a misconception in quizzes/misconceptions.yaml",
        )
    ],
    "band_folder_mismatch": [
        ("lessons/ks3/ks2-sample-1.yaml", "band", "is ks2 but the file sits in the ks3 folder"),
        ("quizzes/ks3/ks2-sample-1.yaml", "lesson", "the quiz belongs in quizzes/ks2/"),
    ],
    "missing_image": [
        (SAMPLE_LESSON, "steps.0.image.src", "no file at static/img/lessons/ks2/missing.png")
    ],
}


@pytest.mark.parametrize("case", sorted(BROKEN_CASES))
def test_broken_content_names_file_field_and_reason(case: str) -> None:
    with pytest.raises(ContentError) as raised:
        load(BROKEN / case, BROKEN / case / "static")
    found = [(p.file, p.field, p.reason) for p in raised.value.problems]
    expected = BROKEN_CASES[case]
    assert len(found) == len(expected), found
    for (file, field, reason), problem in zip(expected, found, strict=True):
        assert (problem[0], problem[1]) == (file, field)
        assert reason in problem[2]


def test_every_broken_fixture_has_a_case() -> None:
    assert sorted(path.name for path in BROKEN.iterdir()) == sorted(BROKEN_CASES)


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "dangling_next", tmp_path, dirs_exist_ok=True)
    shutil.copy(BROKEN / "option_without_feedback" / SAMPLE_QUIZ, tmp_path / SAMPLE_QUIZ)
    lesson = tmp_path / SAMPLE_LESSON
    lesson.write_text(lesson.read_text().replace("  - id: quiz\n", "  - id: intro\n", 1))
    with pytest.raises(ContentError) as raised:
        load(tmp_path)
    assert [(p.file, p.field) for p in raised.value.problems] == [
        (SAMPLE_LESSON, "steps.2.id"),
        (SAMPLE_LESSON, "steps.1.choices.1.next"),
        (SAMPLE_QUIZ, "questions.0.options.1.feedback"),
    ]
    assert all(isinstance(p, ContentProblem) for p in raised.value.problems)
    assert str(raised.value).startswith(f"{SAMPLE_LESSON}: steps.2.id: 'intro' is already used")


# --- bands ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "band"),
    [
        (0, "ks1"),
        (1, "ks1"),
        (2, "ks1"),
        (3, "ks2"),
        (6, "ks2"),
        (7, "ks3"),
        (9, "ks3"),
        (10, "ks4"),
        (11, "ks4"),
        (12, "sixth_form"),
        (13, "sixth_form"),
    ],
)
def test_band_for_year(year: int, band: str) -> None:
    assert band_for_year(year) == band


@pytest.mark.parametrize("year", [-1, 14])
def test_band_for_year_refuses_years_outside_school(year: int) -> None:
    with pytest.raises(ValueError, match="no band"):
        band_for_year(year)


def test_bands_are_in_age_order_with_english_labels() -> None:
    assert [str(band.label) for band in BANDS] == [
        "Key Stage 1",
        "Key Stage 2",
        "Key Stage 3",
        "Key Stage 4",
        "Sixth form",
    ]


def test_every_wrong_option_names_one_of_the_shared_misconceptions(library: Library) -> None:
    listed = library.misconceptions()
    assert 35 <= len(listed) <= 60  # one short list a school can count (111 lessons share it)
    assert all(m.label and m.explanation for m in listed)
    used = set()
    for lesson in library.lessons():
        for question in library.quiz_for(lesson.id).questions:
            for option in question.options:
                if option.correct:
                    assert option.misconception is None
                else:
                    assert library.misconception(option.misconception) is not None
                    used.add(option.misconception)
    assert used == {m.id for m in listed}  # no entry in the list that no quiz uses
    assert library.misconception("no-such-misconception") is None


def test_the_misconception_list_is_required(tmp_path: Path) -> None:
    shutil.copytree(BROKEN / "misconception_on_correct_option", tmp_path, dirs_exist_ok=True)
    (tmp_path / "quizzes" / "misconceptions.yaml").unlink()
    with pytest.raises(ContentError) as raised:
        load(tmp_path)
    assert ("quizzes/misconceptions.yaml", "file not found") in [
        (p.file, p.reason) for p in raised.value.problems
    ]

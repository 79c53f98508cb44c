"""aup/understanding/: every pupil AUP statement has its lesson and a fair question."""

from __future__ import annotations

import shutil

import pytest

from app.config import ROOT
from app.content import cross_problems, load_all
from app.content.aup import load_aups
from app.content.errors import ContentError
from app.content.library import load_library
from app.content.understanding import (
    PUPIL_AUDIENCES,
    all_checks,
    bands_of,
    cross_check,
    load_understanding,
    shuffled,
)

AUPS = load_aups(ROOT / "aup", icon_dir=ROOT / "static/img/aup")
LIBRARY = load_library(ROOT / "lessons", ROOT / "quizzes", static_dir=ROOT / "static")
FOUND = load_understanding(ROOT / "aup/understanding", icon_dir=ROOT / "static/img/aup")
CHECKS = [check for _audience, check in all_checks(FOUND)]


def test_the_shipped_files_agree_with_the_aups_and_lessons():
    assert cross_check(FOUND, AUPS, LIBRARY) == []


@pytest.mark.parametrize("audience", PUPIL_AUDIENCES)
def test_every_statement_of_every_pupil_aup_has_its_lessons_and_a_question(audience):
    aup, checks = AUPS.get(audience), FOUND.get(audience)
    assert (checks.aup, checks.version) == (aup.id, aup.version)
    assert sorted(c.statement for c in checks.statements) == list(range(len(aup.statements)))
    for check in checks.statements:
        bands = sorted(LIBRARY.find(x).band for x in check.lessons)
        assert bands == sorted(bands_of(audience)), check.statement
        assert 2 <= len(check.options) <= 3 and sum(o.correct for o in check.options) == 1


def test_the_secondary_aup_names_a_lesson_for_each_of_key_stages_3_and_4():
    assert bands_of("secondary") == ("ks3", "ks4")
    assert bands_of("ks1") == ("ks1",)
    check = FOUND.get("secondary").check(0)
    lessons = {FOUND.get("secondary").lesson_for(0, band, LIBRARY) for band in ("ks3", "ks4")}
    assert lessons == set(check.lessons)


def test_ks1_options_each_have_a_different_picture_and_the_question_is_read_aloud():
    for check in FOUND.get("ks1").statements:
        pictures = [o.picture for o in check.options]
        assert None not in pictures and len(set(pictures)) == len(pictures)
        assert check.read_aloud


def _right_rate(pick) -> float:
    """How often a blind pick, over 40 pupils' shuffled orders, chooses the right option."""
    hits = plays = 0
    for pupil in range(1, 41):
        for audience, check in all_checks(FOUND):
            order = shuffled(check.options, f"{pupil}:{audience}:{check.statement}")
            shown = [check.options[n] for n in order]
            hits += pick(shown).correct
            plays += 1
    return hits / plays


@pytest.mark.parametrize(
    "name, pick",
    [
        ("first shown", lambda shown: shown[0]),
        ("last shown", lambda shown: shown[-1]),
        ("longest", lambda shown: max(shown, key=lambda o: len(o.text))),
        ("shortest", lambda shown: min(shown, key=lambda o: len(o.text))),
        ("middle length", lambda shown: sorted(shown, key=lambda o: len(o.text))[1]),
    ],
)
def test_a_pupil_who_does_not_read_is_not_rewarded(name, pick):
    assert _right_rate(pick) <= 0.45, name


def test_the_order_differs_between_pupils_but_is_stable_for_one():
    orders = {tuple(shuffled(CHECKS[0].options, f"{p}:ks1:0")) for p in range(1, 30)}
    assert len(orders) > 2
    assert shuffled(CHECKS[0].options, "7:ks1:0") == shuffled(CHECKS[0].options, "7:ks1:0")


def _copy_content(tmp_path):
    """A copy of the content folders a full load reads, to break on purpose."""
    for folder in ("aup", "lessons", "quizzes", "guides", "workshops", "privacy", "teaching"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copytree(ROOT / "static", tmp_path / "static")
    return tmp_path


def _problems(root) -> list[str]:
    """Every problem `content check` reports: a full load, then between the libraries."""
    try:
        return [str(p) for p in cross_problems(load_all(root))]
    except ContentError as error:
        return [str(p) for p in error.problems]


def test_a_new_aup_version_is_caught_until_the_questions_are_checked(tmp_path):
    root = _copy_content(tmp_path)
    path = root / "aup/ks2.yaml"
    path.write_text(path.read_text().replace('version: "2026.2"', 'version: "2027.1"'))
    assert _problems(root) == [
        "aup/understanding/ks2.yaml: version: was written for version '2026.2' but "
        "aup/ks2.yaml is now '2027.1': check every question against the new statements, "
        "then update it"
    ]


def test_a_ks1_picture_must_exist(tmp_path):
    root = _copy_content(tmp_path)
    ks1 = root / "aup/understanding/ks1.yaml"
    ks1.write_text(ks1.read_text().replace("picture: monitor", "picture: no-such-icon", 1))
    assert _problems(root) == [
        "aup/understanding/ks1.yaml: statements.7.options.1.picture: names picture "
        "'no-such-icon', but static/img/aup/no-such-icon.svg is missing"
    ]


def test_cross_check_reports_statements_and_lessons(tmp_path):
    root = _copy_content(tmp_path)
    path = root / "aup/understanding/ks2.yaml"
    text = path.read_text().replace("[ks2-copyright-1]", "[ks2-no-such-lesson]")
    path.write_text(text.replace("statement: 11", "statement: 12"))
    assert _problems(root) == [
        "aup/understanding/ks2.yaml: statements: statement 11 needs exactly one entry (it has 0)",
        "aup/understanding/ks2.yaml: statements.8.lessons: 'ks2-no-such-lesson' is not a lesson",
        "aup/understanding/ks2.yaml: statements.11.statement: is 12, but the AUP has 12 statements",
    ]


def test_a_question_needs_exactly_one_right_option(tmp_path):
    root = _copy_content(tmp_path)
    path = root / "aup/understanding/secondary.yaml"
    path.write_text(path.read_text().replace("        correct: true\n", "", 1))
    assert _problems(root) == [
        "aup/understanding/secondary.yaml: statements.0.options: "
        "must have exactly one option with 'correct: true'"
    ]


def test_start_up_survives_a_retired_lesson_and_content_check_names_it(tmp_path):
    root = _copy_content(tmp_path)
    (root / "lessons/ks2/ks2-copyright-1.yaml").unlink()
    (root / "quizzes/ks2/ks2-copyright-1.yaml").unlink()
    loaded = load_all(root)  # the app still starts
    assert [str(p) for p in cross_problems(loaded)] == [
        "aup/understanding/ks2.yaml: statements.8.lessons: 'ks2-copyright-1' is not a lesson"
    ]


def test_content_check_reports_a_stale_question_file(tmp_path, app, monkeypatch):
    from app.cli import check

    root = _copy_content(tmp_path)
    path = root / "aup/understanding/sixth_form.yaml"
    path.write_text(path.read_text().replace('version: "2026.2"', 'version: "2025.1"'))
    monkeypatch.setitem(app.config, "LANTERN_CONTENT_ROOT", str(root))
    result = app.test_cli_runner().invoke(check)
    assert result.exit_code == 1
    assert "aup/understanding/sixth_form.yaml: version: was written for version '2025.1'" in (
        result.output
    )

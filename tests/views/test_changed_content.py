"""Content that changes under stored records: a lesson file removed, a quiz's ids and key changed.

The demo school is built, a pupil hands in quizzes, then the app restarts on a copy of the
content where one of those lessons is gone and the other's quiz was edited. Every GET page of
every demo role, with every id the demo holds, must still answer without a server error.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml

from app import create_app
from app.content import lessons
from app.content.kinds import ANSWER_PREFIX
from app.demo import school as demo
from app.extensions import db
from app.models import SchoolClass, TaughtLesson
from tests import factories
from tests.conftest import FreshContextClient, make_config, post
from tests.pages import all_urls, candidates, client_for, demo_user, lesson

REMOVED = "ks2-bullying-1"  # set for 5A in the demo, taught there, done by classmates
CHANGED = "ks2-privacy-passwords-1"
KEPT = "ks2-grooming-1"
CONTENT = ("lessons", "quizzes", "aup", "guides", "workshops", "privacy", "teaching", "static")


def _hand_in_right_answers(client, lesson_id: str) -> None:
    """The signed-in pupil hands in the lesson's quiz in the player, every answer right."""
    quiz, step = lessons().quiz_for(lesson_id), lesson(lesson_id).steps[-1].id
    path = f"/pupil/lessons/{lesson_id}/{step}"
    answers = {ANSWER_PREFIX + q.id: sorted(q.correct_ids()) for q in quiz.questions}
    response = post(client, path, {"attempt": "1", **answers}, token_from=path)
    assert response.status_code in (200, 303), response.status_code


def _changed_root(source: Path, target: Path) -> Path:
    """A copy of the content with REMOVED gone and CHANGED's quiz edited (ids and answer key)."""
    for name in CONTENT:
        shutil.copytree(source / name, target / name)
    (target / "lessons" / "ks2" / f"{REMOVED}.yaml").unlink()
    (target / "quizzes" / "ks2" / f"{REMOVED}.yaml").unlink()
    path = target / "quizzes" / "ks2" / f"{CHANGED}.yaml"
    quiz = yaml.safe_load(path.read_text(encoding="utf-8"))
    first, second = quiz["questions"][0], quiz["questions"][1]
    right = next(o for o in first["options"] if o["correct"])
    right["id"] += "-renamed"  # the option the pupil chose is no longer in the quiz
    for option in second["options"]:  # the right answers are now the wrong ones
        option["correct"] = not option["correct"]
        option.pop("misconception", None)
        if not option["correct"]:  # every wrong option names a misconception
            option["misconception"] = "keep-worries-secret"
    path.write_text(yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture
def changed_app(app, full_demo, client, login_as, tmp_path):
    """The demo with pupil.y4's quizzes handed in, restarted on the changed content."""
    school = full_demo
    fox = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
    module = factories.module(
        school, [REMOVED, CHANGED, KEPT], created_by_id=demo_user("teacher").id
    )
    factories.assignment(module, fox)
    taught = TaughtLesson(school_id=school.id, class_id=fox.id, lesson_id=REMOVED,
                          lesson_version=1, taught_on=date.today())  # fmt: skip
    db.session.add(taught)
    db.session.commit()
    login_as("pupil.y4")
    _hand_in_right_answers(client, REMOVED)
    _hand_in_right_answers(client, CHANGED)
    root = _changed_root(Path(app.config["LANTERN_CONTENT_ROOT"]), tmp_path / "content")
    # the same database as the app fixture's, with the changed content
    same = app.config["SQLALCHEMY_DATABASE_URI"]
    changed = create_app(make_config(same, LANTERN_CONTENT_ROOT=root))
    changed.test_client_class = FreshContextClient
    changed.config["PROPAGATE_EXCEPTIONS"] = False  # a server error is answered as a 500 page
    with changed.app_context():
        assert REMOVED not in {lesson.id for lesson in lessons().lessons()}
        yield changed
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("username", [account.username for account in demo.ACCOUNTS])
def test_every_page_of_every_role_survives_changed_content(changed_app, username):
    client = client_for(changed_app, username)
    urls = all_urls(changed_app, candidates([REMOVED, CHANGED, KEPT], CHANGED))
    assert len(urls) > 100
    failed = [(url, code) for url in urls if (code := client.get(url).status_code) >= 500]
    assert not failed, failed


def test_a_quiz_result_shows_what_was_recorded_with_a_note_that_the_quiz_changed(changed_app):
    client = client_for(changed_app, "pupil.y4")
    quiz = lessons().quiz_for(CHANGED)
    page = client.get(f"/pupil/lessons/{CHANGED}/quiz/1")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    total = len(quiz.questions)
    assert f"You scored {total} out of {total}" in text  # not regraded against the new key
    assert "This quiz has changed since you took it" in text
    assert "(not quite)" not in text  # every verdict stays as recorded: right
    assert "ShoeLemonThunder" in text  # the answer chosen, though its id has since changed


def test_a_removed_lesson_is_listed_by_its_id_with_a_note(changed_app):
    teacher = client_for(changed_app, "teacher")
    fox = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
    page = teacher.get(f"/teacher/classes/{fox.id}")
    assert page.status_code == 200
    assert f"{REMOVED} (no longer in the curriculum)" in page.get_data(as_text=True)
    pupil = client_for(changed_app, "pupil.y4")
    home = pupil.get("/pupil/").get_data(as_text=True)
    assert f"{REMOVED} (no longer in the curriculum)" in home
    assert pupil.get(f"/pupil/lessons/{REMOVED}/quiz/1").status_code == 404

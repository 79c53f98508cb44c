"""Writes by a pupil who has been reading for a while: the "database is locked" regression.

A session older than the "last seen" interval makes the request note activity. That note used to
be committed through a second connection after the request had begun reading, so the request's
own write then failed on SQLite at once (a 500 after reading a step for a minute).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.content import lessons
from app.extensions import db
from app.models import LessonProgress, LoginSession, QuizAttempt, User, utcnow
from tests.conftest import csrf_token

AGE = timedelta(minutes=3)


def _age_sessions(username: str) -> None:
    """Make the user's open session look as it would after a few minutes of reading."""
    user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == user_id)
        .values(last_seen_at=utcnow() - AGE, created_at=utcnow() - AGE)
    )
    db.session.commit()


def _send_after_reading(client, username: str, path: str, data: dict, page: str):
    """Open the page (as the pupil did), read it for a few minutes, then send the form."""
    token = csrf_token(client, page)
    _age_sessions(username)
    return client.post(path, data={"csrf_token": token, **data})


@pytest.fixture
def ks3_lesson():
    """The first KS3 lesson a pupil may open on their own, and its first step."""
    lesson = next(x for x in lessons().by_band("ks3") if not x.teacher_led)
    return lesson, f"/pupil/lessons/{lesson.id}"


def test_a_step_answered_after_minutes_of_reading_is_saved(
    client, login_as, demo_school, ks3_lesson
):
    lesson, base = ks3_lesson
    login_as("pupil.y8")
    first = lesson.steps[0].id
    response = _send_after_reading(client, "pupil.y8", f"{base}/{first}", {}, f"{base}/{first}")
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert response.headers["Location"] == f"{base}/{lesson.steps[1].id}"
    saved = db.session.scalar(sa.select(LessonProgress.current_step))
    assert saved == lesson.steps[1].id
    seen = db.session.scalar(sa.select(LoginSession.last_seen_at))
    assert utcnow() - seen < timedelta(seconds=30), "the activity note was not stored"


def test_a_quiz_handed_in_after_minutes_of_reading_is_saved(
    client, login_as, demo_school, ks3_lesson
):
    lesson, base = ks3_lesson
    quiz = lessons().quiz_for(lesson.id)
    login_as("pupil.y8")
    answers = {f"answer.{q.id}": sorted(q.correct_ids()) for q in quiz.questions}
    response = _send_after_reading(
        client, "pupil.y8", f"{base}/quiz", {"attempt": "1", **answers}, f"{base}/quiz"
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert db.session.scalar(sa.select(sa.func.count(QuizAttempt.id))) == 1


def test_the_language_changes_after_minutes_of_reading(client, login_as, demo_school):
    login_as("pupil.y8")
    response = _send_after_reading(client, "pupil.y8", "/language", {"lang": "cy"}, "/pupil/")
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert db.session.scalar(sa.select(User.locale).where(User.username == "pupil.y8")) == "cy"


def test_reading_a_page_after_minutes_notes_the_activity(client, login_as, demo_school):
    login_as("pupil.y8")
    _age_sessions("pupil.y8")
    assert client.get("/pupil/").status_code == 200
    seen = db.session.scalar(sa.select(LoginSession.last_seen_at))
    assert utcnow() - seen < timedelta(seconds=30)


def test_a_page_that_only_reads_cannot_write_without_the_lock(app, client, demo_school):
    def sneaky_write():
        db.session.get(type(demo_school), demo_school.id).name = "Changed by a GET"
        db.session.commit()
        return "written"

    app.add_url_rule("/test-get-writes", view_func=sneaky_write)
    with pytest.raises(RuntimeError, match="without the write lock"):
        client.get("/test-get-writes")

"""Misconceptions counted per class and per year group, against a hand-worked set of answers."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.content import lessons
from app.content.kinds import check_quiz
from app.extensions import db
from app.models import QuizAttempt, QuizMisconception, Role
from app.reporting import misconceptions
from app.services import progress
from tests import factories

LESSON = "ks2-grooming-1"
RIGHT = {
    "answer.friendly-for-weeks": "only-what-they-show",
    "answer.warning-signs": ["keep-secret", "gifts", "photos"],
    "answer.whose-fault": "false",
    "answer.who-might-groom": "anyone",
    "answer.where-to-get-help": ["trusted-adult", "childline", "ceop"],
}


def _hand_in(pupil, number: int, **wrong) -> QuizAttempt:
    """Record one attempt as the player does, right except for the answers given."""
    answers = {**RIGHT, **{f"answer.{k.replace('_', '-')}": v for k, v in wrong.items()}}
    lesson, quiz = lessons().find(LESSON), lessons().quiz_for(LESSON)
    result = check_quiz(quiz, answers)
    return progress.record_quiz(pupil, lesson, lessons().content_hash(LESSON), quiz, result, number)


def _school():
    """Two classes, in Years 4 and 5, with the answers worked out by hand in the tests below."""
    school = factories.school()
    four, five = factories.school_class(school, "4Q", 4), factories.school_class(school, "5Q", 5)
    a, b, c, d = (factories.user(school, Role.PUPIL, year=4) for _ in range(4))
    e = factories.user(school, Role.PUPIL, year=5)
    four.pupils.extend([a, b, c, d])
    five.pupils.append(e)
    db.session.commit()
    # A: online-identity-true, victim-to-blame, and friendly-means-danger from two options of
    # one question (one pupil, counted once)
    _hand_in(a, 1, friendly_for_weeks="really-eleven", whose_fault="true",
             warning_signs=["keep-secret", "well-played", "team-invite"])  # fmt: skip
    # B: online-identity-true at the first attempt; a second attempt is not counted
    _hand_in(b, 1, friendly_for_weeks="safe-to-meet")
    _hand_in(b, 2, whose_fault="true", who_might_groom="only-strangers")
    _hand_in(c, 1)  # all right: nothing to count
    # D: last school year, not counted
    old = _hand_in(d, 1, friendly_for_weeks="really-eleven")
    old.submitted_at -= timedelta(days=400)
    # E, in Year 5: online-identity-true and grooming-looks-obvious
    _hand_in(e, 1, friendly_for_weeks="really-eleven", who_might_groom="only-strangers")
    db.session.commit()
    return school, four, five


def _pairs(counts) -> list[tuple[str, int]]:
    return [(c.id, c.pupils) for c in counts]


def test_a_class_counts_pupils_per_misconception_in_first_attempts_this_year(app):
    school, four, five = _school()
    found = misconceptions.for_class(four, school, lessons(), date.today())
    # ties in the order of quizzes/misconceptions.yaml
    assert _pairs(found) == [
        ("online-identity-true", 2),
        ("victim-to-blame", 1),
        ("friendly-means-danger", 1),
    ]
    assert found[0].label == "Believes people online are who they say"
    assert found[0].misconception.explanation
    assert _pairs(misconceptions.for_class(five, school, lessons(), date.today())) == [
        ("online-identity-true", 1),
        ("grooming-looks-obvious", 1),
    ]
    assert misconceptions.for_class(four, school, lessons(), date.today(), limit=1)[0].pupils == 2


def test_year_groups_are_counted_apart(app):
    school, _, _ = _school()
    found = misconceptions.by_year_group(school, lessons(), date.today())
    assert {year: _pairs(counts) for year, counts in found.items()} == {
        4: [("online-identity-true", 2), ("victim-to-blame", 1), ("friendly-means-danger", 1)],
        5: [("online-identity-true", 1), ("grooming-looks-obvious", 1)],
    }
    other = factories.school()
    assert misconceptions.by_year_group(other, lessons(), date.today()) == {}


def test_each_answer_keeps_the_ids_it_revealed(app):
    _school()
    kept = db.session.scalars(sa.select(QuizMisconception.misconception_id)).all()
    # A 3 (friendly-means-danger once for its two options), B 1 + 2, D 1, E 2
    assert len(kept) == 9
    assert sorted(set(kept)) == [
        "friendly-means-danger",
        "grooming-looks-obvious",
        "online-identity-true",
        "victim-to-blame",
    ]


def test_an_id_that_has_left_the_list_is_still_counted_by_its_id(app):
    school, four, _ = _school()
    answer_id = db.session.scalar(sa.select(QuizMisconception.answer_id).limit(1))
    db.session.add(QuizMisconception(answer_id=answer_id, misconception_id="an-old-one"))
    db.session.commit()
    found = misconceptions.for_class(four, school, lessons(), date.today(), limit=10)
    assert ("an-old-one", 1) in _pairs(found)
    assert next(c for c in found if c.id == "an-old-one").label == "an-old-one"


def _queries(call) -> int:
    """Statements a call sends that read the misconceptions (loading the school is not counted)."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return sum("quiz_misconception" in statement for statement in statements)


def test_each_view_costs_one_query_whatever_the_numbers(app):
    school, four, _ = _school()
    small = (
        _queries(lambda: misconceptions.for_class(four, school, lessons(), date.today())),
        _queries(lambda: misconceptions.by_year_group(school, lessons(), date.today())),
    )
    for n in range(20):
        pupil = factories.user(school, Role.PUPIL, year=4 + n % 3)
        four.pupils.append(pupil)
        db.session.commit()
        _hand_in(pupil, 1, friendly_for_weeks="really-eleven", whose_fault="true")
    db.session.expire_all()
    big = (
        _queries(lambda: misconceptions.for_class(four, school, lessons(), date.today())),
        _queries(lambda: misconceptions.by_year_group(school, lessons(), date.today())),
    )
    assert small == big == (1, 1)

"""Quiz options in an order of each pupil's own: varied, stable, recorded, and analysed right."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.content import lessons
from app.content.kinds import check_quiz
from app.content.order import attempt_seed, option_order
from app.extensions import db
from app.models import QuizAnswer, SchoolClass, User
from app.services import progress
from tests.conftest import post
from tests.views.test_player import BASE, LESSON, RIGHT, taught_to_4b  # noqa: F401 (autouse)


def _shown_order(page: str) -> dict[str, list[str]]:
    """Each question's option ids in the order the quiz page lists them."""
    order: dict[str, list[str]] = {}
    for question, value in re.findall(r'name="answer\.([a-z0-9-]+)" value="([a-z0-9-]+)"', page):
        order.setdefault(question, []).append(value)
    return order


def _pupil(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_the_order_is_the_pupils_own_and_the_same_on_reload(client, login_as, demo_school):
    login_as("pupil.y4")
    first = _shown_order(client.get(f"{BASE}/quiz").get_data(as_text=True))
    again = _shown_order(client.get(f"{BASE}/quiz").get_data(as_text=True))
    assert first == again  # a reload (or coming back later) shows the same order
    quiz = lessons().quiz_for(LESSON)
    seed = attempt_seed(_pupil("pupil.y4").id, LESSON, 1)
    assert first == {q.id: [o.id for o in option_order(q, seed)] for q in quiz.questions}
    file_order = {q.id: [o.id for o in q.options] for q in quiz.questions}
    assert first != file_order  # shuffled: not simply the order in the quiz file


def test_another_pupil_and_the_next_attempt_see_other_orders(app):
    quiz = lessons().quiz_for(LESSON)
    many = [q for q in quiz.questions if q.kind != "true_false"]

    def order(pupil_id: int, number: int) -> list[list[str]]:
        seed = attempt_seed(pupil_id, LESSON, number)
        return [[o.id for o in option_order(q, seed)] for q in many]

    assert order(1, 1) != order(2, 1)
    assert order(1, 1) != order(1, 2)
    # over many pupils the right answer of every question turns up in every position
    for question in many:
        right = next(o.id for o in question.options if o.correct)
        places = {
            [o.id for o in option_order(question, attempt_seed(n, LESSON, 1))].index(right)
            for n in range(60)
        }
        assert places == set(range(len(question.options))), question.id


def test_the_order_shown_is_recorded_and_the_result_keeps_it(client, login_as, demo_school):
    login_as("pupil.y4")
    shown = _shown_order(client.get(f"{BASE}/quiz").get_data(as_text=True))
    response = post(client, f"{BASE}/quiz", {"attempt": "1", **RIGHT}, token_from=f"{BASE}/quiz")
    assert response.status_code in (302, 303)
    kept = {a.question_id: a.shown for a in db.session.scalars(sa.select(QuizAnswer))}
    quiz = lessons().quiz_for(LESSON)
    for question in quiz.questions:
        assert [option_id for option_id, _ in kept[question.id]["options"]] == shown[question.id]
        texts = [question.option(i).text for i in shown[question.id]]
        assert [text for _, text in kept[question.id]["options"]] == texts
        right = [question.option(i).text for i in shown[question.id] if question.option(i).correct]
        assert kept[question.id]["right"] == right  # the result page lists them as shown
    # the next attempt is shown in its own order
    second = _shown_order(client.get(f"{BASE}/quiz").get_data(as_text=True))
    assert second != shown


def _hand_in(pupil: User, answers: dict) -> None:
    """A pupil's first attempt, recorded as the player records it."""
    lesson = lessons().find(LESSON)
    quiz = lessons().quiz_for(LESSON)
    result = check_quiz(quiz, answers)
    progress.record_quiz(pupil, lesson, lessons().content_hash(LESSON), quiz, result, 1)


def test_the_class_analysis_counts_answers_as_each_pupil_saw_them(client, login_as, demo_school):
    cls = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
    pupils = sorted(cls.pupils, key=lambda p: p.id)[:4]
    _hand_in(pupils[0], RIGHT)
    for pupil in pupils[1:3]:
        _hand_in(pupil, {**RIGHT, "answer.friendly-for-weeks": "really-eleven"})
    # an answer kept from a version of the question whose options were different is left out
    _hand_in(pupils[3], {**RIGHT, "answer.friendly-for-weeks": "really-eleven"})
    old = db.session.scalar(
        sa.select(QuizAnswer).where(
            QuizAnswer.question_id == "friendly-for-weeks",
            QuizAnswer.attempt.has(pupil_id=pupils[3].id),
        )
    )
    old.shown = {**old.shown, "options": [["really-eleven", "An option that said something else"]]}
    db.session.commit()
    login_as("teacher")
    page = client.get(f"/teacher/classes/{cls.id}/quiz/{LESSON}").get_data(as_text=True)
    assert "33% right first time (1 of 3)" in page
    assert "Wrong answer chosen most (2 pupils):" in page
    wrong = lessons().quiz_for(LESSON).question("friendly-for-weeks").option("really-eleven")
    assert wrong.text.replace("'", "&#39;") in page


def test_a_blank_question_is_named_in_the_page_s_language_with_a_link_to_it(
    client, login_as, demo_school
):
    login_as("pupil.y4")
    post(client, "/language", {"lang": "cy", "next": "/pupil/"}, token_from="/pupil/")
    partial = {k: v for k, v in RIGHT.items() if k != "answer.whose-fault"}
    response = post(client, f"{BASE}/quiz", {"attempt": "1", **partial}, token_from=f"{BASE}/quiz")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # no browser bubble (in the browser's own language): the server's message, in Welsh, first
    assert " required" not in page
    assert 'id="quiz-problem" tabindex="-1" data-focus-first lang="cy-GB"' in page
    assert "Ewch i gwestiwn 3" in page and 'href="#question-whose-fault"' in page
    assert 'id="question-whose-fault"' in page


def test_a_wrong_one_answer_question_does_not_say_more_right_answers(client, login_as, demo_school):
    login_as("pupil.y4")
    wrong = {**RIGHT, "answer.friendly-for-weeks": "really-eleven"}
    post(client, f"{BASE}/quiz", {"attempt": "1", **wrong}, token_from=f"{BASE}/quiz")
    result = client.get(f"{BASE}/quiz/1").get_data(as_text=True)
    assert "You scored 4 out of 5" in result
    assert "The right answer:" in result
    assert "more right answer" not in result and "of the right answers" not in result

"""The once-a-term question after a pupil agrees: asked once a term, never a gate."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from app.content import aup_checks, aups
from app.content.understanding import UnderstandingLibrary
from app.extensions import db
from app.models import AupCheck, User
from app.services import school_calendar
from app.services import understanding as service
from tests.conftest import agree, csrf_token, post, sign_in


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _checks() -> list[AupCheck]:
    return list(db.session.scalars(sa.select(AupCheck).order_by(AupCheck.id)))


def _agree(client, username: str):
    """Sign in and agree; returns the response to I agree."""
    sign_in(client, username, "lantern-demo")
    return agree(client)


def _answer(client, statement: int, option: int):
    """Send an answer to the question on /aup/check."""
    token = csrf_token(client, "/aup/check")
    data = {"csrf_token": token, "statement": str(statement), "answer": str(option)}
    return client.post("/aup/check", data=data)


def _right(audience: str, statement: int) -> int:
    return aup_checks().get(audience).check(statement).right


def _wrong(audience: str, statement: int) -> int:
    return next(n for n in range(3) if n != _right(audience, statement))


def _sign_out_and_back(client, username: str):
    post(client, "/sign-out", token_from="/")
    return _agree(client, username)


def _move_to_last_term(school) -> None:
    """Date every answer to the day before this term began."""
    start = school_calendar.term_of(school, school_calendar.today()).start
    before = school_calendar.midnight(start) - timedelta(days=1)
    db.session.execute(sa.update(AupCheck).values(answered_at=before))
    db.session.commit()


def test_a_pupil_answers_right_after_agreeing_then_not_again_this_term(client, demo_school):
    response = _agree(client, "pupil.y4")
    assert response.headers["Location"] == "/aup/check"
    page = client.get("/aup/check").get_data(as_text=True)
    check = aup_checks().get("ks2").check(0)
    assert check.question in page and all(o.text in page for o in check.options)
    assert 'href="/">Skip</a>' in page
    response = _answer(client, 0, _right("ks2", 0))
    assert response.status_code == 303 and response.headers["Location"] == "/"
    assert "That&#39;s right" in client.get("/", follow_redirects=True).get_data(as_text=True)
    [row] = _checks()
    assert (row.statement, row.correct, row.aup_id) == (0, True, "aup-ks2")
    assert row.user_id == _user("pupil.y4").id and row.school_id == demo_school.id
    again = _sign_out_and_back(client, "pupil.y4")
    assert again.headers["Location"] == "/"  # once a term
    assert client.get("/aup/check").headers["Location"] == "/"
    assert len(_checks()) == 1


def test_next_term_the_pupil_is_asked_again_about_a_new_statement(client, demo_school):
    _agree(client, "pupil.y4")
    _answer(client, 0, _right("ks2", 0))
    _move_to_last_term(demo_school)
    again = _sign_out_and_back(client, "pupil.y4")
    assert again.headers["Location"] == "/aup/check"
    page = client.get("/aup/check").get_data(as_text=True)
    assert aup_checks().get("ks2").check(1).question in page
    _answer(client, 1, _right("ks2", 1))
    assert [(r.statement, r.correct) for r in _checks()] == [(0, True), (1, True)]


def test_a_wrong_answer_shows_the_promise_again_is_kept_and_never_blocks(client, demo_school):
    _agree(client, "pupil.y8")
    response = _answer(client, 0, _wrong("secondary", 0))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "look at that promise again" in page
    assert aups().get("secondary").statements[0].text in page
    right = aup_checks().get("secondary").check(0).options[_right("secondary", 0)].text
    assert right in page and 'href="/">Carry on</a>' in page
    assert [(r.statement, r.correct) for r in _checks()] == [(0, False)]
    assert client.get("/pupil/").status_code == 200  # signed in, nothing in the way


def _add_check(pupil: User, aup, statement: int, correct: bool) -> None:
    db.session.add(AupCheck(school_id=pupil.school_id, user_id=pupil.id, aup_id=aup.id,
                            aup_version=aup.version, statement=statement, chosen=0,
                            correct=correct))  # fmt: skip


def test_the_statement_chosen_is_new_else_the_one_got_wrong_else_the_next(demo_school):
    pupil, aup = _user("pupil.y4"), aups().get("ks2")
    assert service.choose_statement(pupil, aup) == 0
    for n in range(len(aup.statements)):
        _add_check(pupil, aup, n, correct=n not in (3, 7))
    db.session.commit()
    assert service.choose_statement(pupil, aup) == 3  # all asked: the first got wrong
    _add_check(pupil, aup, 3, correct=True)
    _add_check(pupil, aup, 7, correct=True)
    db.session.commit()
    assert service.choose_statement(pupil, aup) == 8  # all right: round the list after 7


def test_skip_lets_the_pupil_go_on_and_stores_nothing(client, demo_school):
    _agree(client, "pupil.y4")
    page = client.get("/aup/check").get_data(as_text=True)
    assert 'href="/">Skip</a>' in page
    assert client.get("/").headers["Location"] == "/pupil/"
    assert client.get("/pupil/").status_code == 200
    assert _checks() == []


def test_a_deep_link_survives_the_question(client, demo_school):
    token = csrf_token(client)
    data = {"username": "pupil.y4", "password": "lantern-demo", "csrf_token": token,
            "next": "/pupil/lessons/ks2-grooming-1?from=link"}  # fmt: skip
    client.post("/sign-in", data=data)
    assert agree(client).headers["Location"] == "/aup/check"
    page = client.get("/aup/check").get_data(as_text=True)
    assert 'href="/pupil/lessons/ks2-grooming-1?from=link">Skip</a>' in page
    response = _answer(client, 0, _right("ks2", 0))
    assert response.headers["Location"] == "/pupil/lessons/ks2-grooming-1?from=link"


def test_no_answer_or_junk_asks_again_and_stores_nothing(client, demo_school):
    _agree(client, "pupil.y4")
    for junk in ("", "7", "-1", "x"):
        response = _answer(client, 0, junk) if junk else None
        if response is None:
            token = csrf_token(client, "/aup/check")
            response = client.post("/aup/check", data={"csrf_token": token, "statement": "0"})
        assert response.status_code == 200
        assert "Choose one answer, or press Skip." in response.get_data(as_text=True)
    stale = _answer(client, 5, 0)  # a question from another tab or term
    assert stale.headers["Location"] == "/aup/check"
    assert _checks() == []


def test_a_database_error_sends_the_pupil_on(client, demo_school, monkeypatch):
    _agree(client, "pupil.y4")

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(service, "record", broken)
    response = _answer(client, 0, _right("ks2", 0))
    assert response.status_code == 303 and response.headers["Location"] == "/"
    monkeypatch.setattr(service, "due", broken)
    assert client.get("/aup/check").headers["Location"] == "/"


def test_an_error_preparing_the_question_never_stops_agreeing(client, demo_school, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("no questions")

    monkeypatch.setattr(service, "due", broken)
    response = _agree(client, "pupil.y4")
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_ks1_options_have_pictures_and_the_page_can_read_aloud(client, demo_school):
    _agree(client, "pupil.y1")
    page = client.get("/aup/check").get_data(as_text=True)
    check = aup_checks().get("ks1").check(0)
    for option in check.options:
        assert f"/static/img/aup/{option.picture}.svg" in page
    assert f'data-read-aloud="{check.read_aloud}"' in page
    assert 'class="button button--quiet read-aloud" data-read="#check-question"' in page
    assert "ask a grown-up to read this with you" in page
    wrong = _answer(client, 0, _wrong("ks1", 0)).get_data(as_text=True)
    assert "/static/img/aup/ask-grown-up.svg" in wrong  # the promise, with its picture


def test_the_options_are_shown_in_each_pupil_s_own_order(client, demo_school):
    pupil = _user("pupil.y4")
    question = service.due(pupil, aups().get("ks2"), school_calendar.today())
    _agree(client, "pupil.y4")
    page = client.get("/aup/check").get_data(as_text=True)
    shown = sorted(question.check.options, key=lambda o: page.index(o.text))
    assert shown == [question.check.options[n] for n in question.order]


def test_staff_and_parents_are_never_asked(client, demo_school):
    for username in ("teacher", "parent"):
        response = _agree(client, username)
        assert response.headers["Location"] != "/aup/check"
        assert client.get("/aup/check").status_code in (403, 404)
        post(client, "/sign-out", token_from="/")
    assert _checks() == []


def test_an_aup_with_no_questions_for_its_version_asks_nothing(client, demo_school, monkeypatch):
    stale = aup_checks().get("ks2").model_copy(update={"version": "2025.1"})
    monkeypatch.setattr(service, "aup_checks", lambda: UnderstandingLibrary({"ks2": stale}))
    assert _agree(client, "pupil.y4").headers["Location"] == "/"
    assert client.get("/aup/check").headers["Location"] == "/"

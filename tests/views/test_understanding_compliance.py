"""Compliance and the governors' report: "agreed" and "agreed and understood", by hand.

The hand-worked school (tests/trust_data.small_school) with this term's answers added:

| pupil | class | agreed the current AUP | answer this term                 | understood |
| ----- | ----- | ---------------------- | -------------------------------- | ---------- |
| a1    | 4A    | yes                    | statement 0, right               | yes        |
| a2    | 4A    | no (an old version)    | statement 0, right               | not agreed |
| a3    | 4A    | no                     | statement 5, wrong               | no         |
| b1    | 4B    | yes                    | statement 5, wrong               | no         |
| b2    | 4B    | yes                    | right, but last term             | no         |
| c1    | 8X    | yes                    | right, but about an old version  | no         |
| c2    | 8X    | no                     | statement 9, wrong               | no         |
| x     | (another school), right                                      | not here   |

So KS2: 5 pupils, 3 agreed, 1 agreed and understood; secondary: 2 pupils, 1 agreed, 0.
4A: 1 of 3 agreed and understood; statement 5 misunderstood by 1 (a3). 4B: 0 of 2, statement 5
by 1 (b1). 8X: 0 of 2, secondary statement 9 by 1 (c2).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.content import aups
from app.extensions import db
from app.models import AupCheck, Role
from app.services import acceptance, compliance, school_calendar, understanding
from tests import factories
from tests.conftest import post
from tests.trust_data import small_school


def _answer(pupil, audience: str, statement: int, correct: bool, when=None, version=None):
    aup = aups().get(audience)
    row = AupCheck(school_id=pupil.school_id, user_id=pupil.id, aup_id=aup.id,
                   aup_version=version or aup.version, statement=statement, chosen=0,
                   correct=correct)  # fmt: skip
    if when is not None:
        row.answered_at = when
    db.session.add(row)


@pytest.fixture
def hand_worked(app):
    today = school_calendar.today()
    small = small_school(today)
    people = small.people
    context = acceptance.Context(None, "127.0.0.1", "test")
    for name, audience in (("b1", "ks2"), ("b2", "ks2"), ("c1", "secondary")):
        acceptance.accept(people[name], aups().get(audience), context, today)
    term = school_calendar.term_of(small.school, today)
    last_term = school_calendar.midnight(term.start) - timedelta(days=2)
    _answer(people["a1"], "ks2", 0, True)
    _answer(people["a2"], "ks2", 0, True)
    _answer(people["a3"], "ks2", 5, False)
    _answer(people["b1"], "ks2", 5, False)
    _answer(people["b2"], "ks2", 1, True, when=last_term)
    _answer(people["c1"], "secondary", 2, True, version="2025.1")
    _answer(people["c2"], "secondary", 9, False)
    _answer(people["x"], "ks2", 0, True)
    db.session.commit()
    return small


def test_the_figures_match_the_hand_worked_school(hand_worked):
    today = school_calendar.today()
    found = compliance.report(hand_worked.school, today)
    figures = understanding.figures_for(found, today)
    ks2, secondary = found.audiences["ks2"], found.audiences["secondary"]
    assert (len(ks2.standings), ks2.accepted, figures.agreed_and_understood(ks2.standings)) == (
        5, 3, 1)  # fmt: skip
    assert (len(secondary.standings), secondary.accepted,
            figures.agreed_and_understood(secondary.standings)) == (2, 1, 0)  # fmt: skip
    by_class = {c.name: rows for c, rows in found.classes}
    assert figures.agreed_and_understood(by_class["4A"]) == 1
    assert figures.agreed_and_understood(by_class["4B"]) == 0
    ids = [s.person.id for s in by_class["4A"] + by_class["4B"]]
    [misread] = figures.misread(ids)
    assert (misread.statement, misread.wrong, misread.aup.audience) == (5, 2, "ks2")
    assert misread.lesson_for(4).id == "ks2-bullying-1"
    [eight] = figures.misread([s.person.id for s in by_class["8X"]])
    assert (eight.statement, eight.lesson_for(8).id, eight.lesson_for(10).id) == (
        9, "ks3-sharing-nudes-1", "ks4-sharing-nudes-1")  # fmt: skip


def test_one_class_s_figures_read_only_that_class(hand_worked):
    figures = understanding.for_class(hand_worked.classes["4A"], school_calendar.today())
    assert figures.understood == {hand_worked.people["a1"].id, hand_worked.people["a2"].id}
    assert [m.statement for m in figures.misread(figures.wrong)] == [5]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _coordinator(small, login_as):
    factories.user(small.school, Role.COORDINATOR, username="co")
    db.session.commit()
    return login_as("co", factories.PASSWORD)


def test_the_compliance_page_shows_both_figures_per_class_and_what_to_set(hand_worked, login_as):
    client = _coordinator(hand_worked, login_as)
    page = client.get("/coordinator/compliance").get_data(as_text=True)
    text = _text(page)
    assert "4A 1 of 3 accepted Agreed: 1 of 3. Agreed and understood this term: 1 of 3 " in text
    assert "4B 2 of 2 accepted Agreed: 2 of 2. Agreed and understood this term: 0 of 2 " in text
    statement = aups().get("ks2").statements[5].text
    assert f"Most often misunderstood this term in 4B: {statement} 1 pupil answered wrongly." in (
        text
    )
    class_id = hand_worked.classes["4B"].id
    assert f'href="/teacher/assign?preset=y5/bullying&amp;class={class_id}">Set it for 4B' in page
    ks2_title = aups().get("ks2").title
    assert f"{ks2_title} 5 3 1" in text  # pupils, agreed, agreed and understood


def test_the_governors_report_carries_both_figures(hand_worked, login_as):
    client = _coordinator(hand_worked, login_as)
    text = _text(client.get("/coordinator/report").get_data(as_text=True))
    assert "Pupils who agreed, and who agreed and understood this term" in text
    assert f"{aups().get('ks2').title} 5 3 1" in text
    assert f"{aups().get('secondary').title} 2 1 0" in text


def test_a_teacher_sees_both_figures_for_their_own_classes_only(demo_school, client, login_as):
    from app.models import SchoolClass, User

    classes = {c.name: c for c in demo_school.classes}
    pupil = db.session.scalar(sa.select(User).where(User.username == "pupil.y4"))
    assert pupil in classes["4B"].pupils
    login_as("pupil.y4")  # agrees, so counts as agreed
    _answer(pupil, "ks2", 3, False)
    other = factories.school("Elm School")
    elsewhere = factories.school_class(other, "4Z", 4)
    db.session.commit()
    post(client, "/sign-out", token_from="/")
    login_as("teacher")
    page = client.get(f"/teacher/classes/{classes['4B'].id}").get_data(as_text=True)
    n = len([p for p in classes["4B"].pupils if p.active])
    assert f"Agreed: 1 of {n}. Agreed and understood this term: 0 of {n}" in _text(page)
    assert aups().get("ks2").statements[3].text in page
    assert f"preset=y5/grooming&amp;class={classes['4B'].id}" in page  # its Year 5 lesson, to set
    assert client.get(f"/teacher/classes/{classes['5A'].id}").status_code == 403
    assert client.get(f"/teacher/classes/{elsewhere.id}").status_code == 404
    assert db.session.get(SchoolClass, elsewhere.id) is not None

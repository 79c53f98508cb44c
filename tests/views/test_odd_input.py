"""Odd input answers 404 or 400, never a server error: huge ids, odd digits, whitespace choices.

SQLite holds signed 64-bit integers: a larger id reaching a query made the driver raise.
"""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from werkzeug.routing import IntegerConverter

from app.content import lessons, workshops
from app.demo import school as demo
from app.extensions import db
from app.ids import MAX_ID, IdConverter, parse_id
from app.models import Module, PhotoConsent, School, User
from tests.conftest import post

HUGE = "99999999999999999999999"  # beyond 64 bits
TOO_BIG = str(MAX_ID + 1)
PART = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture(autouse=True)
def _errors_as_pages(app):
    """A server error is answered as a 500 page, as in production, so a test can see its code."""
    app.config["PROPAGATE_EXCEPTIONS"] = False


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _consents(pupil: User) -> int:
    """How many photo-consent decisions are kept for the pupil."""
    query = sa.select(sa.func.count()).where(PhotoConsent.pupil_id == pupil.id)
    return db.session.scalar(query)


def _id_rules(app) -> list:
    """Every rule with an id in its path."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IdConverter) for c in rule._converters.values())
    ]


def test_every_id_in_a_route_is_read_by_the_id_converter(app):
    # a plain <int:...> accepts any length of number; ids go to the database, so they must not
    numbers = {
        (rule.rule, name)
        for rule in app.url_map.iter_rules()
        for name, converter in rule._converters.items()
        if type(converter) is IntegerConverter and (name.endswith("_id") or name == "number")
    }
    assert not numbers
    assert len(_id_rules(app)) >= 15


@pytest.mark.parametrize("raw", ["0", "-1", "²", "٣", "1_0", " 1", "1.0", "", TOO_BIG, HUGE])
def test_parse_id_refuses_what_is_not_a_database_id(raw):
    with pytest.raises(ValueError):
        parse_id(raw)


def test_parse_id_reads_ids():
    assert parse_id("42") == 42 and parse_id(str(MAX_ID)) == MAX_ID


def test_a_class_id_beyond_64_bits_is_not_found(demo_school, login_as):
    client = login_as("teacher")
    assert client.get(f"/teacher/classes/{HUGE}").status_code == 404


@pytest.mark.parametrize("username", ["teacher", "coordinator", "parent", "pupil.y4", "admin"])
def test_every_id_route_answers_a_huge_id_with_404(app, demo_school, login_as, username):
    client = login_as(username)
    pack, lesson = workshops().packs()[0].id, lessons().lessons()[0].id
    fill = {"lesson_id": lesson, "pack_id": pack, "n": "1", "year": "4", "key": "bullying"}
    rules = _id_rules(app)
    assert len(rules) >= 15
    for rule in rules:
        for big in (TOO_BIG, HUGE):
            path = PART.sub(lambda m, big=big: big if m[1] == "id" else fill[m[2]], rule.rule)
            code = client.open(path, method=sorted(rule.methods - {"HEAD", "OPTIONS"})[0])
            # a role the blueprint refuses still gets its 403 first: the id is never read
            assert code.status_code in (403, 404), (path, code.status_code)


@pytest.mark.parametrize("username", ["coordinator", "trust.lead"])
@pytest.mark.parametrize("school", ["%C2%B2", "%D9%A3", "1_0", "-1", HUGE, TOO_BIG])
def test_an_odd_school_chosen_is_not_found(full_demo, login_as, username, school):
    client = login_as(username)
    assert client.get(f"/coordinator/?school={school}").status_code == 404
    assert client.get(f"/coordinator/coverage?school={school}").status_code == 404


def test_the_school_chooser_still_opens_a_school(full_demo, login_as):
    client = login_as("trust.lead")
    own = client.get("/coordinator/")
    assert own.status_code == 200
    other = db.session.scalar(sa.select(School).where(School.name != demo.SCHOOL_NAME))
    assert client.get(f"/coordinator/?school={other.id}").status_code == 200


@pytest.mark.parametrize(
    ("day", "month"), [(HUGE, "9"), ("1", HUGE), (HUGE, HUGE), ("1", "13"), ("1", "-1")]
)
def test_a_year_start_beyond_range_is_refused_with_a_message(demo_school, login_as, day, month):
    client = login_as("coordinator")
    settings = "/coordinator/settings"
    response = post(client, f"{settings}/year-start", {"day": day, "month": month},
                    token_from=settings)  # fmt: skip
    assert response.status_code == 400
    assert "field__error" in response.get_data(as_text=True)


@pytest.mark.parametrize("answer", [" ", "\t", " given "])
def test_whitespace_as_a_photo_consent_answer_is_refused(demo_school, login_as, answer):
    client = login_as("parent")
    ben = _user("pupil.y4")
    path = f"/parent/children/{ben.id}/consent"
    response = post(client, path, {"in_school": answer, "website": "given"}, token_from=path)
    assert response.status_code == 400
    assert _consents(ben) == 0


def test_a_part_left_unanswered_is_still_left_as_it_is(demo_school, login_as):
    client = login_as("parent")
    ben = _user("pupil.y4")
    path = f"/parent/children/{ben.id}/consent"
    response = post(client, path, {"in_school": "", "website": "given"}, token_from=path)
    assert response.status_code == 303
    assert _consents(ben) == 1


def test_a_huge_module_to_set_is_not_found(demo_school, login_as):
    client = login_as("teacher")
    assert client.get(f"/teacher/assign?module={HUGE}").status_code == 404
    assert client.get("/teacher/assign?module=abc").status_code == 404


def test_a_huge_workshop_session_is_ignored_like_any_other_non_id(demo_school, login_as):
    client = login_as("teacher")
    pack = workshops().packs()[0].id
    for session in (HUGE, "abc"):  # the slides, without a session's feedback code
        assert client.get(f"/workshops/{pack}/slides/1?session={session}").status_code == 200


def test_a_lesson_marked_taught_to_a_huge_class_is_refused(demo_school, login_as):
    client = login_as("teacher")
    lesson = "/present/lesson/ks2-grooming-1"
    data = {"class_id": HUGE, "taught_on": "2026-01-05"}
    response = post(client, f"{lesson}/taught", data, token_from=f"{lesson}/1")
    assert response.status_code == 400


@pytest.mark.parametrize("title", ["a\x00b", "\x00"])
def test_a_nul_character_in_a_form_is_refused_and_nothing_is_stored(demo_school, login_as, title):
    # PostgreSQL refuses to store a NUL: the module was a server error there, and kept on SQLite
    client = login_as("teacher")
    page = "/teacher/modules/new"
    sent = {"title": title, "lessons": "ks2-grooming-1"}
    assert post(client, page, sent, token_from=page).status_code == 400
    assert not db.session.scalar(sa.select(sa.func.count()).select_from(Module))


def test_a_nul_character_in_a_query_or_field_name_is_refused(demo_school, login_as):
    client = login_as("admin")
    assert client.get("/admin/?q=a%00b").status_code == 400
    assert client.get("/admin/?q=ab").status_code == 200
    page = "/teacher/modules/new"
    sent = {"title": "A title", "lessons": "ks2-grooming-1", "x\x00": "1"}
    assert post(client, page, sent, token_from=page).status_code == 400

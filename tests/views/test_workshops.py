"""Workshop pages: packs and results for staff only, the handout and feedback form for anyone."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role, User, WorkshopFeedback, WorkshopSession
from app.services import school_calendar
from app.services import workshops as service
from tests import factories
from tests.conftest import csrf_token, post

PACK = "sharing-images-and-sextortion"
STAFF_PAGES = (
    "/workshops/",
    f"/workshops/{PACK}",
    f"/workshops/{PACK}/slides/1",
    f"/workshops/{PACK}/slides/1/notes",
    "/workshops/sessions",
)


def _user(username: str) -> User:
    """A demo user by username."""
    return db.session.scalar(sa.select(User).where(User.username == username))


def _session(username: str = "coordinator", pack_id: str = PACK) -> WorkshopSession:
    """A session of a pack run by a demo user today."""
    from app.content import workshops

    return service.start_session(
        _user(username), workshops().pack(pack_id), school_calendar.today()
    )


def _slide_titles() -> list[str]:
    """The titles of the pack's slides in order, read from the pack file."""
    from app.content import workshops

    return [slide.title for slide in workshops().pack(PACK).slides]


def _slide_number(title: str) -> int:
    """The 1-based number of the pack's slide with this title."""
    return _slide_titles().index(title) + 1


def _answer(row: WorkshopSession, **answers) -> None:
    """Store one parent's answers directly."""
    service.record_feedback(row, answers)


@pytest.mark.parametrize("who", ["pupil.y8", "parent"])
@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_refuse_pupils_and_parents(demo_school, login_as, who, path):
    client = login_as(who)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_ask_strangers_to_sign_in(demo_school, client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_every_staff_workshop_page_is_guarded_by_its_blueprint(app, demo_school, login_as):
    """Any GET route of the staff blueprint, a new one too: strangers sign in, parents get 403."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("workshops.")]
    urls = [re.sub(r"<(?:\w+:)?\w+>", "1", r.rule) for r in rules if "GET" in (r.methods or ())]
    assert len(urls) >= len(STAFF_PAGES)
    for url in urls:
        response = app.test_client().get(url)
        assert response.status_code == 302 and "/sign-in" in response.headers["Location"], url
    parent = login_as("parent")
    for url in urls:
        assert parent.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["teacher", "coordinator", "admin"])
def test_staff_see_the_packs(demo_school, login_as, who):
    page = login_as(who).get("/workshops/").get_data(as_text=True)
    assert "Keeping children safe online (ages 4 to 11)" in page
    assert "Your teenager online (ages 11 to 18)" in page
    assert "Sharing images and sextortion" in page


def test_the_facilitator_page_has_timings_safeguarding_and_links(demo_school, login_as):
    page = login_as("teacher").get(f"/workshops/{PACK}").get_data(as_text=True)
    assert "Running order" in page and "<caption" in page
    assert "51 min" in page  # the last activity starts 51 minutes in
    assert "If a parent tells you something" in page and "Never look at" in page
    assert f'href="/workshops/{PACK}/slides/1"' in page
    assert f'href="/workshops/{PACK}/handout"' in page
    assert f'action="/workshops/{PACK}/sessions"' in page


def test_unknown_pack_is_404(demo_school, login_as):
    client = login_as("teacher")
    assert client.get("/workshops/no-such-pack").status_code == 404
    assert client.get(f"/workshops/{PACK}/slides/99").status_code == 404


def test_a_slide_shows_on_screen_text_and_keeps_notes_apart(demo_school, login_as):
    client = login_as("teacher")
    number = _slide_number("What to say to your child")
    page = client.get(f"/workshops/{PACK}/slides/{number}").get_data(as_text=True)
    assert "What to say to your child" in page and "You are not in trouble" in page
    assert 'rel="next"' in page and 'rel="prev"' in page
    notes = client.get(f"/workshops/{PACK}/slides/{number}/notes").get_data(as_text=True)
    assert "Read each line slowly" in notes


def test_the_handout_is_public_and_printable(demo_school, client):
    response = client.get(f"/workshops/{PACK}/handout")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Where to get help" in page and "Report Remove" in page and "0800 1111" in page
    assert "css/workshops.css" in page


def test_the_handout_prints_a_session_feedback_address(demo_school, client):
    row = _session()
    page = client.get(f"/workshops/{PACK}/handout?code={row.code}").get_data(as_text=True)
    assert f"/workshops/feedback/{row.code}" in page
    other = client.get(f"/workshops/primary-parents/handout?code={row.code}")
    assert f"/workshops/feedback/{row.code}" not in other.get_data(as_text=True)  # other pack


def test_running_a_session_gives_a_feedback_address(demo_school, login_as):
    client = login_as("teacher")
    day = school_calendar.today().isoformat()
    response = post(
        client, f"/workshops/{PACK}/sessions", {"held_on": day}, token_from="/workshops/"
    )
    assert response.status_code == 303
    row = db.session.scalar(sa.select(WorkshopSession))
    assert response.headers["Location"] == f"/workshops/sessions/{row.id}"
    assert row.created_by_id == _user("teacher").id and row.pack_id == PACK
    assert re.fullmatch(f"[{service.CODE_ALPHABET}]{{10}}", row.code)
    page = client.get(f"/workshops/sessions/{row.id}").get_data(as_text=True)
    assert f"http://localhost/workshops/feedback/{row.code}" in page
    assert "0 parents have given feedback." in page


@pytest.mark.parametrize(
    ("held_on", "message"),
    [("", "Enter the date of the session."), ("2001-01-01", "within the last year")],
)
def test_a_bad_session_date_is_explained(demo_school, login_as, held_on, message):
    client = login_as("coordinator")
    response = post(client, f"/workshops/{PACK}/sessions", {"held_on": held_on})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(WorkshopSession.id))) == 0


def test_codes_are_unmistakable_and_unique(app):
    codes = {service.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert not set("".join(codes)) & set("01ilo")


def test_the_feedback_form_is_public(demo_school, client):
    row = _session()
    page = client.get(f"/workshops/feedback/{row.code}").get_data(as_text=True)
    assert "Sharing images and sextortion" in page and 'name="csrf_token"' in page
    assert 'name="q-useful"' in page and "<textarea" in page
    assert "we do not ask for your name" in page


def test_an_unknown_code_is_404(demo_school, client):
    _session()
    assert client.get("/workshops/feedback/abcdefghjk").status_code == 404
    assert client.get("/workshops/feedback/not-a-real-code-at-all").status_code == 404


def test_a_code_typed_in_capitals_with_spaces_still_works(demo_school, client):
    row = _session()
    typed = f"{row.code[:5].upper()}-{row.code[5:]}"
    assert client.get(f"/workshops/feedback/{typed}").status_code == 200


def test_feedback_is_saved_anonymously(demo_school, client):
    row = _session()
    path = f"/workshops/feedback/{row.code}"
    answers = {"q-useful": "5", "q-knew-report-remove": "no", "q-comments": "Very calm and clear."}
    response = post(client, path, answers, token_from=path)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{path}/thanks"
    saved = db.session.scalar(sa.select(WorkshopFeedback))
    assert saved.answers == {
        "useful": 5,
        "knew-report-remove": "no",
        "comments": "Very calm and clear.",
    }
    assert set(WorkshopFeedback.__table__.columns.keys()) == {
        "id", "session_id", "answers", "submitted_at"
    }  # fmt: skip
    assert "Thank you for your feedback" in client.get(f"{path}/thanks").get_data(as_text=True)


def test_a_signed_in_parent_can_answer_without_being_recorded(demo_school, login_as):
    row = _session()
    client = login_as("parent")
    path = f"/workshops/feedback/{row.code}"
    assert post(client, path, {"q-useful": "4"}, token_from=path).status_code == 303
    assert db.session.scalar(sa.select(WorkshopFeedback)).answers == {"useful": 4}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"q-useful": "6", "q-comments": "kept"}, "Choose a number from 1 to 5."),
        ({"q-knew-report-remove": "maybe", "q-comments": "kept"}, "Choose one of the answers."),
        ({"q-comments": "x" * 1001, "q-useful": "3"}, "under 1000 characters (it has 1001)"),
        ({"q-comments": "   "}, "Answer at least one question"),
    ],
)
def test_bad_answers_are_explained_and_nothing_typed_is_lost(demo_school, client, answers, message):
    row = _session()
    path = f"/workshops/feedback/{row.code}"
    response = post(client, path, answers, token_from=path)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    if "q-useful" in answers and answers["q-useful"] in "12345":
        assert f'value="{answers["q-useful"]}" checked' in page
    if answers.get("q-comments", "").strip():
        assert answers["q-comments"] in page
    assert db.session.scalar(sa.select(sa.func.count(WorkshopFeedback.id))) == 0


def test_feedback_without_a_csrf_token_is_refused(demo_school, client):
    row = _session()
    csrf_token(client, f"/workshops/feedback/{row.code}")
    response = client.post(f"/workshops/feedback/{row.code}", data={"q-useful": "5"})
    assert response.status_code == 400


def test_the_coordinator_reads_the_results(demo_school, login_as):
    row = _session("teacher")
    _answer(row, useful=5, **{"knew-report-remove": "yes"}, comments="Really helpful")
    _answer(row, useful=4, **{"knew-report-remove": "no"})
    _answer(row, useful=4, comments="=HYPERLINK(1)")
    client = login_as("coordinator")
    listing = client.get("/workshops/sessions").get_data(as_text=True)
    assert "Sharing images and sextortion" in listing and ">3</td>" in listing
    page = client.get(f"/workshops/sessions/{row.id}").get_data(as_text=True)
    assert "3 parents have given feedback." in page
    assert "Average 4.3 out of 5, from 3 answers" in page
    assert "Really helpful" in page
    assert re.search(r"<th scope=\"row\">Yes</th><td class=\"num\">1</td>", page)
    csv_response = client.get(f"/workshops/sessions/{row.id}/feedback.csv")
    assert csv_response.mimetype == "text/csv"
    lines = csv_response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("Sent (UTC),How useful was this session for you?")
    assert len(lines) == 4 and ",Yes," in lines[1]
    assert "'=HYPERLINK(1)" in lines[3]


def test_a_teacher_sees_only_the_sessions_they_ran(demo_school, login_as):
    theirs, not_theirs = _session("teacher"), _session("coordinator")
    client = login_as("teacher")
    assert client.get(f"/workshops/sessions/{theirs.id}").status_code == 200
    assert client.get(f"/workshops/sessions/{not_theirs.id}").status_code == 404
    assert client.get(f"/workshops/sessions/{not_theirs.id}/feedback.csv").status_code == 404
    listing = client.get("/workshops/sessions").get_data(as_text=True)
    assert f"/workshops/sessions/{theirs.id}" in listing
    assert f"/workshops/sessions/{not_theirs.id}" not in listing


def test_another_schools_session_is_404(demo_school, login_as):
    other = factories.school("Other School")
    stranger = factories.user(other, Role.COORDINATOR, username="other.coordinator")
    from app.content import workshops

    row = service.start_session(stranger, workshops().pack(PACK), date.today())
    client = login_as("coordinator")
    for path in (f"/workshops/sessions/{row.id}", f"/workshops/sessions/{row.id}/feedback.csv"):
        assert client.get(path).status_code == 404
    assert client.get(f"/workshops/{PACK}/slides/1?session={row.id}").status_code == 404
    assert f"/workshops/sessions/{row.id}" not in client.get("/workshops/sessions").get_data(
        as_text=True
    )


def test_slides_for_a_session_end_with_its_feedback_address(demo_school, login_as):
    row = _session("coordinator")
    client = login_as("coordinator")
    last_slide = f"/workshops/{PACK}/slides/{len(_slide_titles())}?session={row.id}"
    last = client.get(last_slide).get_data(as_text=True)
    assert f"http://localhost/workshops/feedback/{row.code}" in last
    first = client.get(f"/workshops/{PACK}/slides/1?session={row.id}").get_data(as_text=True)
    assert f"/workshops/{PACK}/slides/2?session={row.id}" in first
    wrong_pack = client.get(f"/workshops/primary-parents/slides/1?session={row.id}")
    assert wrong_pack.status_code == 404


def test_session_dates_are_checked_against_today():
    today = date(2026, 3, 10)
    assert service.date_problem(today, today) is None
    assert service.date_problem(today + timedelta(days=400), today)
    assert service.date_problem(today - timedelta(days=400), today)


def test_opening_feedback_forms_too_often_says_how_long_to_wait(client, demo_school):
    for _ in range(60):
        client.get("/workshops/feedback/NOPE1234")
    limited = client.get("/workshops/feedback/NOPE1234")
    assert limited.status_code == 429
    page = limited.get_data(as_text=True)
    assert "Please wait 1 minute, then try again." in page
    assert "sign in" not in page.split("<main", 1)[1].split("</main>", 1)[0]

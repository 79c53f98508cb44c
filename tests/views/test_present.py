"""Present mode: every slide kind, reveals, notes, mark as taught, the AUP introduction, access."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import current_app
from markupsafe import Markup

from app.content import aups, lessons
from app.content.kinds import ExplainStep, Image
from app.extensions import db
from app.models import AupIntroduction, Role, SchoolClass, TaughtLesson, User
from app.present.deck import fragment
from app.present.lesson_deck import HELP_WORDS, SLIDE_WORDS, lesson_slides
from app.services import school_calendar, school_settings
from tests import factories
from tests.conftest import post

LESSON = "ks2-bullying-1"
BASE = f"/present/lesson/{LESSON}"


def _class(name: str) -> SchoolClass:
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _slide_count(lesson_id: str = LESSON) -> int:
    """How many slides the lesson's deck has (an explanation or help list may take several)."""
    with current_app.test_request_context():
        lesson = lessons().find(lesson_id)
        return len(lesson_slides(lesson, lessons().quiz_for(lesson_id)))


def _taught_count() -> int:
    """Lessons taught so far (the demo school already has a year of them)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(TaughtLesson))


def _last() -> str:
    return f"{BASE}/{_slide_count()}"


def _mark(client, class_id, day, lesson_url=BASE):
    return post(
        client,
        f"{lesson_url}/taught",
        {"class_id": str(class_id), "taught_on": day},
        token_from=f"{lesson_url}/1",
    )


def test_lesson_starts_at_slide_one_and_pages_through_every_kind(client, login_as, demo_school):
    login_as("teacher")
    assert client.get(BASE).headers["Location"] == f"{BASE}/1"
    lesson = lessons().find(LESSON)
    seen_kinds = set()
    for n in range(1, _slide_count() + 1):
        response = client.get(f"{BASE}/{n}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert f"Slide {n} of {_slide_count()}" in page
        assert ('rel="prev"' in page) == (n > 1)
        assert ('rel="next"' in page) == (n < _slide_count())
        seen_kinds.update(kind for kind in ("explain", "scenario", "sort", "true_false", "question")
                          if f"slide--{kind}" in page)  # fmt: skip
    assert seen_kinds == {"explain", "scenario", "sort", "true_false", "question"}
    first = client.get(f"{BASE}/1").get_data(as_text=True)
    assert lesson.objectives[0] in first
    assert client.get(f"{BASE}/{_slide_count() + 1}").status_code == 404
    assert client.get(f"{BASE}/0").status_code == 404
    assert client.get("/present/lesson/no-such-lesson/1").status_code == 404


def _slide_with(client, kind: str) -> str:
    return client.get(_url_of(client, kind)).get_data(as_text=True)


def _url_of(client, kind: str) -> str:
    """The URL of the lesson's first slide of a kind."""
    for n in range(1, _slide_count() + 1):
        page = client.get(f"{BASE}/{n}").get_data(as_text=True)
        if f"slide--{kind}" in page:
            return f"{BASE}/{n}"
    raise AssertionError(kind)


def _text(value: str) -> str:
    """Text as the page escapes it."""
    return value.replace("'", "&#39;").replace('"', "&#34;")


def test_a_scenario_reveals_one_outcome_at_a_time_each_at_its_own_url(
    client, login_as, demo_school
):
    login_as("teacher")
    url = _url_of(client, "scenario")
    n = int(url.rsplit("/", 1)[1])
    step = next(s for s in lessons().find(LESSON).steps if s.kind == "scenario")
    closed = client.get(url).get_data(as_text=True)
    slide = closed.split('<article class="slide')[1].split("</article>")[0]
    assert "Reveal what happens" in slide and "<form" not in slide  # the class discusses
    for choice in step.choices:
        assert _text(choice.text) in closed and _text(choice.feedback) not in closed
    # Next reveals the first outcome; each outcome has a plain link of its own
    assert f'rel="next" href="{url}?reveal=1"' in closed
    for k in range(1, len(step.choices) + 1):
        assert f'href="{url}?reveal={k}"' in closed
    for k, choice in enumerate(step.choices, start=1):
        shown = client.get(f"{url}?reveal={k}").get_data(as_text=True)
        assert _text(choice.feedback) in shown and 'id="revealed"' in shown
        others = [c for c in step.choices if c is not choice]
        assert not any(_text(other.feedback) in shown for other in others)
        assert 'aria-current="true">' + "ABCD"[k - 1] + "</a>" in shown
        back = f"{url}?reveal={k - 1}" if k > 1 else url
        assert f'rel="prev" href="{back}"' in shown  # Previous steps back through the reveals
    last = client.get(f"{url}?reveal={len(step.choices)}").get_data(as_text=True)
    assert f'rel="next" href="{BASE}/{n + 1}"' in last and "Good choice" in last
    assert f'href="{url}">Hide the answers' in last
    assert client.get(f"{url}?reveal={len(step.choices) + 1}").status_code == 404
    assert client.get(f"{url}?reveal=junk").status_code == 200  # shown as it opens
    assert client.get(f"{BASE}/1?reveal=1").status_code == 404  # the title has nothing to reveal


def test_quiz_question_slide_reveals_each_right_answer(client, login_as, demo_school):
    login_as("teacher")
    url = _url_of(client, "question")
    page = client.get(url).get_data(as_text=True)
    assert "Reveal the answer" in page and "is right:" not in page
    assert "Quiz: question 1 of" in page
    assert "is right:" in client.get(f"{url}?reveal=1").get_data(as_text=True)


def test_sort_and_true_false_reveal_one_card_or_statement_at_a_time(client, login_as, demo_school):
    login_as("teacher")
    lesson = lessons().find(LESSON)
    sort = next(step for step in lesson.steps if step.kind == "sort")
    url = _url_of(client, "sort")
    closed = client.get(url).get_data(as_text=True)
    assert "Reveal the groups" in closed
    assert all(_text(group.label) in closed for group in sort.groups)
    second = client.get(f"{url}?reveal=2").get_data(as_text=True)
    assert _text(sort.items[1].feedback) in second and _text(sort.items[0].feedback) not in second
    true_false = next(step for step in lesson.steps if step.kind == "true_false")
    url = _url_of(client, "true_false")
    assert "Reveal the answers" in client.get(url).get_data(as_text=True)
    first = client.get(f"{url}?reveal=1").get_data(as_text=True)
    verdict = "1: true." if true_false.statements[0].answer else "1: false."
    assert verdict in first and _text(true_false.statements[0].feedback) in first


def test_a_long_explanation_and_help_list_go_on_to_numbered_slides(app):
    with app.test_request_context():
        lesson = lessons().find(LESSON)
        paragraphs = [f"Paragraph {n} " + "word " * 50 for n in range(1, 6)]
        step = ExplainStep(id="long", kind="explain", title="Long", body="\n\n".join(paragraphs))
        routes = [lesson.help[0].model_copy(update={"name": f"Route {n}"}) for n in range(1, 9)]
        longer = lesson.model_copy(update={"steps": [step, *lesson.steps[1:]], "help": routes})
        slides = lesson_slides(longer, lessons().quiz_for(LESSON))
        explains = [slide for slide in slides if slide.title.startswith("Long")]
        helps = [slide for slide in slides if slide.kind == "help"]
        assert len(explains) >= 2 and explains[0].title == f"Long (1 of {len(explains)})"
        shown = Markup("").join(slide.body_html() for slide in explains)
        assert all(shown.count(f"Paragraph {n} ") == 1 for n in range(1, 6))  # none lost or cut
        for slide in explains:
            assert len(str(slide.body_html()).split()) <= SLIDE_WORDS * 1.5
        last = f"Where to get help ({len(helps)} of {len(helps)})"
        assert len(helps) >= 2 and helps[-1].title == last
        listed = Markup("").join(slide.body_html() for slide in helps)
        assert all(listed.count(f"Route {n}:") == 1 for n in range(1, 9))
        assert HELP_WORDS < SLIDE_WORDS  # the last help slide shares the screen with a form


def test_each_slide_kinds_notes_give_the_presenter_its_answers(client, login_as, demo_school):
    login_as("teacher")
    lesson = lessons().find(LESSON)
    scenario = next(step for step in lesson.steps if step.kind == "scenario")
    good = next(choice for choice in scenario.choices if choice.outcome == "good")
    assert f"Best choice: {good.text}".replace("'", "&#39;") in _slide_with(client, "scenario")
    assert "True: " in _slide_with(client, "true_false")
    assert "Right answer: " in _slide_with(client, "question")
    led = next(
        choice for step in lesson.steps for choice in getattr(step, "choices", ()) if choice.next
    )
    title = _text(next(step.title for step in lesson.steps if step.id == led.next))
    pages = (client.get(f"{BASE}/{n}").get_data(as_text=True) for n in range(1, _slide_count()))
    page = next(page for page in pages if f'class="slide__title">{title}' in page)
    assert "this follows the choice: " in page and led.text.replace("'", "&#39;") in page


def test_notes_panel_and_notes_window_show_the_teacher_notes(client, login_as, demo_school):
    login_as("teacher")
    lesson = lessons().find(LESSON)
    page = client.get(f"{BASE}/2").get_data(as_text=True)
    assert '<details class="deck-notes">' in page
    assert f'href="{BASE}/2/notes" target="_blank" rel="noopener"' in page
    notes = client.get(f"{BASE}/2/notes")
    assert notes.status_code == 200
    text = notes.get_data(as_text=True)
    assert "Safeguarding" in text and "Discussion prompts" in text
    assert lesson.teacher_notes.discussion[0].replace("'", "&#39;") in text
    assert f'href="{BASE}/3/notes"' in text and f'data-follow-deck="{BASE}/1"' in text


def test_mark_as_taught_records_once_and_says_so_kindly(client, login_as, demo_school):
    login_as("teacher")
    before = _taught_count()
    today = school_calendar.today().isoformat()
    last = client.get(_last()).get_data(as_text=True)
    assert "Mark as taught" in last and f'value="{today}"' in last
    four_b = _class("4B")
    first = _mark(client, four_b.id, today)
    assert first.status_code == 303 and first.headers["Location"].startswith(_last())
    confirmed = client.get(_last()).get_data(as_text=True)
    assert "Marked as taught to 4B on" in confirmed
    again = _mark(client, four_b.id, today)
    assert again.status_code == 303
    assert "already marked as taught to 4B" in client.get(_last()).get_data(as_text=True)
    assert _taught_count() == before + 1
    row = db.session.scalar(sa.select(TaughtLesson).order_by(TaughtLesson.id.desc()).limit(1))
    assert (row.class_id, row.lesson_id, row.taught_on) == (
        four_b.id,
        LESSON,
        school_calendar.today(),
    )
    assert row.lesson_version == lessons().find(LESSON).version


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("tomorrow", "cannot be in the future"),  # worked out when the test runs, not collected
        ("1999-09-01", "cannot be before this school year began"),
        ("", "Enter the date you taught this lesson."),
        ("not-a-date", "Not a valid date value"),
    ],
)
def test_a_bad_date_re_renders_the_form_with_a_message(client, login_as, demo_school, day, message):
    login_as("teacher")
    before = _taught_count()
    if day == "tomorrow":  # a run that crosses midnight must still send a day in the future
        day = (school_calendar.today() + timedelta(days=1)).isoformat()
    response = _mark(client, _class("4B").id, day)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page and "<select" in page
    assert _taught_count() == before


def test_marking_a_class_that_is_not_yours_or_not_your_schools_is_refused(
    client, login_as, demo_school
):
    other_school = factories.school()
    elsewhere = factories.school_class(other_school, "4Z", 4)
    login_as("teacher")
    before = _taught_count()
    today = school_calendar.today().isoformat()
    assert _mark(client, _class("6B").id, today).status_code == 403
    assert _mark(client, elsewhere.id, today).status_code == 404
    assert _mark(client, 999_999, today).status_code == 404
    assert _mark(client, "4B", today).status_code == 400
    assert _taught_count() == before


def test_a_coordinator_may_mark_any_class_of_their_school(client, login_as, demo_school):
    login_as("coordinator")
    assert _mark(client, _class("6B").id, school_calendar.today().isoformat()).status_code == 303
    latest = sa.select(TaughtLesson.class_id).order_by(TaughtLesson.id.desc()).limit(1)
    assert db.session.scalar(latest) == _class("6B").id


def test_the_class_list_offers_only_the_teachers_classes(client, login_as, demo_school):
    login_as("teacher")
    page = client.get(_last()).get_data(as_text=True)
    assert ">4B</option>" in page and ">8C</option>" in page and ">6B</option>" not in page


def _urls(class_id: int) -> list[tuple[str, str]]:
    return [
        ("get", BASE),
        ("get", f"{BASE}/1"),
        ("get", f"{BASE}/1/notes"),
        ("post", f"{BASE}/taught"),
        ("get", f"/present/aup/{class_id}"),
        ("get", f"/present/aup/{class_id}/1"),
        ("get", f"/present/aup/{class_id}/1/notes"),
        ("post", f"/present/aup/{class_id}/introduced"),
    ]


@pytest.mark.parametrize("username", ["pupil.y4", "parent", "visitor"])
def test_pupils_parents_and_visitors_are_refused_every_present_url(
    client, login_as, demo_school, username
):
    login_as(username)
    token_page = "/pupil/" if username == "pupil.y4" else "/"
    for method, url in _urls(_class("4B").id):
        if method == "get":
            assert client.get(url).status_code == 403, url
        else:
            assert post(client, url, {"class_id": "1"}, token_from=token_page).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, demo_school):
    response = client.get(f"{BASE}/1")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_aup_urls_refuse_a_colleagues_class_and_another_schools(client, login_as, demo_school):
    elsewhere = factories.school_class(factories.school(), "4Z", 4)
    login_as("teacher")
    for cls, status in ((_class("6B"), 403), (elsewhere, 404)):
        for method, url in _urls(cls.id)[4:]:
            if method == "get":
                assert client.get(url).status_code == status, url
            else:
                assert post(client, url, token_from=BASE + "/1").status_code == status, url
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AupIntroduction)) == 0


def test_ks1_aup_has_one_promise_per_slide_with_its_icon(client, login_as, demo_school):
    login_as("coordinator")
    aup = aups().get("ks1")
    one_a = _class("1A")
    assert client.get(f"/present/aup/{one_a.id}").headers["Location"].endswith("/1")
    title = client.get(f"/present/aup/{one_a.id}/1").get_data(as_text=True)
    assert aup.intro in title
    promise = client.get(f"/present/aup/{one_a.id}/2").get_data(as_text=True)
    first = aup.statements[0]
    assert first.text in promise and f"img/aup/{first.icon}.svg" in promise
    total = len(aup.statements) + 2
    assert f"Slide 2 of {total}" in promise
    assert client.get(f"/present/aup/{one_a.id}/{total + 1}").status_code == 404


def test_the_year_start_prompt_disappears_once_the_aup_is_introduced(client, login_as, demo_school):
    login_as("teacher")
    four_b = _class("4B")
    home = client.get("/teacher/").get_data(as_text=True)
    assert "introduce the AUP to 4B" in home and "introduce the AUP to 8C" in home
    assert f'href="/present/aup/{four_b.id}"' in home
    last_url = f"/present/aup/{four_b.id}/{len(aups().get('ks2').statements) + 2}"
    last = client.get(last_url).get_data(as_text=True)
    assert "Record that 4B was introduced to the AUP today" in last
    done = post(client, f"/present/aup/{four_b.id}/introduced", token_from="/teacher/")
    assert done.status_code == 303 and done.headers["Location"] == "/teacher/"
    home = client.get("/teacher/").get_data(as_text=True)
    assert "4B was introduced to the AUP on" in home
    assert "introduce the AUP to 4B" not in home and "introduce the AUP to 8C" in home
    row = db.session.scalar(sa.select(AupIntroduction))
    assert (row.class_id, row.audience, row.aup_id) == (four_b.id, "ks2", aups().get("ks2").id)
    assert (
        row.aup_version == aups().get("ks2").version
        and row.introduced_on == school_calendar.today()
    )
    post(client, f"/present/aup/{four_b.id}/introduced", token_from="/teacher/")
    assert "Already recorded" in client.get("/teacher/").get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AupIntroduction)) == 1
    assert "was recorded on" in client.get(last_url).get_data(as_text=True)


def test_last_years_introduction_does_not_count_this_year(client, login_as, demo_school):
    four_b = _class("4B")
    start = school_calendar.year_start(four_b.school, school_calendar.today())
    db.session.add(
        AupIntroduction(
            school_id=four_b.school_id, class_id=four_b.id, audience="ks2", aup_id="aup-ks2",
            aup_version="old", introduced_on=start - timedelta(days=1),
        )
    )  # fmt: skip
    login_as("teacher")
    assert "introduce the AUP to 4B" in client.get("/teacher/").get_data(as_text=True)


def test_coordinators_see_no_prompt_for_classes_they_do_not_teach(client, login_as, demo_school):
    login_as("coordinator")
    assert "introduce the AUP" not in client.get("/teacher/").get_data(as_text=True)


def test_a_teacher_in_another_school_cannot_present_this_schools_aup(client, login_as, app):
    home = factories.school()
    factories.user(home, Role.TEACHER, username="t.other")
    demo_class = factories.school_class(factories.school(), "4Q", 4)
    db.session.commit()
    login_as("t.other", factories.PASSWORD)
    assert client.get(f"/present/aup/{demo_class.id}/1").status_code == 404
    assert client.get(f"{BASE}/1").status_code == 200  # any lesson, but no class of theirs
    assert "no classes to record" in client.get(f"{BASE}/{_slide_count()}").get_data(as_text=True)


def test_an_explain_slide_shows_its_picture_with_alt_text(app):
    step = ExplainStep(
        id="a-picture", kind="explain", title="Look", body="One paragraph.",
        image=Image(src="example.svg", alt="Two friends looking at a tablet"),
    )  # fmt: skip
    with app.test_request_context():
        body = fragment("present/slides/_explain.html", step=step)
    assert 'img/lessons/example.svg" alt="Two friends looking at a tablet"' in body
    assert "<p>One paragraph.</p>" in body


def test_present_mode_shows_the_school_s_own_published_aup(client, login_as, demo_school):
    today = school_calendar.today()
    coordinator = db.session.scalar(sa.select(User).where(User.username == "coordinator"))
    draft = school_settings.draft_from(aups().get("ks2"), today)
    draft = replace(draft, version="oak-1", intro="Our own words for our pupils.")
    assert school_settings.publish(demo_school, draft, coordinator, today)[1] == []
    login_as("teacher")
    four_b = _class("4B")
    title = client.get(f"/present/aup/{four_b.id}/1").get_data(as_text=True)
    assert "Our own words for our pupils." in title
    assert aups().get("ks2").intro not in title
    post(client, f"/present/aup/{four_b.id}/introduced", token_from="/teacher/")
    row = db.session.scalar(sa.select(AupIntroduction))
    assert (row.class_id, row.aup_version) == (four_b.id, "oak-1")

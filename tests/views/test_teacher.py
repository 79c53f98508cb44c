"""Teachers: browsing the curriculum, building and assigning modules, and what pupils then see."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.content import lessons
from app.extensions import db
from app.models import LessonProgress, SchoolClass, StepResponse
from app.models.teaching import Assignment, Module, TaughtLesson
from app.services import school_calendar
from tests import factories
from tests.conftest import post

ASSIGN = "/teacher/assign?preset=ks2/bullying"
BULLYING_TITLE = "Joke, falling out or bullying?"


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _class(name: str) -> SchoolClass:
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _ours(model):
    """Rows of model a test made (the demo school comes with a year of activity already)."""
    query = sa.select(model)
    if model is Assignment:
        query = query.where(sa.or_(Assignment.class_id == _class("4B").id, Assignment.year == 4))
    if model is Module:
        query = query.where(sa.or_(Module.preset.is_not(None), Module.title.like("Trust%")))
    return list(db.session.scalars(query))


def _results_heading(count: int) -> str:
    """The curriculum results heading for this many lessons, counted from the content files."""
    return f'<h2 id="results-title">{count} lesson{"" if count == 1 else "s"}</h2>'


def _assign(client, target: str, url: str = ASSIGN, **fields):
    return post(client, url, {"target": target, **fields}, token_from=url)


def test_curriculum_lists_every_lesson_and_filters_without_js(client, login_as, demo_school):
    login_as("teacher")
    every = len(lessons().lessons())
    page = client.get("/teacher/curriculum").get_data(as_text=True)
    assert _results_heading(every) in page and 'name="q"' in page
    assert 'hx-get="/teacher/curriculum"' in page
    ks2_grooming = [lesson for lesson in lessons().by_band("ks2") if lesson.topic == "grooming"]
    found = client.get("/teacher/curriculum?band=ks2&topic=grooming").get_data(as_text=True)
    assert 0 < len(ks2_grooming) < every and _results_heading(len(ks2_grooming)) in found
    assert all(f"/teacher/curriculum/{lesson.id}" in found for lesson in ks2_grooming)
    assert "/teacher/curriculum/ks3-grooming-1" not in found
    none = client.get("/teacher/curriculum?q=zzzz-nothing").get_data(as_text=True)
    assert "No lessons match" in none
    assert client.get("/teacher/curriculum?band=<script>").status_code == 200


def test_curriculum_answers_htmx_with_just_the_results(client, login_as, demo_school):
    login_as("teacher")
    part = client.get("/teacher/curriculum?band=ks4", headers={"HX-Request": "true"})
    text = part.get_data(as_text=True)
    ks4 = len(lessons().by_band("ks4"))
    assert 'id="lesson-results"' in text and "<html" not in text and _results_heading(ks4) in text


def test_lesson_page_shows_teacher_notes_answers_and_misconceptions(client, login_as, demo_school):
    login_as("teacher")
    page = client.get("/teacher/curriculum/ks2-grooming-1").get_data(as_text=True)
    for text in ("Teacher notes", "Safeguarding note", "Discussion prompts", "Prior learning"):
        assert text in page
    assert "Misconception: Believes people online are who they say" in page
    assert "Right answer:" in page and "Preview as pupils see it" in page
    assert client.get("/teacher/curriculum/no-such-lesson").status_code == 404


def test_every_lesson_page_shows_the_safe_learning_block(client, login_as, demo_school):
    login_as("teacher")
    for lesson_id in ("ks1-bullying-1", "ks3-copyright-1", "sixth-form-wellbeing-1"):
        page = client.get(f"/teacher/curriculum/{lesson_id}").get_data(as_text=True)
        assert "If a pupil tells you something" in page
        assert "always before the pupil leaves school" in page
        assert "I can&#39;t keep this just between us" in page
        assert "do not leave them alone" in page
        for heading in ("A safe learning environment", "Anonymous question box", "SEND"):
            assert heading in page
        assert "the same day" not in page


def test_preview_shows_the_pupil_step_read_only_and_records_nothing(client, login_as, demo_school):
    before = (_count(LessonProgress), _count(StepResponse))
    login_as("teacher")
    page = client.get("/teacher/curriculum/ks2-grooming-1/preview/maya-game").get_data(as_text=True)
    assert 'class="choice-button"' in page and '<fieldset class="preview-frame" disabled>' in page
    assert "Nothing you do here is recorded" in page
    quiz = client.get("/teacher/curriculum/ks2-grooming-1/preview/quiz").get_data(as_text=True)
    assert "Hand in my quiz" in quiz
    assert client.get("/teacher/curriculum/ks2-grooming-1/preview/nope").status_code == 404
    assert (_count(LessonProgress), _count(StepResponse)) == before


def test_assigning_a_ready_made_module_saves_it_once_and_the_pupil_sees_it_first(
    client, login_as, demo_school
):
    login_as("teacher")
    due = (school_calendar.today() + timedelta(days=7)).isoformat()
    response = _assign(client, f"class:{_class('4B').id}", due_on=due, message="Before Friday")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/teacher/classes/{_class('4B').id}"
    again = _assign(client, f"class:{_class('8C').id}")
    assert again.status_code == 303
    assert len(_ours(Module)) == 1
    post(client, "/sign-out", token_from="/teacher/")
    login_as("pupil.y4")
    page = client.get("/pupil/").get_data(as_text=True)
    assert page.index("Set by your teacher") < page.index("More lessons for Year 4")
    assert page.index(BULLYING_TITLE) < page.index("More lessons for Year 4")
    assert "Before Friday" in page and page.count('href="/pupil/lessons/ks2-bullying-1"') == 1


def test_a_duplicate_is_refused_with_a_clear_message(client, login_as, demo_school):
    login_as("teacher")
    target = f"class:{_class('4B').id}"
    assert _assign(client, target).status_code == 303
    page = _assign(client, target).get_data(as_text=True)
    assert "This module is already set for them." in page
    assert len(_ours(Assignment)) == 1


def test_bad_due_dates_and_long_messages_are_explained_and_kept(client, login_as, demo_school):
    login_as("teacher")
    target = f"class:{_class('4B').id}"
    past = (school_calendar.today() - timedelta(days=1)).isoformat()
    page = _assign(client, target, due_on=past, message="Keep me").get_data(as_text=True)
    assert "The due date cannot be in the past." in page and "Keep me" in page
    page = _assign(client, target, message="x" * 501).get_data(as_text=True)
    assert "500 characters or fewer" in page
    page = _assign(client, target, due_on="not-a-date").get_data(as_text=True)
    assert "field__error" in page
    assert _ours(Assignment) == [] and _ours(Module) == []


def test_tampered_targets_are_refused(client, login_as, demo_school):
    login_as("teacher")
    assert _assign(client, f"class:{_class('5A').id}").status_code == 400  # not their class
    assert _assign(client, "year:5").status_code == 400  # a year they do not teach
    assert _assign(client, "class:abc").status_code == 400
    assert client.get("/teacher/assign?preset=ks9/nothing").status_code == 404
    assert client.get("/teacher/assign?module=999999").status_code == 404


def test_a_year_group_assignment_reaches_every_class_in_it(client, login_as, demo_school):
    login_as("teacher")
    assert _assign(client, "year:4").status_code == 303
    (row,) = _ours(Assignment)
    assert row.year == 4 and row.class_id is None
    page = client.get(f"/teacher/classes/{_class('4B').id}").get_data(as_text=True)
    assert "Set for all of Year 4" in page


def test_cross_band_lessons_carry_a_gentle_note_and_pupils_may_open_them(
    client, login_as, demo_school
):
    login_as("teacher")
    response = _assign(
        client, f"class:{_class('4B').id}", url="/teacher/assign?preset=ks3/bullying"
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is for Key Stage 3; your class is Year 4." in page
    post(client, "/sign-out", token_from="/teacher/")
    login_as("pupil.y4")
    assert client.get("/pupil/lessons/ks3-bullying-1").status_code == 303
    assert client.get("/pupil/lessons/ks3-copyright-1").status_code == 404


def test_change_and_withdraw_keep_the_row(client, login_as, demo_school):
    login_as("teacher")
    _assign(client, f"class:{_class('4B').id}")
    (row,) = _ours(Assignment)
    url = f"/teacher/assignments/{row.id}"
    later = (school_calendar.today() + timedelta(days=3)).isoformat()
    assert post(client, url, {"due_on": later, "message": "New"}, token_from=url).status_code == 303
    db.session.refresh(row)
    assert row.due_on == date.fromisoformat(later) and row.message == "New"
    assert post(client, f"{url}/withdraw", token_from=url).status_code == 303
    db.session.refresh(row)
    assert row.withdrawn_at is not None
    post(client, "/sign-out", token_from="/teacher/")
    login_as("pupil.y4")
    assert "Set by your teacher" not in client.get("/pupil/").get_data(as_text=True)


def test_teachers_build_and_edit_their_own_module_in_order(client, login_as, demo_school):
    login_as("teacher")
    data = {"title": "Trust online", "lessons": ["ks3-grooming-1", "ks2-bullying-1"]}
    response = post(client, "/teacher/modules/new", data, token_from="/teacher/modules/new")
    assert response.status_code == 303
    (module,) = _ours(Module)
    assert module.lesson_ids == ["ks3-grooming-1", "ks2-bullying-1"]
    edit = f"/teacher/modules/{module.id}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert page.index('value="ks3-grooming-1" checked') < page.index(
        'value="ks2-bullying-1" checked'
    )
    data = {"title": "Trust", "lessons": ["ks2-bullying-1", "ks1-grooming-1"]}
    assert post(client, edit, data, token_from=edit).status_code == 303
    db.session.refresh(module)
    assert module.title == "Trust" and module.lesson_ids == ["ks2-bullying-1", "ks1-grooming-1"]
    empty = post(client, edit, {"title": "Trust"}, token_from=edit).get_data(as_text=True)
    assert "Choose at least one lesson." in empty
    bad = post(client, edit, {"title": "T", "lessons": ["nope"]}, token_from=edit)
    assert "not in the curriculum" in bad.get_data(as_text=True)


def test_class_page_shows_pupils_assignments_and_lessons_taught(client, login_as, demo_school):
    cls = _class("4B")
    db.session.add(
        TaughtLesson(school_id=cls.school_id, class_id=cls.id, lesson_id="ks2-bullying-1",
                     lesson_version=1, taught_on=date(2025, 10, 2))
    )  # fmt: skip
    login_as("teacher")
    page = client.get(f"/teacher/classes/{cls.id}").get_data(as_text=True)
    assert "Ben C." in page and "Taught on 2 October 2025" in page
    assert "Nothing is set for this class yet" in page
    post(client, "/sign-out", token_from="/teacher/")
    login_as("pupil.y4")
    assert "Taught in class on 2 October 2025" in client.get("/pupil/").get_data(as_text=True)


def test_grid_sorts_refreshes_with_htmx_and_exports_safe_csv(client, login_as, demo_school):
    cls = _class("4B")
    evil = factories.user(demo_school, display_name="=HYPERLINK(1)")
    cls.pupils.append(evil)
    login_as("teacher")
    _assign(client, f"class:{cls.id}")
    page = client.get(f"/teacher/classes/{cls.id}?sort=ks2-bullying-1&order=desc")
    text = page.get_data(as_text=True)
    assert 'aria-sort="descending"' in text and 'hx-trigger="every 60s"' in text
    part = client.get(f"/teacher/classes/{cls.id}?sort=name", headers={"HX-Request": "true"})
    assert "<html" not in part.get_data(as_text=True) and 'id="grid"' in part.get_data(as_text=True)
    csv = client.get(f"/teacher/classes/{cls.id}/progress.csv")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    body = csv.get_data(as_text=True)
    assert body.startswith("School,Lantern Demo School") and "Class,4B" in body
    assert "'=HYPERLINK(1)" in body and "\n=HYPERLINK" not in body
    assert "Ben C.,not started," in body


def test_quiz_analysis_shows_first_attempt_share_and_the_top_wrong_answer(
    client, login_as, demo_school
):
    from app.content import lessons
    from app.models import QuizAnswer, QuizAttempt

    current = lessons().content_hash("ks2-grooming-1")  # answers without kept options count
    cls = _class("4B")
    pupils = cls.pupils[:3]
    for n, pupil in enumerate(pupils):
        right = n == 0
        chosen = ["only-what-they-show"] if right else ["really-eleven"]
        db.session.add(
            QuizAttempt(pupil_id=pupil.id, lesson_id="ks2-grooming-1", lesson_version=1,
                        content_hash=current, number=1, score=1, total=5, percent=20,
                        passed=False,
                        answers=[QuizAnswer(question_id="friendly-for-weeks",
                                            chosen=chosen,
                                            correct=right)])
        )  # fmt: skip
    login_as("teacher")
    page = client.get(f"/teacher/classes/{cls.id}/quiz/ks2-grooming-1").get_data(as_text=True)
    assert "33% right first time (1 of 3)" in page
    assert "Wrong answer chosen most (2 pupils):" in page
    assert client.get(f"/teacher/classes/{cls.id}/quiz/nope").status_code == 404


def test_teacher_home_links_to_curriculum_and_class_pages(client, login_as, demo_school):
    login_as("teacher")
    page = client.get("/teacher/").get_data(as_text=True)
    assert 'href="/teacher/curriculum"' in page
    assert f'href="/teacher/classes/{_class("4B").id}"' in page and "0 modules set" in page


def test_a_primary_pupil_sees_a_ready_made_module_in_their_lessons_words(
    client, login_as, app, demo_school
):
    from app.content import lessons
    from app.demo import school as demo
    from tests import factories
    from tests.conftest import agree, sign_in

    for lesson in lessons().by_band("ks2"):  # teacher-led lessons are set once taught to 4B
        if lesson.teacher_led:
            factories.taught(_class("4B"), lesson.id)
    login_as("teacher")
    url = "/teacher/assign?preset=ks2/sharing_nudes"
    assert _assign(client, f"class:{_class('4B').id}", url=url).status_code == 303
    pupil = app.test_client()
    sign_in(pupil, "pupil.y4", demo.DEMO_PASSWORD)
    agree(pupil)
    home = pupil.get("/pupil/").get_data(as_text=True)
    assert "Key Stage 2: My body and private pictures" in home
    assert "Sharing nudes" not in home
    # the teacher's own pages keep the staff name
    assert "Key Stage 2: Sharing nudes and semi-nudes" in client.get("/teacher/modules").get_data(
        as_text=True
    )

"""Teacher-led lessons: taught from the board first, then set as work and opened by pupils."""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import SchoolClass
from app.models.teaching import Assignment
from app.services import school_calendar
from tests.conftest import post

LED = "ks2-grooming-1"
ASSIGN_LED = "/teacher/assign?preset=y5/grooming"  # the Year 5 module: LED alone


def _class(name: str) -> SchoolClass:
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _set_rows() -> list[Assignment]:
    return list(db.session.scalars(sa.select(Assignment).where(Assignment.withdrawn_at.is_(None))))


def _mark_taught(client, lesson_id: str, school_class: SchoolClass):
    """Mark a lesson as taught to a class today, the way the end of present mode does."""
    url = f"/present/lesson/{lesson_id}"
    data = {"class_id": str(school_class.id), "taught_on": school_calendar.today().isoformat()}
    return post(client, f"{url}/taught", data, token_from=url)


def test_a_teacher_cannot_set_a_teacher_led_lesson_until_it_is_taught(
    client, login_as, demo_school
):
    login_as("teacher")
    fox = _class("4B")
    page = client.get(f"{ASSIGN_LED}&class={fox.id}").get_data(as_text=True)
    assert "Teach first" in page and "not yet taught to 4B" in page
    assert f'href="/present/lesson/{LED}"' in page
    refused = post(client, ASSIGN_LED, {"target": f"class:{fox.id}"}, token_from=ASSIGN_LED)
    assert refused.status_code == 200
    text = refused.get_data(as_text=True)
    assert "it is a teacher-led lesson" in text and "Liking someone is not the same" in text
    assert _set_rows() == []
    assert _mark_taught(client, LED, fox).status_code == 303
    page = client.get(f"{ASSIGN_LED}&class={fox.id}").get_data(as_text=True)
    assert "taught to 4B" in page and "not yet taught to 4B" not in page
    done = post(client, ASSIGN_LED, {"target": f"class:{fox.id}"}, token_from=ASSIGN_LED)
    assert done.status_code == 303
    [row] = _set_rows()
    assert row.class_id == fox.id


def test_a_year_group_waits_for_every_class_in_it(client, login_as, demo_school):
    login_as("teacher")
    page = post(client, ASSIGN_LED, {"target": "year:4"}, token_from=ASSIGN_LED)
    assert "it is a teacher-led lesson" in page.get_data(as_text=True)
    assert _set_rows() == []


def test_a_pupil_cannot_open_a_teacher_led_lesson_before_it_is_taught(
    client, login_as, demo_school
):
    login_as("pupil.y4")
    home = client.get("/pupil/").get_data(as_text=True)
    assert "Your teacher will start this lesson with your class" in home
    assert f'href="/pupil/lessons/{LED}"' not in home
    for url in (f"/pupil/lessons/{LED}", f"/pupil/lessons/{LED}/maya-game"):
        response = client.get(url)
        assert response.status_code == 403
        text = response.get_data(as_text=True)
        assert "Your teacher will start this lesson with you" in text
        assert "talk to your teacher or another adult you trust" in text
    answer = post(client, f"/pupil/lessons/{LED}/maya-game", {"answer": "tell"}, "/pupil/")
    assert answer.status_code == 403
    assert client.get("/pupil/lessons/ks2-bullying-1").status_code == 303  # independent work
    post(client, "/sign-out", token_from="/pupil/")
    login_as("teacher")
    _mark_taught(client, LED, _class("4B"))
    post(client, "/sign-out", token_from="/teacher/")
    login_as("pupil.y4")
    assert client.get(f"/pupil/lessons/{LED}").status_code == 303
    assert f'href="/pupil/lessons/{LED}"' in client.get("/pupil/").get_data(as_text=True)


def test_the_lesson_page_says_it_is_teacher_led_and_how_to_lead_it(client, login_as, demo_school):
    login_as("teacher")
    page = client.get(f"/teacher/curriculum/{LED}").get_data(as_text=True)
    assert "Teacher-led lesson." in page and "How to lead this lesson" in page
    independent = client.get("/teacher/curriculum/ks2-bullying-1").get_data(as_text=True)
    assert "Teacher-led lesson." not in independent


# ---- setting a module from a class's page (issue 16 item 5) -----------------------------------


def test_set_a_module_from_a_class_keeps_the_class_and_its_year_group(
    client, login_as, demo_school
):
    login_as("teacher")
    owl = _class("8C")
    class_page = client.get(f"/teacher/classes/{owl.id}").get_data(as_text=True)
    assert f'href="/teacher/modules?class={owl.id}"' in class_page
    page = client.get(f"/teacher/modules?class={owl.id}").get_data(as_text=True)
    assert "Choosing a module for class 8C" in page
    # ready-made modules go by year group: 8C sees Year 8's, not Year 5's or Year 9's
    assert "preset=y8/bullying" in page and "preset=y5/bullying" not in page
    assert "preset=y9/" not in page
    assert f"/teacher/assign?preset=y8/bullying&amp;class={owl.id}" in page
    every = client.get(f"/teacher/modules?class={owl.id}&all=1").get_data(as_text=True)
    assert "preset=y5/bullying" in every
    form = client.get(f"/teacher/assign?preset=y8/bullying&class={owl.id}").get_data(as_text=True)
    assert f'<option selected value="class:{owl.id}">' in form
    assert "Already set for 8C" not in form


def test_a_module_already_set_says_so_before_submitting(client, login_as, demo_school):
    login_as("teacher")
    owl = _class("8C")
    url = f"/teacher/assign?preset=y8/bullying&class={owl.id}"
    assert post(client, url, {"target": f"class:{owl.id}"}, token_from=url).status_code == 303
    form = client.get(url).get_data(as_text=True)
    assert "Already set for 8C" in form
    listing = client.get(f"/teacher/modules?class={owl.id}").get_data(as_text=True)
    assert listing.count("Already set for 8C") == 1


def test_a_class_the_teacher_does_not_teach_is_not_kept(client, login_as, demo_school):
    login_as("teacher")
    other = _class("5A")
    page = client.get(f"/teacher/modules?class={other.id}").get_data(as_text=True)
    assert "Choosing a module" not in page and "preset=y5/bullying" in page
    for junk in ("abc", "0", "-1", "99999999"):
        assert client.get(f"/teacher/modules?class={junk}").status_code == 200

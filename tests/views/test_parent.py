"""The parent's pages: their children, the AUP signed for each, photo consent, topics covered."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.content import aups, guides, lessons
from app.demo.school import DEMO_PASSWORD
from app.extensions import db
from app.models import (
    ConsentDecision,
    ConsentPart,
    LessonProgress,
    PhotoConsent,
    Role,
    SchoolClass,
    TaughtLesson,
    User,
    utcnow,
)
from app.services import school_calendar, school_settings
from tests import factories
from tests.conftest import agree, post, sign_in


def _user(username: str) -> User:
    return db.session.scalar(sa.select(User).where(User.username == username))


def _rows(pupil: User) -> list[tuple[str, str]]:
    query = sa.select(PhotoConsent).where(PhotoConsent.pupil_id == pupil.id)
    return [(r.part.value, r.decision.value) for r in db.session.scalars(query.order_by("id"))]


def _consent(client, child: User, **answers):
    path = f"/parent/children/{child.id}/consent"
    return post(client, path, answers, token_from=path)


def test_home_shows_each_child_with_the_aup_signed_for_them(client, login_as, demo_school):
    login_as("parent")
    page = client.get("/parent/").get_data(as_text=True)
    for name, cls in (("Ben C.", "class 4B"), ("Chloe C.", "class 8C")):
        assert name in page and cls in page
        assert f"AUP signed for {name} on " in page
    assert page.count("Not answered") == 8  # four parts for each of two children
    assert "Year 4" in page and "Year 8" in page


def test_giving_and_refusing_consent_keeps_every_change(client, login_as, demo_school):
    login_as("parent")
    ben, chloe = _user("pupil.y4"), _user("pupil.y8")
    form = client.get(f"/parent/children/{ben.id}/consent").get_data(as_text=True)
    assert "Yes, I give consent" in form and "No, I do not give consent" in form
    response = _consent(client, ben, in_school="given", website="given", social_media="refused",
                        press="given")  # fmt: skip
    assert response.headers["Location"] == f"/parent/children/{ben.id}"
    assert _rows(ben) == [("in_school", "given"), ("website", "given"),
                          ("social_media", "refused"), ("press", "given")]  # fmt: skip
    page = client.get(f"/parent/children/{ben.id}").get_data(as_text=True)
    assert "Your photo consent for Ben C. was saved on" in page
    assert "History of photo consent" in page and page.count("Given") >= 2
    _consent(client, chloe, in_school="refused", press="refused")
    assert _rows(chloe) == [("in_school", "refused"), ("press", "refused")]


def test_withdrawing_is_offered_once_consent_is_given(client, login_as, demo_school):
    login_as("parent")
    ben = _user("pupil.y4")
    _consent(client, ben, in_school="given", website="refused")
    form = client.get(f"/parent/children/{ben.id}/consent").get_data(as_text=True)
    assert "No, I withdraw my consent" in form and "Yes, I still give consent" in form
    _consent(client, ben, in_school="withdrawn", website="refused")
    assert _rows(ben) == [
        ("in_school", "given"),
        ("website", "refused"),
        ("in_school", "withdrawn"),
    ]
    page = client.get(f"/parent/children/{ben.id}").get_data(as_text=True)
    assert "Withdrawn" in page and "Refused" in page


def test_the_same_answers_again_change_nothing(client, login_as, demo_school):
    login_as("parent")
    ben = _user("pupil.y4")
    _consent(client, ben, in_school="given")
    _consent(client, ben, in_school="given")
    assert _rows(ben) == [("in_school", "given")]
    page = client.get(f"/parent/children/{ben.id}").get_data(as_text=True)
    assert "Nothing was changed" in page


def test_an_unanswered_part_stays_unanswered(client, login_as, demo_school):
    login_as("parent")
    ben = _user("pupil.y4")
    _consent(client, ben, press="refused")
    assert _rows(ben) == [("press", "refused")]


def _old_publications_answer(pupil: User, decision: str, by: User | None = None) -> None:
    """A decision made on the old form, when one answer covered every publication."""
    db.session.add(PhotoConsent(school_id=pupil.school_id, pupil_id=pupil.id,
                                part=ConsentPart.PUBLICATIONS, decision=ConsentDecision(decision),
                                decided_by_id=by.id if by else None))  # fmt: skip
    db.session.commit()


def test_an_old_publications_answer_shows_labelled_until_each_use_is_answered(
    client, login_as, demo_school
):
    ben = _user("pupil.y4")
    _old_publications_answer(ben, "given", by=_user("parent"))
    login_as("parent")
    page = client.get(f"/parent/children/{ben.id}").get_data(as_text=True)
    assert page.count("from your earlier answer for all publications") == 3
    assert "All publications (asked before each use was asked separately): Given" in page
    form = client.get(f"/parent/children/{ben.id}/consent").get_data(as_text=True)
    assert form.count("Given, from your earlier answer for all publications") == 3
    assert "checked" not in form  # an old answer is shown beside each use, never ticked for it
    _consent(client, ben, social_media="withdrawn", press="given")
    assert _rows(ben) == [("publications", "given"), ("social_media", "withdrawn"),
                          ("press", "given")]  # fmt: skip
    page = client.get(f"/parent/children/{ben.id}").get_data(as_text=True)
    assert page.count("from your earlier answer for all publications") == 1  # the website only
    assert "All publications (asked before each use was asked separately): Given" in page


def test_a_sixth_former_decides_and_their_parent_only_sees(client, login_as, demo_school):
    efua, parent = _user("pupil.y12"), _user("parent")
    parent.children.append(efua)
    db.session.add(PhotoConsent(school_id=efua.school_id, pupil_id=efua.id,
                                part=ConsentPart.PRESS, decision=ConsentDecision.REFUSED,
                                decided_by_id=efua.id))  # fmt: skip
    db.session.commit()
    login_as("parent")
    page = client.get(f"/parent/children/{efua.id}").get_data(as_text=True)
    assert "Efua M. is in the sixth form and gives or refuses their own photo consent" in page
    assert "by Efua M." in page
    assert "Change photo consent for Efua M." not in page
    assert "Change photo consent for Ben C." in client.get("/parent/").get_data(as_text=True)
    path = f"/parent/children/{efua.id}/consent"
    assert client.get(path).status_code == 403
    response = post(client, path, {"press": "given", "website": "given"}, token_from="/parent/")
    assert response.status_code == 403
    assert _rows(efua) == [("press", "refused")]


@pytest.mark.parametrize("answer", ["maybe", "withdrawn-ish", "GIVEN"])
def test_a_choice_that_is_not_offered_is_refused(client, login_as, demo_school, answer):
    login_as("parent")
    ben = _user("pupil.y4")
    assert _consent(client, ben, in_school=answer).status_code == 400
    assert _rows(ben) == []


def _strangers(demo_school) -> dict[str, int]:
    """Ids a parent must never open: a classmate, another school's pupil, staff, nobody."""
    other = factories.school()
    far_pupil = factories.user(other, Role.PUPIL, year=4)
    far_parent = factories.user(other, Role.PARENT)
    far_parent.children.append(far_pupil)
    db.session.commit()
    return {
        "classmate": _user("demo.y4.1").id,
        "other school": far_pupil.id,
        "pupil in another class": _user("pupil.y10").id,
        "teacher": _user("teacher").id,
        "parent self": _user("parent").id,
        "no one": 999_999,
    }


PARENT_URLS = ("/parent/children/{id}", "/parent/children/{id}/consent")


def test_a_parent_cannot_open_any_page_of_another_child(client, login_as, demo_school):
    strangers = _strangers(demo_school)
    login_as("parent")
    for who, pupil_id in strangers.items():
        for url in PARENT_URLS:
            path = url.format(id=pupil_id)
            assert client.get(path).status_code == 404, (who, path)
        path = f"/parent/children/{pupil_id}/consent"
        response = post(client, path, {"in_school": "given"}, token_from="/parent/")
        assert response.status_code == 404, (who, path)
    by_parents = sa.select(sa.func.count()).where(PhotoConsent.decided_by_id.is_not(None))
    assert db.session.scalar(by_parents) == 0


def test_a_parent_from_another_school_linked_by_mistake_sees_nothing(app, client, demo_school):
    """A parent_child row across schools (bad import) still gives no access."""
    other = factories.school()
    stray = factories.user(other, Role.PARENT, username="stray.parent")
    stray.children.append(_user("pupil.y4"))
    db.session.commit()
    from tests.conftest import agree, sign_in

    sign_in(client, "stray.parent", factories.PASSWORD)
    agree(client)
    assert client.get(f"/parent/children/{_user('pupil.y4').id}").status_code == 404
    assert "Ben C." not in client.get("/parent/").get_data(as_text=True)


@pytest.mark.parametrize("username", ["teacher", "coordinator", "pupil.y4", "admin"])
def test_other_roles_cannot_use_parent_pages(client, login_as, demo_school, username):
    ben = _user("pupil.y4")
    login_as(username)
    for path in ("/parent/", f"/parent/children/{ben.id}", f"/parent/children/{ben.id}/consent"):
        assert client.get(path).status_code == 403


def test_parent_pages_need_sign_in(client, demo_school):
    response = client.get("/parent/")
    assert response.status_code in (302, 303)
    assert "/sign-in" in response.headers["Location"]


def test_topics_covered_this_term_come_from_lessons_done_and_taught(client, login_as, demo_school):
    ben = _user("pupil.y4")
    ks2 = lessons().by_band("ks2")
    done, taught, old = ks2[0], next(x for x in ks2 if x.topic != ks2[0].topic), ks2[-1]
    class_4b = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
    db.session.add_all([
        LessonProgress(pupil_id=ben.id, lesson_id=done.id, lesson_version=done.version,
                       content_hash="x", current_step="end", completed_at=utcnow()),
        TaughtLesson(school_id=ben.school_id, class_id=class_4b.id, lesson_id=taught.id,
                     lesson_version=taught.version, taught_on=school_calendar.today()),
        TaughtLesson(school_id=ben.school_id, class_id=class_4b.id, lesson_id=old.id,
                     lesson_version=old.version,
                     taught_on=school_calendar.today() - timedelta(days=400)),
    ])  # fmt: skip
    db.session.commit()
    login_as("parent")
    page = client.get(f"/parent/children/{ben.id}").get_data(as_text=True)
    assert f"Ben C. finished: {done.title}".replace("'", "&#39;") in page
    assert f"Taught in class: {taught.title}".replace("'", "&#39;") in page
    assert old.title.replace("'", "&#39;") not in page or old.topic in (done.topic, taught.topic)
    topic_guide = guides().for_topic(done.topic)[0]
    assert f'href="/guides/{topic_guide.id}"' in page
    assert topic_guide.conversation_starters[0].replace("'", "&#39;") in page
    assert 'href="/guides/ks2-at-home"' in page
    home = client.get("/parent/").get_data(as_text=True)
    assert topic_guide.title.replace("'", "&#39;") in home
    chloe = client.get(f"/parent/children/{_user('pupil.y8').id}").get_data(as_text=True)
    assert "Nothing yet this term" in chloe


def test_a_parent_who_signed_the_school_s_own_aup_sees_it_as_signed(client, login_as, demo_school):
    today = school_calendar.today()
    coordinator = _user("coordinator")
    draft = school_settings.draft_from(aups().get("parent"), today)
    draft = replace(draft, version="oak-parents-1", intro="Our own words for parents.")
    assert school_settings.publish(demo_school, draft, coordinator, today)[1] == []
    sign_in(client, "parent", DEMO_PASSWORD)
    assert "Our own words for parents." in client.get("/aup").get_data(as_text=True)
    agree(client)
    page = client.get("/parent/").get_data(as_text=True)
    for name in ("Ben C.", "Chloe C."):
        assert f"AUP signed for {name} on " in page
    assert "Not yet signed" not in page
    ben = _user("pupil.y4")
    assert "AUP signed for Ben C. on " in client.get(f"/parent/children/{ben.id}").get_data(
        as_text=True
    )

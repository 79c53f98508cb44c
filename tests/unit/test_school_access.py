"""The one place that fetches a school, class or child for a user, and the pages it refuses."""

from __future__ import annotations

import pytest
from flask import Blueprint

from app.access import open_before_aup
from app.errors import Forbidden, NotFound
from app.extensions import db
from app.models import Role, Trust
from app.services import school_access
from tests import factories


@pytest.fixture
def trust(app):
    """Two schools of one trust and a third outside it, each with a class."""
    group = Trust(name="Access Trust")
    db.session.add(group)
    home = factories.school(trust=group)
    sister = factories.school(trust=group)
    outside = factories.school()
    classes = [factories.school_class(s, "4A", 4) for s in (home, sister, outside)]
    db.session.commit()
    return (home, sister, outside), classes


def test_a_coordinator_reaches_their_own_school_and_no_other(trust):
    (home, sister, outside), _ = trust
    coordinator = factories.user(home, Role.COORDINATOR)
    assert school_access.school_for(coordinator, None) is home
    assert school_access.school_for(coordinator, home.id) is home
    for school_id in (sister.id, outside.id, 999_999):
        with pytest.raises(NotFound):
            school_access.school_for(coordinator, school_id)


def test_a_trust_wide_coordinator_reaches_every_school_of_the_trust(trust):
    (home, sister, outside), (_, sister_class, outside_class) = trust
    lead = factories.user(home, Role.COORDINATOR, trust_wide=True)
    assert school_access.school_for(lead, sister.id) is sister
    assert school_access.class_for_coordinator(lead, sister_class.id) is sister_class
    with pytest.raises(NotFound):
        school_access.school_for(lead, outside.id)
    with pytest.raises(NotFound):
        school_access.class_for_coordinator(lead, outside_class.id)


def test_no_school_for_anyone_but_a_coordinator(trust):
    (home, _, _), (home_class, _, _) = trust
    teacher = factories.user(home, Role.TEACHER)
    with pytest.raises(NotFound):
        school_access.school_for(teacher, None)
    with pytest.raises(NotFound):
        school_access.class_for_coordinator(teacher, home_class.id)


def test_class_for_staff_is_404_for_another_school_and_403_for_a_colleagues_class(app):
    row = factories.school()
    teacher = factories.user(row, Role.TEACHER)
    mine, theirs = factories.school_class(row, "4B", 4), factories.school_class(row, "6B", 6)
    mine.teachers.append(teacher)
    elsewhere = factories.school_class(factories.school(), "4Z", 4)
    assert school_access.class_for_staff(teacher, mine.id) is mine
    with pytest.raises(Forbidden):
        school_access.class_for_staff(teacher, theirs.id)
    for class_id in (elsewhere.id, 999_999):
        with pytest.raises(NotFound):
            school_access.class_for_staff(teacher, class_id)
    coordinator = factories.user(row, Role.COORDINATOR)
    assert school_access.class_for_staff(coordinator, theirs.id) is theirs
    with pytest.raises(NotFound):
        school_access.class_for_staff(coordinator, elsewhere.id)


def test_a_parent_reaches_only_their_own_children(app):
    school = factories.school()
    parent = factories.user(school, Role.PARENT)
    ben, chloe = (factories.user(school, Role.PUPIL, year=y) for y in (4, 8))
    parent.children.extend([ben, chloe])
    classmate = factories.user(school, Role.PUPIL, year=4)
    far = factories.user(factories.school(), Role.PUPIL)
    parent.children.append(far)  # a wrong link across schools still gives nothing
    db.session.commit()
    assert school_access.child_for(parent, ben.id) is ben
    assert school_access.child_for(parent, chloe.id) is chloe
    for child_id in (classmate.id, parent.id, far.id, 999_999):
        with pytest.raises(NotFound):
            school_access.child_for(parent, child_id)
    with pytest.raises(NotFound):
        school_access.child_for(ben, ben.id)  # a pupil is nobody's parent


def test_user_in_school_keeps_to_the_users_own_school(app):
    school = factories.school()
    admin, pupil = factories.user(school, Role.ADMIN), factories.user(school, Role.PUPIL)
    stranger = factories.user(factories.school(), Role.PUPIL)
    assert school_access.user_in_school(admin, pupil.id) is pupil
    for user_id in (stranger.id, 999_999):
        with pytest.raises(NotFound):
            school_access.user_in_school(admin, user_id)


def _missing():
    """A view whose service found nothing the user may see."""
    raise NotFound()


def _theirs():
    """A view whose service found something that is not the user's."""
    raise Forbidden()


def test_a_services_refusal_is_the_404_or_403_page(app):
    probe = Blueprint("refusal_probe", __name__)
    probe.add_url_rule("/probe/missing", "missing", open_before_aup(_missing))
    probe.add_url_rule("/probe/theirs", "theirs", open_before_aup(_theirs))
    app.register_blueprint(probe)
    client = app.test_client()
    missing, theirs = client.get("/probe/missing"), client.get("/probe/theirs")
    assert missing.status_code == 404
    assert "We could not find that page." in missing.get_data(as_text=True)
    assert theirs.status_code == 403
    assert "You do not have access to this page." in theirs.get_data(as_text=True)

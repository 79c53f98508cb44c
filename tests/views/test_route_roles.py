"""Every route says who may reach it, and every GET page keeps to what it says.

The declarations live beside the guards that enforce them (app/access.py): a blueprint's
require_role guard, or a view's own @allow / @open_to_all. Each demo account (and someone
signed out) opens every GET page: a role not allowed gets 403 or 404, someone signed out is
sent to sign in, and an allowed role is never refused with 403 on all of a page's sample URLs.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.access import EVERYONE, who_may_reach
from app.demo import school as demo
from app.extensions import db
from app.models import SchoolClass
from tests import factories
from tests.pages import candidates, client_for, demo_user, get_rules, urls_for

LESSONS = ("ks2-grooming-1", "ks2-privacy-passwords-1", "ks1-grooming-1", "ks3-grooming-1")
QUIZZED = "ks2-privacy-passwords-1"


def test_every_route_declares_who_may_reach_it(app):
    undeclared = sorted(
        rule.rule for rule in app.url_map.iter_rules() if who_may_reach(app, rule.endpoint) is None
    )
    assert not undeclared, f"say who may reach these (app/access.py): {undeclared}"


def test_the_declarations_are_what_each_area_is_for(app):
    staff = {"teacher", "coordinator", "admin"}
    expect = {"teacher.home": staff, "present.lesson": staff, "workshops.index": staff,
              "coordinator.home": {"coordinator"}, "admin.home": {"admin"},
              "parent.home": {"parent"}, "pupil.home": {"pupil"}, "public.guest": {"visitor"},
              "aup.show": staff | {"pupil", "parent", "visitor"}}  # fmt: skip
    for endpoint, roles in expect.items():
        assert {str(r) for r in who_may_reach(app, endpoint)} == roles, endpoint
    assert who_may_reach(app, "guides.index") == EVERYONE
    assert who_may_reach(app, "auth.login") == EVERYONE


@pytest.fixture
def sample_urls(app, demo_school) -> dict[str, list[str]]:
    """Each GET endpoint with its sample URLs, filled with ids the demo holds (and a module)."""
    four_b = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
    teacher = demo_user("teacher")
    module = factories.module(demo_school, list(LESSONS[:2]), created_by_id=teacher.id)
    factories.assignment(module, four_b)
    db.session.commit()
    # a staff concern about two pupils, opened as an incident, and a pupil's worry in the inbox
    pupils = [demo_user("pupil.y4"), demo_user("pupil.y8")]
    factories.incident(demo_user("teacher"), pupils, demo_user("coordinator"))
    factories.worry(demo_user("pupil.y8"))
    values = candidates(LESSONS, QUIZZED)
    return {rule.endpoint: urls_for(app, rule, values) for rule in get_rules(app)}


def _refusal(client, url: str, signed_in: bool) -> str | None:
    """Why the answer is not a refusal, or None when it is one."""
    response = client.get(url)
    if signed_in:
        return None if response.status_code in (403, 404) else f"{response.status_code}"
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303) and "/sign-in" in location:
        return None
    return f"{response.status_code} {location}"


SIXTH_FORM_ONLY = {"pupil.photo_consent"}
"""Pupil pages for Years 12 and 13 only: the role may reach them, a younger pupil gets 403."""


@pytest.mark.parametrize("username", [None, *(a.username for a in demo.ACCOUNTS)])
def test_each_get_page_answers_each_role_as_declared(app, sample_urls, username):
    client = client_for(app, username) if username else app.test_client()
    role = demo_user(username).role if username else None
    wrong, refused = [], []
    for endpoint, urls in sample_urls.items():
        if role not in who_may_reach(app, endpoint):
            # the guard answers before any id is read: the first sample URL is enough
            problem = _refusal(client, urls[0], signed_in=role is not None)
            if problem:
                wrong.append((urls[0], problem))
        elif all(client.get(url).status_code == 403 for url in urls):
            if endpoint in SIXTH_FORM_ONLY and (demo_user(username).year or 0) < 12:
                continue
            refused.append(urls[0])
    assert not wrong, f"not refused as declared: {wrong}"
    assert not refused, f"allowed, but every sample URL answered 403: {refused}"

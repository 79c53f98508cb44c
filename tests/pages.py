"""Walking the app's GET pages: a signed-in demo client, and sample URLs for every rule.

Shared by the tests that open every page (tests/views/test_changed_content.py,
tests/views/test_route_roles.py): each rule is filled with ids the demo holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from flask import Flask, url_for
from werkzeug.routing import Rule

from app.content import aups, guides, lessons, workshops
from app.content.schema import Lesson
from app.content.strands import STRAND_CODES
from app.demo import school as demo
from app.extensions import db
from app.models import Acceptance, Incident, Module, SafeguardingReport, SchoolClass, User
from app.models.teaching import Assignment
from app.models.workshops import WorkshopSession
from tests.conftest import agree, sign_in


def demo_user(username: str) -> User:
    """A demo account by its username."""
    return db.session.scalar(sa.select(User).where(User.username == username))


def lesson(lesson_id: str) -> Lesson:
    """A lesson of the library loaded now."""
    return next(found for found in lessons().lessons() if found.id == lesson_id)


def client_for(app: Flask, username: str):
    """A fresh client signed in as a demo user who has agreed to their AUP."""
    client = app.test_client()
    assert sign_in(client, username, demo.DEMO_PASSWORD).status_code == 303
    if client.get("/aup").status_code == 200:
        agree(client)
    return client


def candidates(lesson_ids: Sequence[str], quizzed: str) -> dict[str, list]:
    """Every value the demo holds for each URL argument, and a few for the free-text ones.

    lesson_ids are the lessons to try; quizzed is the one whose steps and quiz are tried.
    """
    quiz = lessons().quiz_for(quizzed)
    return {
        "class_id": list(db.session.scalars(sa.select(SchoolClass.id))),
        "module_id": list(db.session.scalars(sa.select(Module.id))),
        "assignment_id": list(db.session.scalars(sa.select(Assignment.id))),
        "child_id": [child.id for child in demo_user("parent").children],
        "user_id": [demo_user("pupil.y4").id, demo_user("teacher").id],
        "lesson_id": list(lesson_ids),
        "step_id": [lesson(quizzed).steps[0].id, "quiz", quiz.questions[0].id],
        "number": [1, 2],
        "n": [1, 2],
        "year": [4, 5, 7],
        "key": [STRAND_CODES[0], "bullying", "privacy-passwords"],
        "what": ["coverage", "progression", "compliance"],
        "audience": list(aups().audiences()),
        "guide_id": [g.id for g in guides().all()[:2]],
        "locale": ["en"],
        "pack_id": [p.id for p in workshops().packs()[:1]],
        "code": list(db.session.scalars(sa.select(WorkshopSession.code))) or ["NOCODE"],
        "session_id": list(db.session.scalars(sa.select(WorkshopSession.id))) or [1],
        "upload_id": [1],
        "report_id": list(db.session.scalars(sa.select(SafeguardingReport.id))) or [1],
        "incident_id": list(db.session.scalars(sa.select(Incident.id))) or [1],
        "acceptance_id": list(db.session.scalars(sa.select(Acceptance.id))) or [1],
    }


def get_rules(app: Flask) -> list[Rule]:
    """Every rule of the app that answers GET, but the static files."""
    return [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]


def urls_for(app: Flask, rule: Rule, values: dict[str, list]) -> list[str]:
    """The rule's URL once with the first value of each argument, then once per other value."""
    first = {arg: values[arg][0] for arg in rule.arguments}
    tries = [first] + [{**first, arg: value} for arg in rule.arguments for value in values[arg][1:]]
    with app.test_request_context():
        return list(dict.fromkeys(url_for(rule.endpoint, **args) for args in tries))


def all_urls(app: Flask, values: dict[str, list]) -> list[str]:
    """Every GET URL of the app, once for each value of each of its arguments."""
    return sorted({url for rule in get_rules(app) for url in urls_for(app, rule, values)})

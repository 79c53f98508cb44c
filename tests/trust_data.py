"""Test data for coordinators: a small hand-computed school, and a generated trust of two schools.

`small_school()` builds data whose coverage and compliance were worked out by hand (see the
tests). `generate_trust()` bulk-inserts two schools of 2,128 pupils in all with a year of
progress, for checking that figures stay sane and isolated at a realistic size.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.content import aups, lessons
from app.content.strands import band_for_year
from app.extensions import db
from app.models import (
    Acceptance,
    Assignment,
    LessonProgress,
    Module,
    ModuleLesson,
    QuizAttempt,
    Role,
    School,
    SchoolClass,
    TaughtLesson,
    Trust,
    User,
    class_pupil,
)
from app.services import acceptance, school_calendar
from tests import factories


def at(day: date, hour: int = 10) -> datetime:
    """A time on a day."""
    return datetime.combine(day, time(hour))


@dataclass
class Small:
    """The hand-computed school and the people in it, by short name."""

    school: School
    other: School
    classes: dict[str, SchoolClass]
    people: dict[str, User]
    start: date


def _done(pupil: User, lesson_id: str, when: datetime, percent: int = 80) -> None:
    """A completed lesson with a first quiz attempt."""
    lesson = lessons().find(lesson_id)
    common = {"pupil_id": pupil.id, "lesson_id": lesson_id, "lesson_version": lesson.version,
              "content_hash": lessons().content_hash(lesson_id)}  # fmt: skip
    db.session.add(LessonProgress(**common, current_step="quiz", completed_at=when))
    db.session.add(QuizAttempt(**common, number=1, score=percent // 10, total=10,
                               percent=percent, passed=percent >= 60,
                               submitted_at=when))  # fmt: skip


def _assign(school: School, lesson_ids: list[str], when: datetime, **target) -> Assignment:
    """An assignment of a new module with these lessons."""
    module = Module(school_id=school.id, title="Module " + lesson_ids[0])
    module.lessons = [ModuleLesson(position=n, lesson_id=i) for n, i in enumerate(lesson_ids)]
    row = Assignment(school_id=school.id, module=module, created_at=when, **target)
    db.session.add(row)
    return row


def small_school(today: date) -> Small:
    """The hand-computed school (see tests/unit/test_coverage.py for the expected cells)."""
    school, other = factories.school("Oak School"), factories.school("Elm School")
    start = school_calendar.year_start(school, today)
    this, last = at(start + timedelta(days=5)), at(start - timedelta(days=30))
    classes = {name: factories.school_class(school, name, year)
               for name, year in (("4A", 4), ("4B", 4), ("8X", 8))}  # fmt: skip
    people = {}
    for name, cls in (("a1", "4A"), ("a2", "4A"), ("a3", "4A"), ("b1", "4B"), ("b2", "4B"),
                      ("c1", "8X"), ("c2", "8X")):  # fmt: skip
        pupil = factories.user(school, username=name, display_name=name.upper(),
                               year=classes[cls].year, password=None)  # fmt: skip
        classes[cls].pupils.append(pupil)
        people[name] = pupil
    people["t"] = factories.user(school, Role.TEACHER, username="t", password=None)
    people["p"] = factories.user(school, Role.PARENT, username="p", password=None)
    people["p"].children.extend([people["a1"], people["a2"]])
    people["x"] = factories.user(other, username="x", year=4, password=None)
    _assign(school, ["ks2-privacy-passwords-1"], this, school_class=classes["4A"])
    _assign(school, ["ks2-copyright-1"], this, year=4).withdrawn_at = this
    _assign(school, ["ks3-bullying-1"], last, school_class=classes["8X"])
    _assign(other, ["ks2-wellbeing-1"], this, year=4)
    db.session.add(TaughtLesson(school_id=school.id, class_id=classes["4B"].id,
                                lesson_id="ks2-bullying-1", lesson_version=1,
                                taught_on=start + timedelta(days=6)))  # fmt: skip
    _done(people["a1"], "ks2-privacy-passwords-1", this, 70)
    _done(people["a2"], "ks2-privacy-passwords-1", this, 90)
    _done(people["a2"], "ks2-digital-footprint-1", this, 50)
    _done(people["b1"], "ks2-wellbeing-1", last, 60)
    _done(people["c1"], "ks3-checking-sources-1", this, 100)
    _done(people["x"], "ks2-wellbeing-1", this, 40)
    db.session.commit()
    context = acceptance.Context(None, "127.0.0.1", "test")
    acceptance.accept(people["t"], aups().get("staff"), context, today)
    acceptance.accept(people["a1"], aups().get("ks2"), context, today)
    old = aups().get("ks2").model_copy(update={"version": "0.9"})
    acceptance.accept(people["a2"], old, context, today)
    parent = people["p"]
    parent_aup = aups().get("parent")
    # the parent accepted for a1 only: write that one row the way accept() would
    head = db.session.scalar(sa.select(sa.func.max(Acceptance.seq)).where(
        Acceptance.school_id == school.id))  # fmt: skip
    prev = db.session.scalar(sa.select(Acceptance.record_hash).where(
        Acceptance.school_id == school.id, Acceptance.seq == head))  # fmt: skip
    row = Acceptance(seq=head + 1, school_id=school.id, user_id=parent.id,
                     on_behalf_of_id=people["a1"].id, login_session_id=None, audience="parent",
                     aup_id=parent_aup.id, aup_version=parent_aup.version, locale="en",
                     text_hash=parent_aup.text_hash, accepted_at=at(today), ip_address="127.0.0.1",
                     user_agent="test", prev_hash=prev)  # fmt: skip
    row.record_hash = acceptance.record_hash(acceptance.hashed_fields(row))
    db.session.add(row)
    db.session.commit()
    return Small(school, other, classes, people, start)


CLASSES_PER_YEAR = 2
PUPILS_PER_CLASS = 38  # 2 schools x 14 years x 2 classes x 38 = 2,128 pupils


def generate_trust(today: date, seed: int = 7) -> list[int]:
    """Two schools of one trust with 2,128 pupils and a year of activity; returns school ids."""
    rng = random.Random(seed)
    trust = Trust(name="Big Trust")
    schools = [School(name=f"Big School {n}", trust=trust) for n in (1, 2)]
    db.session.add_all(schools)
    db.session.flush()
    next_id = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
    users, members, progress, attempts, classes = [], [], [], [], []
    for school in schools:
        start = school_calendar.year_start(school, today)
        for year in range(14):
            for c in range(CLASSES_PER_YEAR):
                cls = SchoolClass(school_id=school.id, name=f"{year}{'AB'[c]}", year=year)
                db.session.add(cls)
                db.session.flush()
                classes.append(cls)
                band = lessons().by_band(band_for_year(year))
                for _ in range(PUPILS_PER_CLASS):
                    users.append({"id": next_id, "school_id": school.id, "role": Role.PUPIL,
                                  "username": f"big{next_id}", "display_name": f"Pupil {next_id}",
                                  "year": year})  # fmt: skip
                    members.append({"class_id": cls.id, "pupil_id": next_id})
                    for lesson in rng.sample(band, rng.randint(0, 4)):
                        when = at(start + timedelta(days=rng.randint(0, 60)))
                        progress.append(_progress_row(next_id, lesson, when))
                        attempts.append(_attempt_row(next_id, lesson, when, rng))
                    next_id += 1
            if year % 3 == 0:  # a third of year groups have something assigned and taught
                cls = classes[-1]
                lesson_id = lessons().by_band(band_for_year(year))[year % 9].id
                _assign(school, [lesson_id], at(start + timedelta(days=3)), school_class=cls)
                db.session.add(TaughtLesson(school_id=school.id, class_id=cls.id,
                                            lesson_id=lesson_id, lesson_version=1,
                                            taught_on=start + timedelta(days=4)))  # fmt: skip
    db.session.execute(sa.insert(User), users)
    db.session.execute(sa.insert(class_pupil), members)
    db.session.execute(sa.insert(LessonProgress), progress)
    db.session.execute(sa.insert(QuizAttempt), attempts)
    db.session.commit()
    return [s.id for s in schools]


def _progress_row(pupil_id: int, lesson, when: datetime) -> dict:
    """A completed lesson as a row to insert."""
    return {"pupil_id": pupil_id, "lesson_id": lesson.id, "lesson_version": lesson.version,
            "content_hash": "0" * 64, "current_step": "quiz", "started_at": when,
            "updated_at": when, "completed_at": when}  # fmt: skip


def _attempt_row(pupil_id: int, lesson, when: datetime, rng: random.Random) -> dict:
    """A first quiz attempt as a row to insert."""
    score = rng.randint(3, 10)
    return {"pupil_id": pupil_id, "lesson_id": lesson.id, "lesson_version": lesson.version,
            "content_hash": "0" * 64, "number": 1, "score": score, "total": 10,
            "percent": score * 10, "passed": score >= 6, "submitted_at": when}  # fmt: skip

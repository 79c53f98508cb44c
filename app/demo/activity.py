"""A believable school year of activity for the demo school, and a demo trust with a second school.

Activity goes on demo classmates only, never on the named demo accounts (pupil.y4 and pupil.y8
start clean for other tests), and on classes without a named pupil: 5A, 6B, 7A and 9B. Year 9
is left with nothing at all, and several strands in other years too, so coverage shows gaps.
Loading twice changes nothing: everything is skipped once the demo module exists. No AUP
acceptances are made up: the chain holds only what people really accepted by signing in.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.content import lessons
from app.extensions import db
from app.models import (
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
)
from app.services import school_calendar

TRUST_NAME = "Lantern Learning Trust"
SECOND_SCHOOL = "Hillside Primary School"
SECOND_SCHOOL_URN = "999902"  # not a real URN, like the demo school's (999901)
MARKER = "Year 5: staying safe online"
MORE_CLASSMATES = {
    5: ["Ada E.", "Bilal G.", "Chen H.", "Daisy I.", "Ethan K."],
    6: ["Farah L.", "George M.", "Hana N."],
    7: ["Ibrahim O.", "Jade P.", "Kofi R.", "Lily S.", "Mateo T."],
    9: ["Nia U.", "Omar V.", "Poppy W.", "Quinn X."],
}
HILLSIDE = {
    "H3": (3, ["Rosa A.", "Sami B.", "Tess C."]),
    "H5": (5, ["Uma D.", "Vik E.", "Will F."]),
}
# (class name or year, lesson ids, taught lesson ids): what was set, and what was taught;
# a teacher-led lesson is taught before it is set (lessons/README.md)
PLAN = (
    ("5A", ["ks2-privacy-passwords-1", "ks2-bullying-1", "ks2-wellbeing-1"],
     ["ks2-privacy-passwords-1", "ks2-bullying-1"]),
    ("6B", ["ks2-copyright-y6"], []),
    (7, ["ks3-checking-sources-y7", "ks3-grooming-y7"],
     ["ks3-checking-sources-y7", "ks3-grooming-y7"]),
    ("8C", [], ["ks3-wellbeing-1"]),  # taught from the board only: it is teacher-led
)  # fmt: skip
# classmates' completions this year (and quiz first-attempt scores), by username prefix; each
# year group's own lessons (lessons name the year groups they are for)
DONE = {
    "demo.y5.": (["ks2-privacy-passwords-1", "ks2-bullying-1"], [80, 60, 100, 70, 90]),
    "demo.y7.": (["ks3-checking-sources-y7"], [70, 50, 90, 60, 80]),
    "demo.y4.": (["ks2-privacy-passwords-y4"], [60, 80, 70, 100, 90, 50]),
    "demo.y8.": (["ks3-wellbeing-1"], [90, 70, 80, 60, 100, 40]),
    "hill.y5.": (["ks2-bullying-1"], [70, 80, 60]),
}
LAST_YEAR = {  # the same cohorts a year younger, on that year's lessons
    "demo.y5.": (["ks2-digital-footprint-y4", "ks2-privacy-passwords-y4"], [60, 50, 80, 60, 70]),
    "demo.y7.": (["ks2-checking-sources-y6"], [60, 40, 70, 60, 70]),
    "demo.y8.": (["ks3-privacy-passwords-y7"], [70, 60, 60, 50, 90, 40]),
}


def load_activity(school: School, users: dict[str, User], classes: dict[int, SchoolClass]) -> None:
    """Add the trust, the second school, more classmates and a year of activity, once."""
    trust = _trust(school)
    users["trust.lead"].trust_wide = True
    for year, names in MORE_CLASSMATES.items():
        _classmates(school, classes[year], f"demo.y{year}", names)
    _hillside(trust)
    if db.session.scalar(sa.select(Module.id).where(Module.title == MARKER)):
        return
    today = school_calendar.today()
    start = school_calendar.year_start(school, today)
    teacher = users["teacher"]
    by_name = {c.name: c for c in classes.values()}
    for n, (target, lesson_ids, taught) in enumerate(PLAN):
        cls = by_name.get(target) if isinstance(target, str) else None
        when = _day(start, today, 10 + 7 * n)
        if lesson_ids:
            module = _module(school, MARKER if n == 0 else f"Online safety {n + 1}", lesson_ids)
            db.session.add(Assignment(school_id=school.id, module=module, school_class=cls,
                                      year=None if cls else target, set_by=teacher,
                                      created_at=_at(when),
                                      due_on=when + timedelta(days=21)))  # fmt: skip
        for k, lesson_id in enumerate(taught):
            cls = cls or next(c for c in classes.values() if c.year == target)
            db.session.add(TaughtLesson(school_id=school.id, class_id=cls.id, lesson_id=lesson_id,
                                        lesson_version=lessons().find(lesson_id).version,
                                        taught_on=_day(start, today, 14 + 7 * n + 7 * k),
                                        taught_by_id=teacher.id))  # fmt: skip
    _progress(DONE, start, today, offset=20)
    last_start = school_calendar.previous_year_start(school, today)
    _progress(LAST_YEAR, last_start, start - timedelta(days=1), offset=40)
    db.session.flush()


def _trust(school: School) -> Trust:
    """The demo trust, with the demo school in it."""
    trust = db.session.scalar(sa.select(Trust).where(Trust.name == TRUST_NAME))
    if trust is None:
        trust = Trust(name=TRUST_NAME)
        db.session.add(trust)
    school.trust = trust
    return trust


def _hillside(trust: Trust) -> School:
    """The trust's second, smaller school with two classes of pupils."""
    school = db.session.scalar(sa.select(School).where(School.name == SECOND_SCHOOL))
    if school is None:
        school = School(name=SECOND_SCHOOL, urn=SECOND_SCHOOL_URN, trust=trust)
        db.session.add(school)
        db.session.flush()
    for name, (year, names) in HILLSIDE.items():
        cls = db.session.scalar(
            sa.select(SchoolClass).where(
                SchoolClass.school_id == school.id, SchoolClass.name == name
            )
        )
        if cls is None:
            cls = SchoolClass(school=school, name=name, year=year)
            db.session.add(cls)
        _classmates(school, cls, f"hill.y{year}", names)
    return school


def _classmates(school: School, cls: SchoolClass, prefix: str, names: list[str]) -> None:
    """Pupils without a password (they never sign in), in one class, created once."""
    for n, name in enumerate(names, start=1):
        username = f"{prefix}.{n}"
        pupil = db.session.scalar(sa.select(User).where(User.username == username))
        if pupil is None:
            pupil = User(school=school, username=username, display_name=name,
                         role=Role.PUPIL, year=cls.year)  # fmt: skip
            db.session.add(pupil)
        if pupil not in cls.pupils:
            cls.pupils.append(pupil)
    db.session.flush()


def _module(school: School, title: str, lesson_ids: list[str]) -> Module:
    """A module of these lessons."""
    module = Module(school_id=school.id, title=title)
    module.lessons = [ModuleLesson(position=n, lesson_id=i) for n, i in enumerate(lesson_ids)]
    db.session.add(module)
    return module


def _progress(plan: dict, start: date, end: date, offset: int) -> None:
    """Completed lessons and first quiz attempts for classmates whose username starts so."""
    for prefix, (lesson_ids, scores) in plan.items():
        pupils = db.session.scalars(
            sa.select(User).where(User.username.startswith(prefix)).order_by(User.username)
        ).all()
        for n, pupil in enumerate(pupils):
            for k, lesson_id in enumerate(lesson_ids):
                if (n + k) % 5 == 4:  # not everyone finishes everything
                    continue
                when = _at(_day(start, end, offset + 3 * n + 9 * k))
                _done(pupil, lesson_id, when, scores[n % len(scores)])


def _done(pupil: User, lesson_id: str, when: datetime, percent: int) -> None:
    """One completed lesson and its first quiz attempt."""
    lesson = lessons().find(lesson_id)
    digest = lessons().content_hash(lesson_id)
    db.session.add(LessonProgress(pupil_id=pupil.id, lesson_id=lesson_id,
                                  lesson_version=lesson.version, content_hash=digest,
                                  current_step=lesson.steps[-1].id, started_at=when,
                                  updated_at=when, completed_at=when))  # fmt: skip
    db.session.add(QuizAttempt(pupil_id=pupil.id, lesson_id=lesson_id,
                               lesson_version=lesson.version, content_hash=digest, number=1,
                               score=percent // 10, total=10, percent=percent,
                               passed=percent >= 60, submitted_at=when))  # fmt: skip


def _day(start: date, end: date, offset: int) -> date:
    """A day offset days into the school year, but never after end (today)."""
    return min(start + timedelta(days=offset), end)


def _at(day: date) -> datetime:
    """Ten in the morning on a day."""
    return datetime.combine(day, time(10))

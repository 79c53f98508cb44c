"""A generated multi-academy trust to measure Lantern at a real trust's size (`flask demo trust`).

Schools with URNs (998001 upwards: like the demo's 9999xx, a range the DfE has never issued),
primaries (Reception to Year 6) and, every fourth school, a secondary with a sixth form (Years 7
to 13) three times a primary's size; classes of about 30 per year group, a teacher for each
class, a coordinator (DSL) and an admin per school (a trust-wide lead in the first), one or
two parents for each pupil (some shared by brothers and sisters), and for each school year:
modules set and lessons taught, completed lessons, quiz attempts with their answers, and AUP
acceptances at each pupil's sign-ins, each staff member's and each parent's (for each child)
once a year, as real hash chains that `flask aup verify` accepts. The current school year runs
to yesterday: nothing is dated today or later (on a school year's first day, the day before).

Rows go in by bulk inserts (SQLAlchemy Core executemany), one school at a time, committed per
school, so memory stays flat whatever the size. Everything follows from the seed: the same
arguments give the same trust. It only runs into an empty database or one holding nothing but
demo data (see refusal()).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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
    QuizAnswer,
    QuizAttempt,
    QuizMisconception,
    Role,
    School,
    SchoolClass,
    TaughtLesson,
    Trust,
    User,
    class_pupil,
    class_teacher,
    parent_child,
)
from app.models.years import pupil_audience
from app.services import acceptance, minimise, school_calendar

TRUST_NAME = "Lantern Generated Trust"
URN_BASE = 998000
"""Generated schools' URNs are URN_BASE + 1, + 2, ...: never issued, never a real school's."""
DEMO_URN_PREFIXES = ("998", "9999")
"""A school whose URN starts so is demo data (the demo's 9999xx or a generated 998xxx)."""
CLASS_SIZE = 30
SECONDARY_EVERY = 4  # schools 2, 6, 10, ... (index 1, 5, 9 ...) are secondaries
SECONDARY_WEIGHT = 3  # a secondary has three times a primary's pupils
LOGONS_PER_YEAR = 12  # each pupil signs in (and accepts their AUP) this often a school year
BATCH = 5_000
FIRST = ("Amara", "Ben", "Chloe", "Dev", "Efua", "Farah", "George", "Hana", "Ibrahim", "Jade",
         "Kofi", "Lily", "Mateo", "Nia", "Omar", "Poppy", "Quinn", "Rosa", "Sami", "Tess", "Uma",
         "Vik", "Will", "Yusuf", "Zara", "Oliver", "Amelia", "Noah", "Isla", "Leo")  # fmt: skip
FAMILY = "ABCDEFGHIJKLMNOPRSTUVWY"


@dataclass
class Summary:
    """What a generation made, for the command to print and the tests to check."""

    school_ids: list[int] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, count: int) -> None:
        """Count rows inserted into a table."""
        self.rows[table] = self.rows.get(table, 0) + count


def is_demo(school: School) -> bool:
    """Whether a school is demo data (the demo schools, or a generated trust's)."""
    return bool(school.urn) and school.urn.startswith(DEMO_URN_PREFIXES)


def refusal() -> str | None:
    """Why a trust may not be generated into this database, or None when it may.

    Only an empty database or one holding demo data alone: never a real school's.
    """
    real = [s.name for s in db.session.scalars(sa.select(School)) if not is_demo(s)]
    if real:
        return (
            f"This database holds {len(real)} school(s) that are not demo data "
            f"(e.g. {real[0]!r}): a trust is generated only into an empty or demo database."
        )
    taken = db.session.scalar(sa.select(sa.func.count(School.id)).where(School.urn.like("998%")))
    if taken:
        return "This database already holds a generated trust: start from an empty database."
    return None


def split(total: int, schools: int) -> list[int]:
    """Pupils per school: secondaries weigh three primaries; the parts add up to total."""
    weights = [SECONDARY_WEIGHT if _secondary(n) else 1 for n in range(schools)]
    shares = [total * w // sum(weights) for w in weights]
    for n in range(total - sum(shares)):
        shares[n % schools] += 1
    return shares


def _secondary(index: int) -> bool:
    """Whether the school at this index (from 0) is a secondary."""
    return index % SECONDARY_EVERY == 1


def generate(
    schools: int,
    pupils: int,
    years: int = 1,
    seed: int = 18,
    today: date | None = None,
    password_hash: str | None = None,
    advance: Callable[[int], None] | None = None,
) -> Summary:
    """Generate the trust; call advance(pupils) after each school; return what was made.

    password_hash, when given, is set on every account (one hash, computed once by the caller),
    so benchmarks can sign anyone in; otherwise nobody has a password, as after a roster import.
    """
    today = today or school_calendar.today()
    summary = Summary()
    trust = Trust(name=TRUST_NAME)
    db.session.add(trust)
    db.session.flush()
    ids = _Ids()
    for index, size in enumerate(split(pupils, schools)):
        rng = random.Random(f"{seed}:{index}")  # noqa: S311 - made-up data, not secrets
        school = School(name=_school_name(index), urn=str(URN_BASE + index + 1),
                        trust_id=trust.id)  # fmt: skip
        db.session.add(school)
        db.session.flush()
        _School(school, _secondary(index), size, years, today, rng, ids, summary,
                password_hash).build()  # fmt: skip
        db.session.commit()
        summary.school_ids.append(school.id)
        if advance:
            advance(size)
    _reset_sequences()
    db.session.commit()
    return summary


def _class_name(year: int, n: int) -> str:
    """The n-th class (from 0) of a year group: RA, RB, ... 7A, 7B, ..."""
    letters = "ABCDEFGHJKLMN"
    return f"{year or 'R'}{letters[n % len(letters)]}{n // len(letters) or ''}"


def _school_name(index: int) -> str:
    """A school's made-up name."""
    places = ("Ashdown", "Brookfield", "Castleton", "Deanery", "Elmhurst", "Fairway", "Glebe",
              "Harcourt", "Ivydene", "Juniper")  # fmt: skip
    kind = "Academy" if _secondary(index) else "Primary School"
    return f"{places[index % len(places)]} {kind} {index // len(places) + 1}"


class _Ids:
    """Next free ids for the tables filled with explicit ids (so rows can refer to each other)."""

    def __init__(self) -> None:
        """Start after the highest id each table holds."""
        self.next = {}
        for model in (User, QuizAttempt, QuizAnswer, LessonProgress):
            top = db.session.scalar(sa.select(sa.func.max(model.id))) or 0
            self.next[model.__tablename__] = top + 1

    def take(self, table: str) -> int:
        """The next id of a table."""
        value = self.next[table]
        self.next[table] = value + 1
        return value


def _reset_sequences() -> None:
    """On PostgreSQL, move each id sequence past the explicit ids inserted (SQLite needs not)."""
    if db.engine.dialect.name != "postgresql":
        return
    for model in (User, QuizAttempt, QuizAnswer, LessonProgress):
        table = model.__tablename__
        db.session.execute(sa.text(  # table names are the models' own, never input
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"))  # fmt: skip


class _Rows:
    """Rows waiting to be inserted into one table, flushed in batches."""

    def __init__(self, table, summary: Summary, full: Callable[[], None] | None = None) -> None:
        """Collect rows for table (a model or a Table); full() is called when a batch is full."""
        self.table, self.summary, self.rows = table, summary, []
        self.full = full or self.flush

    def add(self, row: dict) -> None:
        """Queue a row; insert the batch (with the tables it refers to, first) when it is full."""
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.full()

    def flush(self) -> None:
        """Insert every queued row."""
        if self.rows:
            db.session.execute(sa.insert(self.table), self.rows)
            name = getattr(self.table, "__tablename__", None) or self.table.name
            self.summary.add(name, len(self.rows))
            self.rows = []


@dataclass
class _Pupil:
    """A generated pupil: id, year group now and class."""

    id: int
    year: int
    class_id: int
    done: set[str] = field(default_factory=set)


class _School:
    """Builds one school's people and history."""

    def __init__(self, school, secondary, size, years, today, rng, ids, summary, password_hash):
        """Remember what to build."""
        self.school, self.size, self.years, self.today = school, size, years, today
        self.year_groups = range(7, 14) if secondary else range(0, 7)
        self.rng, self.ids, self.summary, self.password_hash = rng, ids, summary, password_hash
        self.prefix = f"t{school.urn}"
        self.chain: list[tuple[datetime, dict]] = []
        self.tables = {name: _Rows(table, summary) for name, table in (
            ("user", User), ("class_pupil", class_pupil), ("class_teacher", class_teacher),
            ("parent_child", parent_child), ("progress", LessonProgress),
            ("attempt", QuizAttempt), ("answer", QuizAnswer),
            ("misconception", QuizMisconception), ("taught", TaughtLesson),
            ("assignment", Assignment))}  # fmt: skip
        for rows in self.tables.values():
            rows.full = self._flush_all

    def build(self) -> None:
        """People, classes, then each school year's activity, then the AUP chain."""
        pupils, teachers, staff = self._people()
        parents = self._parents(pupils)
        self._flush("user", "class_pupil", "class_teacher", "parent_child")
        for back in range(self.years):
            start = school_calendar.year_start(self.school, self.today)
            start = start.replace(year=start.year - back)
            # this school year up to yesterday (nothing is dated today or later), else a whole one
            end = start.replace(year=start.year + 1) - timedelta(1) if back else self.today
            end = max(start, end - timedelta(days=0 if back else 1))
            self._teaching(teachers, back, start, end)
            for pupil in pupils:
                self._pupil_year(pupil, back, start, end)
            for person in staff:
                self._accepts(person, "staff", _at(start, 8, self.rng.randint(0, 59)))
            for parent_id, child_ids in parents.items():
                if self.rng.random() < 0.85:  # most parents accept for their children each year
                    when = _at(min(end, start + timedelta(days=self.rng.randint(1, 20))), 19)
                    for child_id in child_ids:
                        self._accepts(parent_id, "parent", when, on_behalf_of=child_id)
        self._flush(*self.tables)
        self._write_chain()

    def _flush_all(self) -> None:
        """Insert everything queued, in order: rows refer only to tables before them."""
        self._flush(*self.tables)

    def _flush(self, *names: str) -> None:
        """Insert what is queued for these tables."""
        for name in names:
            self.tables[name].flush()

    def _user(self, role: Role, kind: str, n: int, year: int | None = None) -> int:
        """Queue one account; return its id."""
        user_id = self.ids.take("user")
        name = f"{self.rng.choice(FIRST)} {self.rng.choice(FAMILY)}."
        self.tables["user"].add({
            "id": user_id, "school_id": self.school.id, "role": role,
            "username": f"{self.prefix}.{kind}{n}", "display_name": name, "year": year,
            "password_hash": self.password_hash, "must_change_password": False, "active": True,
            "dsl": kind == "coordinator", "trust_wide": kind == "trustlead",
        })  # fmt: skip
        return user_id

    def _people(self) -> tuple[list[_Pupil], dict[int, int], list[int]]:
        """Pupils in classes of about 30 per year group, their teachers, and the office."""
        per_year = [self.size // len(self.year_groups)] * len(self.year_groups)
        for n in range(self.size - sum(per_year)):
            per_year[n] += 1
        pupils, teachers, staff = [], {}, []
        for year, count in zip(self.year_groups, per_year, strict=True):
            groups = max(1, math.ceil(count / CLASS_SIZE))
            classes = [SchoolClass(school_id=self.school.id, name=_class_name(year, c), year=year)
                       for c in range(groups)]  # fmt: skip
            db.session.add_all(classes)
            db.session.flush()
            for cls in classes:
                teacher = self._user(Role.TEACHER, "teacher", len(staff) + 1)
                staff.append(teacher)
                teachers[cls.id] = teacher
                self.tables["class_teacher"].add({"class_id": cls.id, "teacher_id": teacher})
            for n in range(count):
                cls = classes[n % groups]
                pupil_id = self._user(Role.PUPIL, "pupil", len(pupils) + 1, year)
                pupils.append(_Pupil(pupil_id, year, cls.id))
                self.tables["class_pupil"].add({"class_id": cls.id, "pupil_id": pupil_id})
        staff.append(self._user(Role.COORDINATOR, "coordinator", 1))
        staff.append(self._user(Role.ADMIN, "admin", 1))
        if self.school.urn == str(URN_BASE + 1):  # the trust's lead sits in its first school
            staff.append(self._user(Role.COORDINATOR, "trustlead", 1))
        return pupils, teachers, staff

    def _parents(self, pupils: list[_Pupil]) -> dict[int, list[int]]:
        """One or two parents per pupil; about one pupil in eight shares the last one's."""
        parents: dict[int, list[int]] = {}
        last: list[int] = []
        for pupil in pupils:
            if last and self.rng.random() < 0.125:
                family = last  # a brother or sister of the previous pupil
            else:
                family = [self._user(Role.PARENT, "parent", len(parents) + k + 1)
                          for k in range(1 if self.rng.random() < 0.3 else 2)]  # fmt: skip
            for parent_id in family:
                parents.setdefault(parent_id, []).append(pupil.id)
                self.tables["parent_child"].add({"parent_id": parent_id, "child_id": pupil.id})
            last = family
        return parents

    def _teaching(self, teachers: dict[int, int], back: int, start: date, end: date) -> None:
        """Each class's teacher set a module of two lessons and taught one from the board."""
        classes = db.session.execute(
            sa.select(SchoolClass.id, SchoolClass.year).where(
                SchoolClass.school_id == self.school.id
            )
        ).all()
        made = []
        for class_id, year in classes:
            if year - back < 0:
                continue
            band = _lessons_for(year - back)
            chosen = self.rng.sample(band, min(2, len(band)))
            when = min(end, start + timedelta(days=self.rng.randint(3, 40)))
            module = Module(school_id=self.school.id, title=f"Online safety: {chosen[0].title}",
                            created_by_id=teachers[class_id], created_at=_at(when, 9))  # fmt: skip
            module.lessons = [ModuleLesson(position=n, lesson_id=lesson.id)
                              for n, lesson in enumerate(chosen)]  # fmt: skip
            made.append((class_id, module, when, self.rng.choice(band)))
        db.session.add_all(m for _c, m, _w, _t in made)
        db.session.flush()
        for class_id, module, when, taught in made:
            self.tables["assignment"].add({
                "school_id": self.school.id, "module_id": module.id, "class_id": class_id,
                "year": None, "set_by_id": teachers[class_id], "due_on": when + timedelta(21),
                "created_at": _at(when, 9), "updated_at": _at(when, 9),
            })  # fmt: skip
            self.tables["taught"].add({
                "school_id": self.school.id, "class_id": class_id, "lesson_id": taught.id,
                "lesson_version": taught.version, "taught_on": min(end, when + timedelta(2)),
                "taught_by_id": teachers[class_id], "created_at": _at(when, 11),
            })  # fmt: skip
        self.summary.add("module", len(made))

    def _pupil_year(self, pupil: _Pupil, back: int, start: date, end: date) -> None:
        """One pupil's school year: sign-ins (each an AUP acceptance) and lessons finished."""
        year = pupil.year - back
        if year not in self.year_groups:
            return  # not at this school then
        days = max(1, (end - start).days)
        logons = sorted(max(start, _weekday(start + timedelta(days=self.rng.randint(0, days))))
                        for _ in range(max(1, LOGONS_PER_YEAR * days // 300)))  # fmt: skip
        band = [x for x in _lessons_for(year) if x.id not in pupil.done]
        finished = self.rng.sample(band, min(len(band), self.rng.randint(0, 5)))
        for n, day in enumerate(logons):
            when = _at(day, self.rng.choice((9, 10, 11, 13, 14)), self.rng.randint(0, 59))
            self._accepts(pupil.id, pupil_audience(year), when)
            if n < len(finished):
                self._lesson(pupil, finished[n], when + timedelta(minutes=25))

    def _lesson(self, pupil: _Pupil, lesson, when: datetime) -> None:
        """A completed lesson and one or two quiz attempts with every answer."""
        pupil.done.add(lesson.id)
        digest = lessons().content_hash(lesson.id)
        quiz = lessons().quiz_for(lesson.id)
        self.tables["progress"].add({
            "id": self.ids.take("lesson_progress"), "pupil_id": pupil.id, "lesson_id": lesson.id,
            "lesson_version": lesson.version, "content_hash": digest,
            "current_step": lesson.steps[-1].id, "started_at": when - timedelta(minutes=20),
            "updated_at": when, "completed_at": when,
        })  # fmt: skip
        skill = self.rng.uniform(0.45, 0.95)
        for number in (1, 2):
            attempt_id = self.ids.take("quiz_attempt")
            answers = [self._answer(attempt_id, question, skill) for question in quiz.questions]
            score = sum(row["correct"] for row, _mistakes in answers)
            total, needed = len(quiz.questions), quiz.needed_to_pass()
            self.tables["attempt"].add({
                "id": attempt_id, "pupil_id": pupil.id, "lesson_id": lesson.id,
                "lesson_version": lesson.version, "content_hash": digest, "number": number,
                "score": score, "total": total, "percent": round(100 * score / total),
                "passed": score >= needed, "needed": needed,
                "submitted_at": when + timedelta(minutes=5 * number),
            })  # fmt: skip
            for row, mistakes in answers:  # after their attempt: a batch may go in between
                self.tables["answer"].add(row)
                for misconception in mistakes:
                    self.tables["misconception"].add(
                        {"answer_id": row["id"], "misconception_id": misconception}
                    )
            if score >= needed or self.rng.random() < 0.5:
                return  # passed, or did not try again
            skill = min(1.0, skill + 0.2)

    def _answer(self, attempt_id: int, question, skill: float) -> tuple[dict, set[str]]:
        """One answer (right with probability skill) and the misconceptions it reveals."""
        right = [o for o in question.options if o.correct]
        wrong = [o for o in question.options if not o.correct]
        correct = not wrong or self.rng.random() < skill
        chosen = right if correct else [self.rng.choice(wrong)]  # every right option, else one
        row = {"id": self.ids.take("quiz_answer"), "attempt_id": attempt_id,
               "question_id": question.id, "chosen": [o.id for o in chosen],
               "correct": correct}  # fmt: skip
        return row, {o.misconception for o in chosen if o.misconception}

    def _accepts(self, user_id: int, audience: str, when: datetime, on_behalf_of=None) -> None:
        """Note an acceptance of an audience's current AUP, to be chained in time order."""
        self.chain.append((when, {"user_id": user_id, "on_behalf_of_id": on_behalf_of,
                                  "audience": audience}))  # fmt: skip

    def _write_chain(self) -> None:
        """Insert the school's acceptances in time order, hashed and chained as accept() does."""
        self.chain.sort(key=lambda item: (item[0], item[1]["user_id"]))
        network, browser = minimise.network("10.20.30.40"), minimise.browser(_AGENT)
        digest = minimise.client_digest("10.20.30.40", _AGENT)
        texts = {a: aups().get(a) for a in {item[1]["audience"] for item in self.chain}}
        rows = _Rows(Acceptance, self.summary)
        prev = acceptance.GENESIS
        for seq, (when, who) in enumerate(self._spread(), start=1):
            aup = texts[who["audience"]]
            row = Acceptance(seq=seq, school_id=self.school.id, login_session_id=None,
                             aup_id=aup.id, aup_version=aup.version, locale=aup.locale,
                             text_hash=aup.text_hash, accepted_at=when, hash_rule=3,
                             form="full", form_hash=aup.text_hash, recorded_by_id=None,
                             method="", ip_address="", user_agent="", network=network,
                             browser=browser, client_digest=digest, legacy_mac=None,
                             prev_hash=prev, **who)  # fmt: skip
            fields = acceptance.hashed_fields(row)
            prev = acceptance.record_hash(fields)
            rows.add({**fields, "accepted_at": when, "record_hash": prev,
                      "ip_address": "", "user_agent": ""})  # fmt: skip
        rows.flush()
        self.chain = []
        acceptance.rebuild_latest(self.school.id)

    def _spread(self) -> Iterator[tuple[datetime, dict]]:
        """The chain in time order, no two records at the same microsecond."""
        last = None
        for when, who in self.chain:
            if last is not None and when <= last:
                when = last + timedelta(microseconds=1)
            last = when
            yield when, who


_AGENT = "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def _weekday(day: date) -> date:
    """The day, or the Friday before it when it falls at a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A time on a day."""
    return datetime.combine(day, time(hour, minute))


def _lessons_for(year: int) -> tuple:
    """A year group's own lessons (by the years each lesson names), else its band's."""
    return lessons().for_year(year) or lessons().by_band(band_for_year(year))

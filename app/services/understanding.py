"""Did they understand? A pupil's once-a-term question about one statement of their AUP.

Once a term, right after agreeing, a pupil answers one short question about one statement of
their current AUP (aup/understanding/). The statement is one they have not been asked before,
else the one they last got wrong, else the next one round the list. An answer is an AupCheck
row; nothing else is stored, and a skipped question is asked again at the next sign-in in that
term. Compliance counts a pupil as "agreed and understood" when they have agreed and answered
correctly this term.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from app.content import aup_checks, lessons
from app.content.aup import DEFAULT_LOCALE, Aup, AupStatement
from app.content.schema import Lesson
from app.content.strands import band_for_year
from app.content.understanding import PUPIL_AUDIENCES, Check, Understanding, shuffled
from app.extensions import db
from app.models import AupCheck, Role, School, SchoolClass, User
from app.services import school_calendar, school_settings

MOST_MISUNDERSTOOD = 3
"""How many of the statements most often misunderstood compliance lists for each class."""


@dataclass(frozen=True)
class Question:
    """The question due for one pupil: the statement asked about and its options' order."""

    aup: Aup
    statement: int
    check: Check
    order: tuple[int, ...]  # option positions as the file lists them, in the order shown

    @property
    def promise(self) -> AupStatement:
        """The AUP statement the question is about."""
        return self.aup.statements[self.statement]


def _checks_for(aup: Aup) -> Understanding | None:
    """The questions written for exactly this AUP id and version, else None."""
    found = aup_checks().get(aup.audience)
    if found is None or (found.aup, found.version) != (aup.id, aup.version):
        return None
    return found


def answered_this_term(user: User, school: School, today: date) -> bool:
    """Whether the pupil has answered a question since this term began."""
    since = school_calendar.midnight(school_calendar.term_of(school, today).start)
    return (
        db.session.scalar(
            sa.select(AupCheck.id)
            .where(AupCheck.user_id == user.id, AupCheck.answered_at >= since)
            .limit(1)
        )
        is not None
    )


def due(user: User, aup: Aup, today: date) -> Question | None:
    """The question a pupil should answer now, or None (not a pupil, or answered this term)."""
    checks = _checks_for(aup)
    if user.role is not Role.PUPIL or checks is None:
        return None
    if answered_this_term(user, user.school, today):
        return None
    statement = choose_statement(user, aup)
    check = checks.check(statement)
    if check is None:
        return None
    order = shuffled(check.options, f"{user.id}:{aup.id}:{aup.version}:{statement}")
    return Question(aup, statement, check, tuple(order))


def choose_statement(user: User, aup: Aup) -> int:
    """One never asked, else the earliest whose last answer was wrong, else the next in turn."""
    rows = db.session.execute(
        sa.select(AupCheck.statement, AupCheck.correct)
        .where(
            AupCheck.user_id == user.id,
            AupCheck.aup_id == aup.id,
            AupCheck.aup_version == aup.version,
        )
        .order_by(AupCheck.answered_at, AupCheck.id)
    ).all()
    count = len(aup.statements)
    last: dict[int, bool] = {}
    for statement, correct in rows:
        if 0 <= statement < count:
            last[statement] = correct
    never = [n for n in range(count) if n not in last]
    if never:
        return never[0]
    wrong = [n for n in range(count) if not last[n]]
    if wrong:
        return wrong[0]
    return (rows[-1].statement + 1) % count


def record(user: User, question: Question, chosen: int) -> AupCheck:
    """Store a pupil's answer (chosen is the option's position in the file) and commit."""
    row = AupCheck(
        school_id=user.school_id,
        user_id=user.id,
        aup_id=question.aup.id,
        aup_version=question.aup.version,
        statement=question.statement,
        chosen=chosen,
        correct=chosen == question.check.right,
    )
    db.session.add(row)
    db.session.commit()
    return row


@dataclass(frozen=True)
class Misread:
    """One statement of one AUP that pupils answered wrongly this term, with its lessons."""

    aup: Aup
    statement: int
    wrong: int  # pupils whose answer about it this term was wrong
    lessons: tuple[str, ...]  # lesson ids, one for each band the AUP covers

    @property
    def text(self) -> str:
        """The statement's words."""
        return self.aup.statements[self.statement].text

    def lesson_for(self, year: int) -> Lesson | None:
        """The lesson that teaches the statement to this year group, or None."""
        band = band_for_year(year)
        found = (lessons().find(lesson_id) for lesson_id in self.lessons)
        return next((x for x in found if x is not None and x.band == band), None)


@dataclass
class Figures:
    """This term's answers at a school: who answered correctly, and who got what wrong."""

    term: school_calendar.Term
    current: dict[str, Aup]  # each pupil audience's current AUP
    understood: set[int] = field(default_factory=set)  # pupils who answered correctly
    wrong: dict[int, set[tuple[str, int]]] = field(default_factory=dict)  # (audience, statement)

    def agreed_and_understood(self, standings) -> int:
        """How many of these standings have agreed and answered correctly this term."""
        return sum(1 for s in standings if s.accepted and s.person.id in self.understood)

    def understood_among(self, pupil_ids) -> int:
        """How many of these pupils answered correctly this term."""
        return len(self.understood.intersection(pupil_ids))

    def misread(self, pupil_ids, most: int = MOST_MISUNDERSTOOD) -> list[Misread]:
        """The statements these pupils most often got wrong this term, most first."""
        counts: Counter = Counter()
        for pupil_id in pupil_ids:
            counts.update(self.wrong.get(pupil_id, ()))
        found = []
        for (audience, statement), count in sorted(counts.items(), key=_most_first):
            aup = self.current[audience]
            check = _checks_for(aup)
            check = check.check(statement) if check else None
            if check is not None and statement < len(aup.statements):
                found.append(Misread(aup, statement, count, check.lessons))
        return found[:most]


def _most_first(item) -> tuple:
    """Sort key: most wrong answers first, then by AUP audience and statement."""
    (audience, statement), count = item
    return (-count, audience, statement)


def figures(school: School, current: dict[str, Aup], today: date) -> Figures:
    """This term's answers at a school, against each pupil audience's current AUP (1 query).

    current maps each pupil audience to its current AUP; only answers about that id and version
    count, so a new AUP version starts everyone afresh.
    """
    return _read(Figures(school_calendar.term_of(school, today), current), school.id)


def figures_for(found, today: date) -> Figures:
    """This term's answers for a compliance report's school and its pupil AUPs (1 query)."""
    current = {a: line.aup for a, line in found.audiences.items() if a in PUPIL_AUDIENCES}
    return figures(found.school, current, today)


def for_class(school_class: SchoolClass, today: date) -> Figures:
    """This term's answers of one class's pupils only (1 query; the class page)."""
    school, pupils = school_class.school, school_class.pupils
    current = {
        a: school_settings.current_aup(school.id, a, DEFAULT_LOCALE, today)
        for a in sorted({p.audience for p in pupils})
    }
    pupil_ids = [p.id for p in pupils]
    return _read(Figures(school_calendar.term_of(school, today), current), school.id, pupil_ids)


def _read(found: Figures, school_id: int, pupil_ids: list[int] | None = None) -> Figures:
    """Fill found with this term's answers at one school (only these pupils', if given)."""
    wanted = {(a.id, a.version): audience for audience, a in found.current.items()}
    query = sa.select(
        AupCheck.user_id, AupCheck.aup_id, AupCheck.aup_version, AupCheck.statement,
        AupCheck.correct,
    ).where(
        AupCheck.school_id == school_id,
        AupCheck.answered_at >= school_calendar.midnight(found.term.start),
    ).order_by(AupCheck.answered_at, AupCheck.id)  # fmt: skip
    if pupil_ids is not None:
        query = query.where(AupCheck.user_id.in_(pupil_ids))
    for user_id, aup_id, version, statement, correct in db.session.execute(query):
        audience = wanted.get((aup_id, version))
        if audience is None:
            continue
        if correct:
            found.understood.add(user_id)
            found.wrong.get(user_id, set()).discard((audience, statement))
        else:
            found.wrong.setdefault(user_id, set()).add((audience, statement))
    return found

"""A parent's children: who they may see, the AUP signed for each, and what each has covered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.content import lessons
from app.content.topics import TOPIC_IDS
from app.extensions import db
from app.models import (
    Acceptance,
    LessonProgress,
    Role,
    TaughtLesson,
    User,
    class_pupil,
    parent_child,
)
from app.services import school_calendar, school_settings


def children_of(parent: User) -> list[User]:
    """The parent's linked pupils in their own school, by name, with their classes loaded."""
    query = (
        sa.select(User)
        .join(parent_child, parent_child.c.child_id == User.id)
        .where(
            parent_child.c.parent_id == parent.id,
            User.school_id == parent.school_id,
            User.role == Role.PUPIL,
        )
        .options(selectinload(User.classes))
        .order_by(User.display_name, User.id)
    )
    return list(db.session.scalars(query))


def aup_signed(
    parent: User, child_ids: list[int], today: date | None = None
) -> dict[int, datetime | None]:
    """When the parent last accepted the current parent AUP for each child (None: not yet).

    The current AUP is the one the AUP gate shows (the school's own published version where it
    has one, else the file's), and only an acceptance of its exact text counts.
    """
    today = today or school_calendar.today()
    texts = school_settings.current_texts(parent.school_id, "parent", today)
    query = (
        sa.select(Acceptance.on_behalf_of_id, sa.func.max(Acceptance.accepted_at))
        .where(
            Acceptance.user_id == parent.id,
            Acceptance.on_behalf_of_id.in_(child_ids),
            Acceptance.text_hash.in_(sorted(texts)),
        )
        .group_by(Acceptance.on_behalf_of_id)
    )
    signed = dict.fromkeys(child_ids)
    signed.update({child_id: when for child_id, when in db.session.execute(query)})
    return signed


@dataclass
class TopicCovered:
    """One topic a child met this term, and the lessons that taught it."""

    topic: str
    completed: list[str] = field(default_factory=list)  # titles of lessons the child finished
    taught: list[str] = field(default_factory=list)  # titles of lessons taught to their class


def covered(children: list[User], term: school_calendar.Term) -> dict[int, list[TopicCovered]]:
    """Per child, the topics of lessons completed or taught to their class this term (2 queries)."""
    ids = [child.id for child in children]
    found: dict[int, dict[str, TopicCovered]] = {child_id: {} for child_id in ids}
    start, after = (
        school_calendar.midnight(term.start),
        school_calendar.midnight(term.end + timedelta(days=1)),
    )
    done = sa.select(LessonProgress.pupil_id, LessonProgress.lesson_id).where(
        LessonProgress.pupil_id.in_(ids),
        LessonProgress.completed_at >= start,
        LessonProgress.completed_at < after,
    )
    for pupil_id, lesson_id in db.session.execute(done):
        _add(found[pupil_id], lesson_id, "completed")
    taught = (
        sa.select(class_pupil.c.pupil_id, TaughtLesson.lesson_id)
        .join(class_pupil, class_pupil.c.class_id == TaughtLesson.class_id)
        .where(
            class_pupil.c.pupil_id.in_(ids),
            TaughtLesson.taught_on >= term.start,
            TaughtLesson.taught_on <= term.end,
        )
        .distinct()
    )
    for pupil_id, lesson_id in db.session.execute(taught):
        _add(found[pupil_id], lesson_id, "taught")
    order = {topic: n for n, topic in enumerate(TOPIC_IDS)}
    return {
        child_id: sorted(topics.values(), key=lambda t: order.get(t.topic, len(order)))
        for child_id, topics in found.items()
    }


def _add(topics: dict[str, TopicCovered], lesson_id: str, how: str) -> None:
    """File a lesson under its topic; lessons no longer in the library are left out."""
    lesson = lessons().find(lesson_id)
    if lesson is None:
        return
    entry = topics.setdefault(lesson.topic, TopicCovered(lesson.topic))
    titles = getattr(entry, how)
    if lesson.title not in titles:
        titles.append(lesson.title)

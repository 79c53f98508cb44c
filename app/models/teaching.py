"""What teachers do with the curriculum: modules, assignments, lessons taught, AUP introductions.

Lessons live in files; rows here name them by id. A module is a school's ordered list of lesson
ids (a teacher's own, or a ready-made band/topic module saved when first assigned).
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import SchoolClass, User, utcnow


class Module(db.Model):
    """One or more lessons (with their quizzes) that are assigned together."""

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    # "ks2/grooming" for a ready-made band/topic module, None for one a teacher built
    preset: Mapped[str | None] = mapped_column(sa.String(60))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lessons: Mapped[list[ModuleLesson]] = relationship(
        back_populates="module", cascade="all, delete-orphan", order_by="ModuleLesson.position"
    )

    @property
    def lesson_ids(self) -> list[str]:
        """The module's lesson ids in teaching order."""
        return [item.lesson_id for item in self.lessons]


class ModuleLesson(db.Model):
    """One lesson's place in a module."""

    __tablename__ = "module_lesson"
    __table_args__ = (sa.UniqueConstraint("module_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(
        sa.ForeignKey("module.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    lesson_id: Mapped[str] = mapped_column(sa.String(80))
    module: Mapped[Module] = relationship(back_populates="lessons")


class Assignment(db.Model):
    """A module set for one class, or for a whole year group, with an optional due date.

    Exactly one of class_id and year is set. Withdrawing keeps the row (withdrawn_at) so what
    was set, and when, stays visible to coordinators.

    One thing, two words: code and the database call it an "assignment"; every screen says a
    teacher "sets" a module for a class (as UK teachers set work), never "assigns" it.
    """

    __table_args__ = (
        sa.CheckConstraint("(class_id IS NULL) <> (year IS NULL)", name="class_or_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("module.id"), index=True)
    class_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("school_class.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int | None]
    set_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    message: Mapped[str | None] = mapped_column(sa.String(500))
    due_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None]

    module: Mapped[Module] = relationship()
    school_class: Mapped[SchoolClass | None] = relationship()
    set_by: Mapped[User | None] = relationship()


class TaughtLesson(db.Model):
    """A lesson taught to a whole class from the board, on a date (counts toward coverage)."""

    __tablename__ = "taught_lesson"
    __table_args__ = (sa.UniqueConstraint("class_id", "lesson_id", "taught_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_class.id", ondelete="CASCADE"), index=True
    )
    lesson_id: Mapped[str] = mapped_column(sa.String(80), index=True)
    lesson_version: Mapped[int]
    taught_on: Mapped[date]
    taught_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    school_class: Mapped[SchoolClass] = relationship()


class AupIntroduction(db.Model):
    """A class was walked through its AUP at the start of a school year (policies 003, 004)."""

    __tablename__ = "aup_introduction"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    class_id: Mapped[int] = mapped_column(
        sa.ForeignKey("school_class.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[str] = mapped_column(sa.String(20))
    aup_id: Mapped[str] = mapped_column(sa.String(60))
    aup_version: Mapped[str] = mapped_column(sa.String(30))
    introduced_on: Mapped[date]
    introduced_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

"""Beyond accounts: the year group each pupil was in, kept at rollover; parent letters."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User, utcnow


class PupilYear(db.Model):
    """The year group a pupil was in for one school year, kept when the school rolls over.

    Reports of an earlier school year read a pupil's year group from here, so last year's
    coverage stays as it was after everyone moves up (and a leaver still counts in it).
    """

    __tablename__ = "pupil_year"
    __table_args__ = (sa.UniqueConstraint("pupil_id", "year_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    year_start: Mapped[date]  # the first day of that school year
    year: Mapped[int]


class ParentInvite(db.Model):
    """A one-time code on a printed letter: a parent makes their own account, linked to the child.

    Only the code's SHA-256 is kept (the code is random and long, like a session token); it works
    once (used_at) and until expires_at.
    """

    __tablename__ = "parent_invite"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    child_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    child: Mapped[User] = relationship(foreign_keys=[child_id])

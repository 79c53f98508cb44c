"""Parents' workshops a school runs from a pack, and the anonymous feedback parents give."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import utcnow


class WorkshopSession(db.Model):
    """One running of a workshop pack at a school; its code opens the feedback form."""

    __tablename__ = "workshop_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    pack_id: Mapped[str] = mapped_column(sa.String(80))
    held_on: Mapped[date]
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    feedback: Mapped[list[WorkshopFeedback]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="WorkshopFeedback.id"
    )


class WorkshopFeedback(db.Model):
    """One parent's answers to a session's feedback form; anonymous by design (no name, no id)."""

    __tablename__ = "workshop_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True
    )
    answers: Mapped[dict] = mapped_column(sa.JSON)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    session: Mapped[WorkshopSession] = relationship(back_populates="feedback")

"""The audit log: security and privacy events, written once and never changed (only pruned)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db
from app.models.accounts import utcnow


class AuditEvent(db.Model):
    """One event: when, which school, who did it, to whom, a short detail and the address."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_school_at", "school_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    school_id: Mapped[int | None] = mapped_column(sa.ForeignKey("school.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    event: Mapped[str] = mapped_column(sa.String(40))
    subject_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[str] = mapped_column(sa.String(500), default="{}")
    ip_address: Mapped[str] = mapped_column(sa.String(45), default="")


@event.listens_for(Session, "before_flush")
def _insert_only(session, _context, _instances):
    """An audit row is never changed or deleted through the ORM (prune deletes in bulk)."""
    changed = [row for row in session.dirty if isinstance(row, AuditEvent)]
    if any(session.is_modified(row) for row in changed) or any(
        isinstance(row, AuditEvent) for row in session.deleted
    ):
        raise RuntimeError("audit rows are insert-only: they are never changed or deleted")

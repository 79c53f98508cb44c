"""Photo consent per pupil: in school, and each public use on its own (000); changes are kept."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User, utcnow


class ConsentPart(enum.StrEnum):
    """What the consent covers."""

    IN_SCHOOL = "in_school"  # images taken in school, for use in school
    WEBSITE = "website"  # images on the school's website
    SOCIAL_MEDIA = "social_media"  # images on the school's social media accounts
    PRESS = "press"  # images given to newspapers, magazines and broadcasters
    # Before the split, one answer covered every public use. It is no longer asked, but its rows
    # are history, and a use not yet answered on its own falls back to it (services/consent.py).
    PUBLICATIONS = "publications"


class ConsentDecision(enum.StrEnum):
    """A parent's (or a sixth former's own) decision; the latest row per pupil and part counts."""

    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class PhotoConsent(db.Model):
    """One decision about one part of one pupil's photo consent; never updated or deleted.

    No row for a pupil and part means nobody has answered yet, which counts as no consent.
    """

    __tablename__ = "photo_consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    part: Mapped[ConsentPart] = mapped_column(sa.Enum(ConsentPart, native_enum=False, length=20))
    decision: Mapped[ConsentDecision] = mapped_column(
        sa.Enum(ConsentDecision, native_enum=False, length=20)
    )
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id], viewonly=True)


@event.listens_for(PhotoConsent, "before_update")
@event.listens_for(PhotoConsent, "before_delete")
def _refuse_change(mapper, connection, target):
    """Consent history is a record: a change is a new row, never an edit or a deletion.

    The database refuses the same with triggers (migration 0009), for SQL that bypasses the ORM.
    """
    raise PermissionError("photo consent decisions are insert-only")

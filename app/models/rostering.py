"""A roster file uploaded by an admin, kept between its preview and applying it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.accounts import utcnow


class RosterUpload(db.Model):
    """The uploaded file itself, in the database so any app server can apply it; it expires.

    Applied or cancelled uploads are deleted at once; any left behind are deleted once expired,
    at the next upload (they hold children's names, so they are kept no longer than needed).
    """

    __tablename__ = "roster_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]

"""Server-side sign-in sessions, so signing out (or an admin) really ends a session."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User, utcnow


class LoginSession(db.Model):
    """One signed-in browser; the cookie holds a token whose hash is stored here."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(sa.String(20))
    # when this sign-in's authenticator or recovery code was accepted (None: not yet, or not asked)
    second_factor_at: Mapped[datetime | None]
    user: Mapped[User] = relationship()

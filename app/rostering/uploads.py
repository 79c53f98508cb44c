"""Uploaded roster files waiting between the admin's preview and Apply, in the database."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.errors import NotFound
from app.extensions import db
from app.models import RosterUpload, User, utcnow

KEPT_FOR = timedelta(hours=2)
"""How long an upload waits for Apply: a preview read over lunch, not a file kept for days."""


def keep(user: User, filename: str, content: bytes) -> RosterUpload:
    """Store an upload for the user's school (the caller commits); expired ones are deleted."""
    now = utcnow()
    db.session.execute(sa.delete(RosterUpload).where(RosterUpload.expires_at < now))
    upload = RosterUpload(
        school_id=user.school_id,
        uploaded_by_id=user.id,
        filename=filename[:200] or "roster.csv",
        content=content,
        expires_at=now + KEPT_FOR,
    )
    db.session.add(upload)
    db.session.flush()
    return upload


def for_user(user: User, upload_id: int) -> RosterUpload:
    """One of the user's school's unexpired uploads; another school's, or an expired one, is 404."""
    upload = db.session.get(RosterUpload, upload_id)
    if upload is None or upload.school_id != user.school_id or upload.expires_at < utcnow():
        raise NotFound()
    return upload


def forget(upload: RosterUpload) -> None:
    """Delete an applied or cancelled upload (the caller commits)."""
    db.session.delete(upload)

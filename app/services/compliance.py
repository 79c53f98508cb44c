"""AUP compliance: who has accepted the current version of their AUP."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.content import aups
from app.extensions import db
from app.models import Acceptance, School, User


@dataclass(frozen=True)
class AudienceLine:
    """One audience's current AUP and how many of its people have accepted it."""

    audience: str
    title: str
    version: str
    people: int
    accepted: int


def audience_summary(school: School) -> list[AudienceLine]:
    """Per audience: people in the school and those who accepted the current version (2 queries)."""
    users = db.session.scalars(
        sa.select(User).where(User.school_id == school.id, User.active.is_(True))
    ).all()
    accepted = set(
        tuple(row)
        for row in db.session.execute(
            sa.select(Acceptance.user_id, Acceptance.aup_id, Acceptance.aup_version)
            .where(Acceptance.school_id == school.id)
            .distinct()
        )
    )
    lines = []
    for audience in aups().audiences():
        aup = aups().get(audience)
        people = [u for u in users if u.audience == audience]
        done = sum((u.id, aup.id, aup.version) in accepted for u in people)
        lines.append(AudienceLine(audience, aup.title, aup.version, len(people), done))
    return lines

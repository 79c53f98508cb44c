"""Safeguarding: pupils' worries, staff concerns and the DSL's incident log, all insert-only.

What a person wrote is evidence: no row here is ever changed or deleted. An incident's current
state (its category, status, pupils and their part) is its latest entry of each kind; a
correction is a new entry that names the one it corrects, so the old text stays readable.
The database refuses UPDATE and DELETE with triggers too (migration 0017), and the ORM refuses
them below. No table holds an image or a file: there is nowhere to put one.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from app.extensions import db
from app.models.accounts import User, utcnow


class SafeguardingReport(db.Model):
    """A pupil's worry or a staff member's concern, as they wrote it, sent to the DSL team."""

    __tablename__ = "safeguarding_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    # "worry" from a pupil about themselves, "concern" from staff about one or more pupils
    kind: Mapped[str] = mapped_column(sa.String(20))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    # what it is about, as the pupil chose it (app.services.safeguarding.WORRY_ABOUT)
    about: Mapped[str | None] = mapped_column(sa.String(30))
    text: Mapped[str | None] = mapped_column(sa.Text)
    happened: Mapped[str | None] = mapped_column(sa.String(200))
    platform: Mapped[str | None] = mapped_column(sa.String(200))
    action_taken: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    pupils: Mapped[list[ReportPupil]] = relationship(order_by="ReportPupil.id")
    reads: Mapped[list[ReportRead]] = relationship(order_by="ReportRead.id")


class ReportPupil(db.Model):
    """A pupil a report is about (a pupil's own worry is about themselves)."""

    __tablename__ = "safeguarding_report_pupil"
    __table_args__ = (sa.UniqueConstraint("report_id", "pupil_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguarding_report.id"), index=True)
    pupil_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    pupil: Mapped[User] = relationship()


class ReportRead(db.Model):
    """A member of the DSL team opened a report: the author sees that it was read."""

    __tablename__ = "safeguarding_report_read"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguarding_report.id"), index=True)
    reader_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Incident(db.Model):
    """One incident in the log: who opened it and when; everything else is its entries."""

    __tablename__ = "safeguarding_incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    opened_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    opened_by: Mapped[User] = relationship()
    entries: Mapped[list[IncidentEntry]] = relationship(
        order_by="IncidentEntry.id", back_populates="incident"
    )


class IncidentEntry(db.Model):
    """One line of an incident's chronology: who, when, what kind, a code and their words.

    kind says what the entry sets or records (app.services.safeguarding.EntryKind); value is a
    short code (a category, a status, a referral route, a pupil's part); pupil_id names the
    pupil it is about; report_id a report added to the incident; corrects_id the entry a
    correction replaces (whose text stays).
    """

    __tablename__ = "safeguarding_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(sa.ForeignKey("safeguarding_incident.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(30))
    value: Mapped[str | None] = mapped_column(sa.String(80))
    text: Mapped[str | None] = mapped_column(sa.Text)
    pupil_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("safeguarding_report.id"))
    corrects_id: Mapped[int | None] = mapped_column(sa.ForeignKey("safeguarding_entry.id"))

    incident: Mapped[Incident] = relationship(back_populates="entries")
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    pupil: Mapped[User | None] = relationship(foreign_keys=[pupil_id])


class SanctionOption(db.Model):
    """A change to a school's sanctions matrix: a sanction of its own added, or one shown or
    hidden. The latest row per key wins; a key's label never changes once written, so a
    sanction recorded on an incident always reads as it did when it was chosen."""

    __tablename__ = "safeguarding_sanction_option"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    # "pupil" or "staff": which matrix
    audience: Mapped[str] = mapped_column(sa.String(10))
    # a default's key (app.services.safeguarding.SANCTIONS) or "own-<n>" for the school's own
    key: Mapped[str] = mapped_column(sa.String(40))
    label: Mapped[str | None] = mapped_column(sa.String(200))
    shown: Mapped[bool] = mapped_column(default=True)
    changed_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


INSERT_ONLY = (SafeguardingReport, ReportPupil, ReportRead, Incident, IncidentEntry, SanctionOption)
INSERT_ONLY_TABLES = tuple(model.__tablename__ for model in INSERT_ONLY)


def _refuse_change(mapper, connection, target):
    """Safeguarding records are evidence: a change is a new row, never an edit or a deletion.

    The database refuses the same with triggers (migration 0017), for SQL past the ORM.
    """
    raise PermissionError("safeguarding records are insert-only")


def _refuse_edit(mapper, connection, target):
    """Refuse a changed column; adding a row to one of the record's lists changes none."""
    if object_session(target).is_modified(target, include_collections=False):
        _refuse_change(mapper, connection, target)


for _model in INSERT_ONLY:
    event.listen(_model, "before_update", _refuse_edit)
    event.listen(_model, "before_delete", _refuse_change)

"""Trusts, schools, classes and the people in them; personal data kept to a minimum."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.years import key_stage, pupil_audience


def utcnow() -> datetime:
    """The current time in UTC, stored without a zone (every stored time is UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Role(enum.StrEnum):
    """What a user is to the school; decides their home page, AUP and access."""

    PUPIL = "pupil"
    TEACHER = "teacher"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    PARENT = "parent"
    VISITOR = "visitor"


STAFF_ROLES = frozenset({Role.TEACHER, Role.COORDINATOR, Role.ADMIN})

class_pupil = sa.Table(
    "class_pupil",
    db.metadata,
    sa.Column("class_id", sa.ForeignKey("school_class.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("pupil_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)
class_teacher = sa.Table(
    "class_teacher",
    db.metadata,
    sa.Column("class_id", sa.ForeignKey("school_class.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("teacher_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)
parent_child = sa.Table(
    "parent_child",
    db.metadata,
    sa.Column("parent_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("child_id", sa.ForeignKey("user.id", ondelete="CASCADE"), primary_key=True),
)


class Trust(db.Model):
    """A multi-academy trust holding several schools."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    schools: Mapped[list[School]] = relationship(back_populates="trust")


class School(db.Model):
    """A school; every person and record belongs to exactly one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    trust_id: Mapped[int | None] = mapped_column(sa.ForeignKey("trust.id"))
    name: Mapped[str] = mapped_column(sa.String(200))
    # the DfE unique reference number: how a school is named on the command line and matched in
    # a roster export (OneRoster orgs.identifier); None only for schools made before it existed
    urn: Mapped[str | None] = mapped_column(sa.String(12), unique=True)
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    year_start_month: Mapped[int] = mapped_column(default=9)
    year_start_day: Mapped[int] = mapped_column(default=1)
    # teachers sign in with an authenticator code too (coordinators and admins always do)
    mfa_for_teachers: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # the school's last year group (6 for a primary, 11 or 13 for a secondary): its pupils leave
    # at the year rollover; None means the highest year group the school has (classes or pupils)
    last_year: Mapped[int | None]
    # the first day of the school year the school last moved into (rollover, or its creation):
    # a second rollover in the same school year is refused, so no one moves up twice
    rolled_over_on: Mapped[date | None]
    # pupils read and agree to their AUP's full text at every logon, instead of its short form
    # (the full text is always shown on the first logon of a term and of a new version)
    aup_full_every_time: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    trust: Mapped[Trust | None] = relationship(back_populates="schools")
    classes: Mapped[list[SchoolClass]] = relationship(back_populates="school")


class SchoolClass(db.Model):
    """A class (teaching group) in one year group, with its teachers and pupils."""

    __tablename__ = "school_class"
    __table_args__ = (
        sa.UniqueConstraint("school_id", "name"),
        sa.UniqueConstraint("school_id", "roster_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(40))
    year: Mapped[int]
    # the class's id in the school's roster (OneRoster sourcedId), so a new import updates it
    roster_id: Mapped[str | None] = mapped_column(sa.String(255))
    # an ended class (last school year's, or closed by the admin) keeps its history but is no
    # longer listed for teaching
    ended_at: Mapped[datetime | None]
    # picture sign-in is open while the teacher shows this code, until sign_in_code_expires_at
    sign_in_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    sign_in_code_expires_at: Mapped[datetime | None]
    school: Mapped[School] = relationship(back_populates="classes")
    pupils: Mapped[list[User]] = relationship(
        secondary=class_pupil, back_populates="classes", order_by="User.display_name"
    )
    teachers: Mapped[list[User]] = relationship(
        secondary=class_teacher, back_populates="taught_classes", order_by="User.display_name"
    )

    @property
    def key_stage(self) -> str:
        """The key stage of the class's year group."""
        return key_stage(self.year)


class User(UserMixin, db.Model):
    """Anyone who signs in: display name, username and (for pupils) year group only."""

    __table_args__ = (sa.UniqueConstraint("school_id", "roster_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"), index=True)
    role: Mapped[Role] = mapped_column(sa.Enum(Role, native_enum=False, length=20))
    username: Mapped[str] = mapped_column(sa.String(80), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    year: Mapped[int | None]
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    picture_hash: Mapped[str | None] = mapped_column(sa.String(255))
    must_change_password: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    active: Mapped[bool] = mapped_column(default=True)
    # the person's id in the school's roster (OneRoster sourcedId, or the UPN or staff code of
    # the simple CSV): a new import updates them in place and a returning pupil keeps history
    roster_id: Mapped[str | None] = mapped_column(sa.String(255))
    # when they left the school (active is then False): records stay until retention says not
    left_at: Mapped[datetime | None]
    # when a leaver's identifying fields were erased (app/services/erasure.py): on request or
    # by retention; the account row stays so the records that name its id keep their meaning
    erased_at: Mapped[datetime | None]
    # a member of the school's safeguarding team (DSL or deputy), set by the admin: reads the
    # incident log; a coordinator is one only if also given this
    dsl: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # a coordinator in a trust's central team who may see every school of the trust
    trust_wide: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # staff MFA (app/services/mfa.py): the TOTP secret, encrypted with a key derived from
    # SECRET_KEY; set up once the first code is confirmed; the last time step a code was used
    mfa_secret: Mapped[str | None] = mapped_column(sa.String(255))
    mfa_enabled_at: Mapped[datetime | None]
    mfa_last_step: Mapped[int | None]

    school: Mapped[School] = relationship()
    classes: Mapped[list[SchoolClass]] = relationship(
        secondary=class_pupil, back_populates="pupils"
    )
    taught_classes: Mapped[list[SchoolClass]] = relationship(
        secondary=class_teacher, back_populates="teachers", order_by="SchoolClass.year"
    )
    children: Mapped[list[User]] = relationship(
        secondary=parent_child,
        primaryjoin=lambda: User.id == parent_child.c.parent_id,
        secondaryjoin=lambda: User.id == parent_child.c.child_id,
        back_populates="parents",
        order_by=lambda: User.display_name,
    )
    parents: Mapped[list[User]] = relationship(
        secondary=parent_child,
        primaryjoin=lambda: User.id == parent_child.c.child_id,
        secondaryjoin=lambda: User.id == parent_child.c.parent_id,
        back_populates="children",
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        """Whether the account may sign in."""
        return self.active

    @property
    def is_staff(self) -> bool:
        """Teachers, coordinators and admins: the staff AUP and the staff idle limit."""
        return self.role in STAFF_ROLES

    @property
    def audience(self) -> str:
        """Which AUP this user accepts."""
        if self.role is Role.PUPIL:
            return pupil_audience(self.year if self.year is not None else 0)
        if self.role is Role.PARENT:
            return "parent"
        if self.role is Role.VISITOR:
            return "visitor"
        return "staff"

    @property
    def key_stage(self) -> str | None:
        """A pupil's key stage, None for everyone else."""
        return key_stage(self.year) if self.year is not None else None


class MfaRecoveryCode(db.Model):
    """One of a user's ten one-time recovery codes, stored with the slow password hash."""

    __tablename__ = "mfa_recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255))
    used_at: Mapped[datetime | None]

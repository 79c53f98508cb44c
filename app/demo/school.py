"""Lantern Demo School: every role, one class per year group, safe to load twice.

Its pupils, staff, parent and classes come in through the roster import, from Lantern's own CSV
template (app/demo/roster/lantern-roster.csv), as a real school's would; the demo then gives
its logins the demo password and the coordinator and admin roles an import never gives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from app.demo import activity as demo_activity
from app.extensions import db
from app.models import ConsentPart, PhotoConsent, Role, School, SchoolClass, User, utcnow
from app.rostering import apply_plan, prepare, simple
from app.rostering.files import RosterFiles
from app.rostering.records import Roster
from app.services.auth import hash_secret, picture_key

SCHOOL_NAME = "Lantern Demo School"
# DfE URNs are six digits and real schools' run from 100000 upwards; 9999xx is not issued, so
# the demo can never be mistaken for (or collide with) a real school's URN
SCHOOL_URN = "999901"
DEMO_PASSWORD = "lantern-demo"  # noqa: S105 - demo only; the demo command refuses production
CLASS_CODE = "FOX1"  # the demo's picture sign-in code: real classes get a fresh one each time
PICTURES = ["cat", "sun", "tree"]
CLASS_NAMES = {
    0: "RB", 1: "1A", 2: "2B", 3: "3A", 4: "4B", 5: "5A", 6: "6B",
    7: "7A", 8: "8C", 9: "9B", 10: "10A", 11: "11B", 12: "12S", 13: "13S",
}  # fmt: skip


@dataclass(frozen=True)
class Account:
    """A demo login."""

    username: str
    name: str
    role: Role
    year: int | None = None


ACCOUNTS = (
    Account("pupil.y1", "Amara O.", Role.PUPIL, 1),
    Account("pupil.y4", "Ben C.", Role.PUPIL, 4),
    Account("pupil.y8", "Chloe C.", Role.PUPIL, 8),
    Account("pupil.y10", "Dev S.", Role.PUPIL, 10),
    Account("pupil.y12", "Efua M.", Role.PUPIL, 12),
    Account("teacher", "Ms Patel", Role.TEACHER),
    Account("coordinator", "Mr Hughes", Role.COORDINATOR),
    Account("parent", "Jo Carter", Role.PARENT),
    Account("trust.lead", "Ms Okafor", Role.COORDINATOR),
    Account("admin", "Mrs Evans", Role.ADMIN),
    Account("visitor", "Guest visitor", Role.VISITOR),
)
ROSTER = Path(__file__).parent / "roster" / simple.FILE_NAME
"""The demo's people and classes, in Lantern's CSV template: the demo is loaded by the import."""
STAFF_ROLES = {"coordinator": Role.COORDINATOR, "trust.lead": Role.COORDINATOR, "admin": Role.ADMIN}
"""Roles an import never gives (it makes staff teachers): set by hand, as a school's admin would."""


def load(activity: bool = True) -> School:
    """Create (or complete) the demo school through the roster import; running it again changes
    nothing.

    activity=False leaves out the year of lessons, the trust and its second school, for tests
    that count rows from a blank school.
    """
    school = _get_or_add(School, name=SCHOOL_NAME)
    school.urn = school.urn or SCHOOL_URN
    _import_roster(school)
    classes = {c.year: c for c in db.session.scalars(
        sa.select(SchoolClass).where(SchoolClass.school_id == school.id,
                                     SchoolClass.name.in_(CLASS_NAMES.values())))}  # fmt: skip
    _open_sign_in(classes[1])
    users = {a.username: _account(school, a) for a in ACCOUNTS}
    users["pupil.y1"].picture_hash = users["pupil.y1"].picture_hash or hash_secret(
        picture_key(PICTURES)
    )
    _demo_consent(school)
    if activity:
        demo_activity.load_activity(school, users, classes)  # coverage, progression, the trust
    db.session.commit()
    return school


def _import_roster(school: School) -> None:
    """Bring the demo's pupils, staff, parent and classes in from its CSV, as a school would."""
    wished = {}
    for _number, row in RosterFiles.from_path(ROSTER).rows(ROSTER.name, Roster("lantern-csv")):
        if row.get("username"):
            wished[row["username"]] = row["id"]
    # a demo loaded before it came through the import: its people are adopted by username
    for user in db.session.scalars(
        sa.select(User).where(User.username.in_(wished), User.roster_id.is_(None))
    ):
        user.roster_id = wished[user.username]
    db.session.flush()
    roster, plan = prepare(school.id, RosterFiles.from_path(ROSTER), school.urn)
    if plan is None:
        raise RuntimeError("; ".join(str(p) for p in roster.problems))
    apply_plan(plan)
    db.session.expire_all()


def _open_sign_in(school_class: SchoolClass) -> None:
    """Open the demo class's picture sign-in with the demo code, as its teacher would."""
    minutes = current_app.config["LANTERN_PICTURE_CODE_MINUTES"]
    school_class.sign_in_code = CLASS_CODE
    school_class.sign_in_code_expires_at = utcnow() + timedelta(minutes=minutes)


def reopen_sign_in() -> None:
    """Open the demo code again for the usual time, so `make run` always prints one that works."""
    school_class = db.session.scalar(
        sa.select(SchoolClass)
        .join(School)
        .where(School.name == SCHOOL_NAME, SchoolClass.name == CLASS_NAMES[1])
    )
    if school_class is not None:
        _open_sign_in(school_class)
        db.session.commit()


def _get_or_add(model, **fields):
    """The row with these fields, added if missing."""
    keys = {k: v for k, v in fields.items() if not isinstance(v, db.Model)}
    row = db.session.scalar(sa.select(model).filter_by(**keys))
    if row is None:
        row = model(**fields)
        db.session.add(row)
        db.session.flush()
    return row


def _account(school: School, account: Account) -> User:
    """A demo login: imported without a password, given the demo password and its role once."""
    user = db.session.scalar(sa.select(User).where(User.username == account.username))
    if user is None:  # the visitor: a guest account, never in a school's roster
        user = User(school=school, username=account.username, display_name=account.name,
                    role=account.role, year=account.year)  # fmt: skip
        db.session.add(user)
    if user.password_hash is None:
        user.password_hash = hash_secret(DEMO_PASSWORD)
        user.must_change_password = False
        user.role = STAFF_ROLES.get(account.username, user.role)
    if account.role is Role.COORDINATOR and account.username == "coordinator":
        user.dsl = True  # the demo's e-safety coordinator is also its DSL
    return user


def logins() -> list[tuple[str, str]]:
    """The demo logins to print: username and who it is."""
    return [(a.username, f"{a.name} ({_describe(a)})") for a in ACCOUNTS]


def _describe(account: Account) -> str:
    """A short description of a demo account."""
    if account.role is Role.PUPIL:
        return f"pupil, Year {account.year}, class {CLASS_NAMES[account.year]}"
    if account.username == "trust.lead":
        return "trust-wide coordinator: every school of Lantern Learning Trust"
    extra = {
        Role.TEACHER: "teacher of 4B and 8C",
        Role.PARENT: "parent of pupil.y4 and pupil.y8",
        Role.COORDINATOR: "e-safety coordinator and DSL",
    }
    return extra.get(account.role, account.role.value)


# Photo consent for demo classmates only (never pupil.y4 or pupil.y8, whose parent decides in
# the demo): n-th classmate -> {part: decisions in order}; a part left out is not answered.
# Classmates 2 and 6 answered the old single "publications" question before uses were asked
# separately, so the demo shows that answer standing in for each use, labelled as such.
_IN, _WEB, _SOCIAL, _PRESS = ("in_school", "website", "social_media", "press")
DEMO_CONSENT = {
    1: {_IN: ["given"], _WEB: ["given"], _SOCIAL: ["given"], _PRESS: ["given"]},
    2: {_IN: ["given"], "publications": ["given"], _SOCIAL: ["refused"]},
    3: {_IN: ["given"], _WEB: ["given"], _SOCIAL: ["refused"], _PRESS: ["refused"]},
    4: {},
    5: {_IN: ["refused"], _WEB: ["refused"], _SOCIAL: ["refused"], _PRESS: ["refused"]},
    6: {_IN: ["given"], "publications": ["given", "withdrawn"]},
}


def _demo_consent(school: School) -> None:
    """Give demo classmates a mix of photo-consent decisions, once (parts in policy 000)."""
    decided = set(db.session.scalars(sa.select(PhotoConsent.pupil_id).distinct()))
    for year in (4, 8):
        for n, answers in DEMO_CONSENT.items():
            pupil = db.session.scalar(sa.select(User).where(User.username == f"demo.y{year}.{n}"))
            if pupil is None or pupil.id in decided:
                continue
            for part, decisions in answers.items():
                for decision in decisions:
                    row = PhotoConsent(school_id=school.id, pupil_id=pupil.id,
                                       part=ConsentPart(part), decision=decision)  # fmt: skip
                    db.session.add(row)

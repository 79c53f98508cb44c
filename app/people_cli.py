"""Command-line tools for a school moving in: schools, first accounts, passwords, rollover.

A school is named on the command line by its DfE URN (six digits), as everywhere else.
"""

from __future__ import annotations

import re

import click
import sqlalchemy as sa

from app.database import begin_write
from app.extensions import db
from app.models import LoginSession, Role, School, SchoolClass, Trust, User, utcnow
from app.models.years import YEARS

URN = re.compile(r"\d{6}")
ACCOUNT_ROLES = ("admin", "coordinator", "teacher")


def valid_urn(urn: str) -> str:
    """The URN, stripped, if it is six digits; else a clear error."""
    cleaned = urn.strip()
    if not URN.fullmatch(cleaned):
        raise click.BadParameter(f"{urn!r} is not a URN: a URN is six digits, e.g. 100000.")
    return cleaned


def school_by_urn(urn: str) -> School:
    """The school with this URN, or a clear error naming the URN."""
    found = db.session.scalar(sa.select(School).where(School.urn == valid_urn(urn)))
    if found is None:
        raise click.ClickException(f"No school has URN {urn}; `school list` shows them.")
    return found


def _last_year(_ctx, _param, value: int | None) -> int | None:
    """A year group from 0 (Reception) to 13, or None."""
    if value is not None and value not in YEARS:
        raise click.BadParameter("the last year group is 0 (Reception) to 13")
    return value


@click.group("school")
def school_group() -> None:
    """Schools and trusts: create, list, move up a year."""


@school_group.command("create")
@click.argument("name")
@click.option("--urn", required=True, help="The school's DfE URN (six digits).")
@click.option("--trust", "trust_name", help="Its multi-academy trust: found by name, or created.")
@click.option(
    "--last-year",
    type=int,
    callback=_last_year,
    help="Its last year group, whose pupils leave at the rollover (6 for a primary; default 13).",
)
def create_school(name: str, urn: str, trust_name: str | None, last_year: int | None) -> None:
    """Create a school (and its trust, if new); prints its URN for the commands that follow."""
    from app.services import school_calendar

    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise click.BadParameter("a school's name is 1 to 200 characters", param_hint="NAME")
    urn = valid_urn(urn)
    begin_write()
    if db.session.scalar(sa.select(School.id).where(School.urn == urn)):
        raise click.ClickException(f"A school with URN {urn} already exists.")
    trust = None
    if trust_name:
        trust_name = " ".join(trust_name.split())
        trust = db.session.scalar(sa.select(Trust).where(Trust.name == trust_name))
        if trust is None:
            trust = Trust(name=trust_name)
            db.session.add(trust)
            click.echo(f"Trust {trust_name!r} created.")
    school = School(name=name, urn=urn, trust=trust, last_year=last_year)
    db.session.add(school)
    db.session.flush()  # its year start (1 September unless changed) is filled in
    # a new school starts in the current school year: its first rollover is next year's
    school.rolled_over_on = school_calendar.year_start(school, school_calendar.today())
    db.session.commit()
    in_trust = f" in {trust.name}" if trust else ""
    click.echo(f"School {name!r} created{in_trust}, URN {urn}.")
    click.echo(f"Next: flask --app wsgi user create --school {urn} --role admin USERNAME")


@school_group.command("list")
def list_schools() -> None:
    """Every school: URN, name, trust, and how many pupils, staff, parents and classes."""
    people = {
        (school_id, role): n
        for school_id, role, n in db.session.execute(
            sa.select(User.school_id, User.role, sa.func.count())
            .where(User.active.is_(True))
            .group_by(User.school_id, User.role)
        )
    }
    classes = dict(
        db.session.execute(
            sa.select(SchoolClass.school_id, sa.func.count())
            .where(SchoolClass.ended_at.is_(None))
            .group_by(SchoolClass.school_id)
        ).all()
    )
    schools = db.session.execute(
        sa.select(School, Trust.name).outerjoin(Trust).order_by(School.urn, School.name)
    ).all()
    if not schools:
        click.echo("No schools yet: `school create NAME --urn URN` makes one.")
    for school, trust_name in schools:
        staff = sum(people.get((school.id, role), 0) for role in ACCOUNT_ROLES)
        click.echo(
            f"{school.urn or '(no URN)':<8}  {school.name}  | trust: {trust_name or '-'}  | "
            f"{people.get((school.id, Role.PUPIL), 0)} pupils, {staff} staff, "
            f"{people.get((school.id, Role.PARENT), 0)} parents, "
            f"{classes.get(school.id, 0)} classes"
        )


@school_group.command("rollover")
@click.option("--school", "urn", required=True, help="The school's URN.")
@click.option(
    "--last-year",
    type=int,
    callback=_last_year,
    help="Set the school's last year group first (its pupils leave).",
)
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
def rollover(urn: str, last_year: int | None, dry_run: bool) -> None:
    """Move every pupil up a year, end last year's classes, and mark the last year as left."""
    from app.services import rollover as service
    from app.services import school_calendar

    school = school_by_urn(urn)
    today = school_calendar.today()
    plan = service.plan(school, today, last_year)
    for line in _plan_lines(plan):
        click.echo(line)
    if plan.already_done:
        raise click.ClickException(
            f"{school.name} already moved into the school year starting {plan.year_start}: "
            "nobody moves up twice."
        )
    if dry_run:
        click.echo("Dry run: nothing changed.")
        return
    service.roll_over(school, today, last_year)
    click.echo(f"Done: {school.name} is in the school year starting {plan.year_start}.")


def _plan_lines(plan) -> list[str]:
    """A rollover plan as lines for the terminal."""
    lines = [f"{plan.school.name}: rollover into the school year starting {plan.year_start}"]
    for year, n in sorted(plan.moving.items()):
        lines.append(f"  {_year(year)} -> {_year(year + 1)}: {n} pupils move up")
    lines.append(f"  {_year(plan.last_year)} (the school's last year): {plan.leaving} pupils leave")
    lines.append(f"  {len(plan.classes)} classes end (their records are kept)")
    return lines


def _year(year: int) -> str:
    """A year group as a word for the terminal."""
    return "Reception" if year == 0 else f"Year {year}"


def _person(username: str) -> User:
    """The person with this username, or a clear error."""
    found = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if found is None:
        raise click.ClickException(f"No user is called {username!r}.")
    return found


def user_create(urn: str, role: str, username: str, name: str | None) -> None:
    """Create a member of staff (the school's first admin) with a temporary password."""
    from app.services import passwords

    school = school_by_urn(urn)
    username = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{1,79}", username):
        raise click.BadParameter(
            "2 to 80 characters: lower-case letters, digits, dots, dashes and underscores",
            param_hint="USERNAME",
        )
    begin_write()
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise click.ClickException(f"The username {username!r} is taken: usernames are unique.")
    person = User(
        school=school,
        role=Role(role),
        username=username,
        display_name=" ".join((name or username).split())[:120],
    )
    password = passwords.give_temporary_password(person)
    db.session.add(person)
    db.session.commit()
    click.echo(f"{role} {username} created at {school.name} (URN {school.urn}).")
    click.echo(f"They choose their own password at first sign-in. Temporary password: {password}")


def user_password(username: str) -> None:
    """Give someone a new temporary password, ending their sessions; print it last."""
    from app.services import audit, passwords

    person = _person(username)
    begin_write()
    password = passwords.give_temporary_password(person)
    audit.record(
        audit.Event.PASSWORD_RESET,
        person.school_id,
        subject_id=person.id,
        detail={"by": "command_line"},
    )
    ended = db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == person.id, LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow(), end_reason="password_reset")
    ).rowcount
    db.session.commit()
    click.echo(f"{person.username}: {ended} sessions ended; they choose their own at next sign-in.")
    click.echo(f"Temporary password: {password}")


def register(user_group: click.Group) -> None:
    """Add `user create` and `user password` to the one `user` group (app/cli.py)."""

    @user_group.command("create")
    @click.option("--school", "urn", required=True, help="The school's URN.")
    @click.option("--role", type=click.Choice(ACCOUNT_ROLES), default="admin", show_default=True)
    @click.option("--name", help="Their name as people see it (default: the username).")
    @click.argument("username")
    def create(urn: str, role: str, username: str, name: str | None) -> None:
        """Create a member of staff (e.g. a school's first admin); prints a temporary password."""
        user_create(urn, role, username, name)

    @user_group.command("password")
    @click.argument("username")
    def password(username: str) -> None:
        """Set a new temporary password, printed as the last word; ends their sessions."""
        user_password(username)

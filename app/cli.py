"""Command-line tools: the demo school, AUP proof chains, content, pruning the audit log."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app

from app import backup_cli, people_cli, privacy_cli
from app.database import begin_write
from app.demo.trust_cli import trust_command
from app.extensions import db
from app.models import School
from app.rostering.cli import roster_group


def init_app(app: Flask) -> None:
    """Register Lantern's commands on the flask CLI."""
    app.cli.add_command(demo)
    demo.add_command(trust_command)
    app.cli.add_command(aup_group)
    backup_cli.init_app(app)  # db backup, aup drill
    app.cli.add_command(content_group)
    app.cli.add_command(audit_group)
    app.cli.add_command(user_group)
    privacy_cli.init_app(app)
    app.cli.add_command(roster_group)
    app.cli.add_command(people_cli.school_group)
    app.cli.add_command(database_group)


@click.group("demo", invoke_without_command=True)
@click.option("--if-empty", is_flag=True, help="Load only when the database has no school yet.")
@click.pass_context
def demo(ctx: click.Context, if_empty: bool) -> None:
    """Load Lantern Demo School and print its logins (never in production).

    `flask demo trust` generates a large trust to measure instead (app/demo/trust_cli.py).
    """
    from app.demo import school as demo_school

    if ctx.invoked_subcommand is not None:
        return
    if current_app.config["LANTERN_ENV"] == "production":
        raise click.ClickException("The demo school is never loaded in production.")
    begin_write()  # "is it empty?" and the load under one write lock: two starts load once
    if not (if_empty and db.session.scalar(sa.select(School.id).limit(1))):
        demo_school.load()
    demo_school.reopen_sign_in()  # the demo's class code works for the usual time from now
    click.echo(
        f"\nLantern Demo School is ready. Every demo password is: {demo_school.DEMO_PASSWORD}"
    )
    for username, who in demo_school.logins():
        click.echo(f"  {username:<12} {who}")
    click.echo(
        f"  KS1 picture sign-in: class code {demo_school.CLASS_CODE}, tap Amara O., "
        f"then {', '.join(demo_school.PICTURES)}\n"
        f"  (the code works for {current_app.config['LANTERN_PICTURE_CODE_MINUTES']} minutes; "
        "run `flask demo` again, or open a new one on class 1A's page as coordinator)"
    )
    if current_app.config["LANTERN_MFA_REQUIRED"]:
        click.echo(
            "  Staff MFA is on: the coordinator and admin set up an authenticator app at their "
            "first sign-in\n  (`make run` turns it off with LANTERN_MFA_REQUIRED=0).\n"
        )
    else:
        click.echo(
            "  Staff MFA is off for this demo (LANTERN_MFA_REQUIRED=0): staff sign in with "
            "their password only.\n"
        )


@click.group("aup")
def aup_group() -> None:
    """AUP acceptance records."""


@aup_group.command("verify")
@click.option(
    "--heads",
    "heads_file",
    type=click.File("r", encoding="utf-8"),
    help="A file of heads printed by earlier runs: each must still be in its chain.",
)
@click.option(
    "--heads-out",
    "heads_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the heads to this file too (kept outside the database, for --heads later); "
    "written only when every check passes.",
)
def verify(heads_file, heads_out: Path | None) -> None:
    """Check every school's acceptances and print each chain's head with its HMAC.

    Each chain must be unbroken, every record's text hash must be that of the AUP text it
    names, its school must exist and its people must still belong to it. Every problem is
    named (school, seq, acceptance id) and the exit code is 1.
    """
    if verify_all(heads_file, heads_out):
        raise SystemExit(1)


def verify_all(heads_file, heads_out: Path | None = None) -> list:
    """What `aup verify` does, printing as it goes: the problems found (empty when sound)."""
    from app.services import chain_audit
    from app.services.acceptance import chained_schools, verify_chain

    key = chain_audit.chain_key()
    names = dict(db.session.execute(sa.select(School.id, School.name)).all())
    problems, heads = [], []
    for school_id in chained_schools():
        report = verify_chain(school_id)
        if report.broken_at is None:
            name = names[school_id]
            heads.append(chain_audit.head_line(school_id, name, report.count, report.head, key))
            click.echo(heads[-1])
        else:
            what = f"does not match: {report.reason}"
            problems.append(
                chain_audit.Problem(school_id, what, report.broken_seq, report.broken_at)
            )
    audit = chain_audit.audit_records()
    problems += audit.problems
    for (school_id, text), count in sorted(audit.unchecked.items()):
        audience, aup_id, version, locale = text
        click.echo(
            f"school {school_id} ({names[school_id]}): {count} acceptances of {audience} AUP "
            f"{aup_id} version {version} ({locale}) not checked against their text: that "
            "version is no longer in the AUP files"
        )
    if heads_file is not None:
        found, kept = chain_audit.check_kept_heads(heads_file.read(), key)
        if not found:
            raise click.ClickException(f"{heads_file.name} holds no head printed by aup verify.")
        click.echo(f"{found} kept heads read from {heads_file.name}")
        problems += kept
    for problem in problems:
        click.echo(_described(problem, names), err=True)
    if heads_out is not None and problems:
        click.echo(f"{heads_out} was not written: the heads above are not proven sound.", err=True)
    elif heads_out is not None:
        partial = heads_out.with_name(heads_out.name + ".partial")
        partial.write_text("".join(line + "\n" for line in heads), encoding="utf-8")
        partial.replace(heads_out)  # never half a file, even if the disk fills
        click.echo(f"{len(heads)} heads written to {heads_out}")
    return problems


def _described(problem, names: dict[int, str]) -> str:
    """One problem as a line naming its school and, if it has one, its record."""
    where = f"school {problem.school_id} ({names.get(problem.school_id, 'no such school')})"
    if problem.seq is not None:
        where += f" seq {problem.seq}"
    if problem.record_id is not None:
        where += f" (acceptance {problem.record_id})"
    return f"{where}: {problem.what}"


@click.group("content")
def content_group() -> None:
    """AUPs, lessons, quizzes, guides, workshops and privacy notices kept as files."""


@content_group.command("check")
def check() -> None:
    """Validate every content file afresh; exit non-zero naming file, field and reason."""
    from app.content import cross_problems, load_all
    from app.content.errors import ContentError

    try:
        loaded = load_all(Path(current_app.config["LANTERN_CONTENT_ROOT"]))
        if problems := cross_problems(loaded):
            raise ContentError(problems)
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    guides = loaded["guides"]
    counts = [
        f"{len(loaded['aups'].all())} AUP files",
        f"{len(loaded['lessons'].lessons())} lessons with their quizzes",
        f"{len(guides.all())} guides and {len(guides.translations())} guide translations",
        f"{len(loaded['workshops'].packs())} workshop packs",
        f"{len(loaded['privacy'].all())} privacy notices",
        f"{len(loaded['understanding'].audiences())} AUP understanding files",
    ]
    click.echo(f"content is valid: {', '.join(counts)}")


@content_group.command("export")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def export(fmt: str) -> None:
    """Write the lessons, guides (every language) and workshop packs to standard output as JSON."""
    from app.content import guides, lessons, workshops

    catalogue = {
        **lessons().export(),
        "guides": guides().export(),
        "workshops": workshops().export()["workshops"],
    }
    click.echo(json.dumps(catalogue, ensure_ascii=False, indent=2, sort_keys=True))


@click.group("audit")
def audit_group() -> None:
    """The audit log of security and privacy events."""


@audit_group.command("prune")
@click.option("--dry-run", is_flag=True, help="Only count the events that would be deleted.")
def audit_prune(dry_run: bool) -> None:
    """Delete audit events older than LANTERN_AUDIT_DAYS and print how many."""
    from app.services import audit

    days = current_app.config["LANTERN_AUDIT_DAYS"]
    count = audit.prune(days, dry_run=dry_run)
    verb = "would be deleted" if dry_run else "deleted"
    click.echo(f"{count} audit events older than {days} days {verb}.")


@click.group("user")
def user_group() -> None:
    """People's accounts."""


people_cli.register(user_group)  # user create, user password


@user_group.command("mfa-reset")
@click.argument("username")
def mfa_reset(username: str) -> None:
    """Forget a person's authenticator app and sign them out (e.g. a school's only admin)."""
    from app.models import User
    from app.services import mfa

    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user is called {username!r}.")
    ended = mfa.reset(user)
    click.echo(
        f"{user.username}: authenticator app and recovery codes forgotten, {ended} sessions "
        "ended; they set up a new app at their next sign-in."
    )


@user_group.command("dsl")
@click.argument("username")
@click.option("--on/--off", "on", required=True, help="Add to, or take off, the DSL team.")
def dsl(username: str, on: bool) -> None:
    """Add a member of staff to the school's safeguarding team (reads the incident log), or not.

    Until the admin's role page sets it, this is how a school names its DSL and deputies.
    """
    from app.database import begin_write
    from app.models import User
    from app.services import audit, safeguarding

    begin_write()
    user = db.session.scalar(sa.select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user is called {username!r}.")
    if on and user.role not in safeguarding.DSL_ROLES:
        raise click.ClickException(
            f"{user.username} is not a teacher or coordinator: only they join the DSL team."
        )
    user.dsl = on
    audit.record(audit.Event.ROLE_CHANGED, user.school_id, subject_id=user.id,
                 detail={"dsl": on, "method": "command_line"})  # fmt: skip
    db.session.commit()
    state = "is now on" if on else "is no longer on"
    click.echo(f"{user.username} {state} the safeguarding (DSL) team of {user.school.name}.")


@click.group("database")
def database_group() -> None:
    """The database server's roles and grants (PostgreSQL)."""


@database_group.command("grants")
@click.argument("app_role")
@click.option("--apply", "apply_", is_flag=True, help="Run the statements (else print them).")
def grants(app_role: str, apply_: bool) -> None:
    """Grant APP_ROLE (the role the app connects as) no UPDATE or DELETE of evidence rows.

    Run as the tables' owner after every `flask db upgrade`. Prints the SQL; --apply runs it.
    """
    from app.services import db_grants

    if db.engine.dialect.name != "postgresql":
        raise click.ClickException("grants are for PostgreSQL; a SQLite file has no roles")
    try:
        sql = db_grants.statements(app_role)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    for statement in sql:
        click.echo(f"{statement};")
    if apply_:
        begin_write()
        for statement in sql:
            db.session.execute(sa.text(statement))
        db.session.commit()
        click.echo(f"Granted: {app_role} may not UPDATE or DELETE rows of evidence tables.")

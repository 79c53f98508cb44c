"""Command-line tools: the demo school, checking AUP proof chains, checking content."""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask, current_app

from app.database import begin_write
from app.extensions import db
from app.models import School


def init_app(app: Flask) -> None:
    """Register Lantern's commands on the flask CLI."""
    app.cli.add_command(demo)
    app.cli.add_command(aup_group)
    app.cli.add_command(content_group)
    app.cli.add_command(user_group)


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only when the database has no school yet.")
def demo(if_empty: bool) -> None:
    """Load Lantern Demo School and print its logins (never in production)."""
    from app.demo import school as demo_school

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
def verify() -> None:
    """Check every school's chain of acceptances and print each chain's head hash."""
    from app.services.acceptance import chained_schools, verify_chain

    failures = 0
    for school_id in chained_schools():
        report = verify_chain(school_id)
        name = db.session.get(School, school_id).name
        if report.broken_at is None:
            click.echo(
                f"school {school_id} ({name}): {report.count} acceptances, head {report.head}"
            )
        else:
            failures += 1
            click.echo(
                f"school {school_id} ({name}): acceptance {report.broken_at} does not match: "
                f"{report.reason}",
                err=True,
            )
    if failures:
        raise SystemExit(1)


@click.group("content")
def content_group() -> None:
    """AUPs, lessons, quizzes and guides kept as files."""


@content_group.command("check")
def check() -> None:
    """Validate every content file afresh; exit non-zero naming file, field and reason."""
    from app.content import load_all
    from app.content.errors import ContentError

    try:
        loaded = load_all(Path(current_app.config["LANTERN_CONTENT_ROOT"]))
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


@click.group("user")
def user_group() -> None:
    """People's accounts."""


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

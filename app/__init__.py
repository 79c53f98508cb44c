"""Lantern: online-safety curriculum and AUP platform for schools."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from app.config import ROOT, engine_options, from_environment, private_database


def create_app(config: dict | None = None) -> Flask:
    """Build the app: load config, bind extensions, load content, register blueprints and CLI."""
    instance = os.environ.get("LANTERN_INSTANCE_PATH", str(ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=instance,
        static_folder=str(ROOT / "static"),
        static_url_path="/static",
    )
    app.config.from_mapping(from_environment(Path(app.instance_path)))
    if config:
        app.config.update(config)
    private_database(app.config["SQLALCHEMY_DATABASE_URI"])
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    )

    from app import cli, content, database, ids, security
    from app.extensions import db, migrate

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )
    content.init_app(app)
    security.init_app(app)
    ids.init_app(app)
    _register_blueprints(app)
    cli.init_app(app)
    return app


def _register_blueprints(app: Flask) -> None:
    """One blueprint per area; auth and aup first, since their request gates run in order."""
    from app.admin import bp as admin
    from app.agreements import bp as agreements
    from app.aup import bp as aup
    from app.auth import bp as auth
    from app.coordinator import bp as coordinator
    from app.guides import bp as guides
    from app.paper_agreements import bp as paper_agreements
    from app.parent import bp as parent
    from app.present import bp as present
    from app.privacy import bp as privacy
    from app.public import bp as public
    from app.pupil import bp as pupil
    from app.safeguarding import bp as safeguarding
    from app.teacher import bp as teacher
    from app.workshops import bp as workshops
    from app.workshops.public import bp as workshops_public

    for blueprint in (
        *(auth, aup, public, pupil, teacher, present, parent, coordinator, admin),
        *(guides, workshops, workshops_public, privacy, safeguarding, agreements),
        paper_agreements,
    ):
        app.register_blueprint(blueprint)

"""Start-up: content validated at start, migrations match the models, the demo school."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app import create_app
from app.config import ROOT
from app.content.errors import ContentError
from app.demo import school as demo
from app.extensions import db
from app.models import School, SchoolClass, User
from tests.conftest import make_config


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == [], "a model changed without a migration: run flask db migrate"


def test_a_broken_aup_file_stops_start_up_naming_it(tmp_path):
    shutil.copytree(ROOT / "aup", tmp_path / "aup")
    shutil.copytree(ROOT / "static", tmp_path / "static")
    broken = tmp_path / "aup" / "ks2.yaml"
    broken.write_text(broken.read_text().replace("version:", "versoin:"))
    with pytest.raises(ContentError) as caught:
        create_app(make_config(tmp_path / "x.db", LANTERN_CONTENT_ROOT=tmp_path))
    assert "aup/ks2.yaml" in str(caught.value)
    assert "version" in str(caught.value)


def test_wsgi_turns_broken_content_into_a_clear_exit(tmp_path, monkeypatch):
    import runpy

    shutil.copytree(ROOT / "aup", tmp_path / "aup")
    shutil.copytree(ROOT / "static", tmp_path / "static")
    (tmp_path / "aup" / "ks1.yaml").write_text("title: [unclosed\n")
    monkeypatch.setenv("LANTERN_CONTENT_ROOT", str(tmp_path))
    monkeypatch.setenv("LANTERN_INSTANCE_PATH", str(tmp_path / "instance"))
    with pytest.raises(SystemExit) as caught:
        runpy.run_path(str(ROOT / "wsgi.py"))
    assert "aup/ks1.yaml" in str(caught.value)


def test_secret_key_is_generated_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("LANTERN_INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("LANTERN_SECRET_KEY", raising=False)
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 40
    assert (tmp_path / "instance" / "secret_key").stat().st_mode & 0o077 == 0


def test_demo_school_loads_twice_without_duplicates(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    counts = (db.session.scalar(sa.select(sa.func.count(User.id))),
              db.session.scalar(sa.select(sa.func.count(SchoolClass.id))))  # fmt: skip
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert counts == (db.session.scalar(sa.select(sa.func.count(User.id))),
                      db.session.scalar(sa.select(sa.func.count(SchoolClass.id))))  # fmt: skip
    demo_school = db.session.scalar(sa.select(School).where(School.name == demo.SCHOOL_NAME))
    assert len(demo_school.classes) == 14  # the trust's second school has its own classes
    for username, _who in demo.logins():
        assert username in first.output
    assert "lantern-demo" in first.output and "FOX1" in first.output


def test_demo_school_has_the_promised_shape(app, demo_school):
    classes = {c.name: c for c in demo_school.classes}
    teacher = db.session.scalar(sa.select(User).where(User.username == "teacher"))
    parent = db.session.scalar(sa.select(User).where(User.username == "parent"))
    assert sorted(c.year for c in classes.values()) == list(range(14))
    assert {c.name for c in teacher.taught_classes} == {"4B", "8C"}
    assert {c.username for c in parent.children} == {"pupil.y4", "pupil.y8"}
    assert classes["4B"].key_stage == "KS2" and classes["12S"].key_stage == "KS5"


def test_demo_is_refused_in_production(app, runner):
    app.config["LANTERN_ENV"] = "production"
    result = runner.invoke(args=["demo"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_each_blueprint_is_made_in_its_packages_init(app):
    for name, blueprint in app.blueprints.items():
        package = importlib.import_module(blueprint.import_name)
        assert Path(package.__file__).name == "__init__.py", name
        assert package.bp is blueprint, name


def test_a_fresh_install_keeps_instance_and_database_private(tmp_path, monkeypatch):
    from flask_migrate import upgrade

    instance = tmp_path / "instance"
    monkeypatch.setenv("LANTERN_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("LANTERN_SECRET_KEY", raising=False)
    monkeypatch.delenv("LANTERN_DATABASE_URL", raising=False)
    fresh = create_app()
    with fresh.app_context():
        upgrade()
        db.session.execute(sa.text("CREATE TABLE probe (x INTEGER)"))  # a write: -wal and -shm
        db.session.commit()
        files = [instance / name for name in ("lantern.db", "lantern.db-wal", "lantern.db-shm")]
        assert all(f.exists() for f in files)
        assert instance.stat().st_mode & 0o777 == 0o700
        for f in files:
            assert f.stat().st_mode & 0o777 == 0o600, f.name
        db.session.remove()
        db.engine.dispose()


def test_flask_demo_reopens_the_demo_class_code_each_time(app, runner, demo_school):
    from datetime import timedelta

    from app.models import utcnow
    from app.services import auth

    one_a = next(c for c in demo_school.classes if c.name == "1A")
    one_a.sign_in_code_expires_at = utcnow() - timedelta(minutes=1)  # a `make run` days later
    db.session.commit()
    assert auth.class_by_code(demo.CLASS_CODE, utcnow()) is None
    assert runner.invoke(args=["demo", "--if-empty"]).exit_code == 0
    assert auth.class_by_code(demo.CLASS_CODE, utcnow()) == one_a

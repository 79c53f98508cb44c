"""Configuration from environment variables, with safe defaults for a newcomer's machine."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent


def _flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def private_folder(path: Path) -> None:
    """Create the instance folder readable by the app's own user only (0700), if it is missing."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True)
        path.chmod(0o700)  # mkdir's mode is narrowed by the umask, never widened: be exact


def private_database(uri: str) -> None:
    """Create a missing SQLite database file as 0600 before SQLite does (it would use 0644).

    SQLite gives the -wal and -shm files it creates the same mode as the database file, so they
    are private too. An existing file keeps the mode its owner chose.
    """
    url = sa.engine.make_url(uri)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    path = Path(url.database)
    if url.database.startswith("file:") or path.exists():
        return
    private_folder(path.parent)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:  # another worker created it first
        return
    path.chmod(0o600)


def instance_secret(instance_path: Path) -> str:
    """Return the secret key kept in instance/, creating it on first run (never committed)."""
    return instance_key(instance_path, "secret_key")


def instance_key(instance_path: Path, name: str) -> str:
    """Return a random key kept in the file instance/<name>, creating it 0600 if it is missing."""
    private_folder(instance_path)
    key_file = instance_path / name
    try:
        handle = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # made on an earlier run, or by another worker a moment ago
        return key_file.read_text().strip()
    with os.fdopen(handle, "w") as out:
        out.write(secrets.token_urlsafe(48))
    key_file.chmod(0o600)  # the umask may only narrow the mode: be exact
    return key_file.read_text().strip()


def retention_overrides(text: str) -> dict[str, int | None]:
    """LANTERN_RETENTION ("sign_in_sessions=30, workshop_feedback=keep"): days per record type.

    Only the form is checked here (a name, then a whole number of days or `keep`); which names
    exist is app/services/retention.py's registry, checked when the app starts.
    """
    overrides: dict[str, int | None] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, days = (piece.strip() for piece in item.partition("="))
        if not name or not (days.isdigit() or days.lower() == "keep"):
            raise ValueError(
                f"LANTERN_RETENTION: {item!r} is not NAME=DAYS or NAME=keep "
                "(e.g. sign_in_sessions=30, workshop_feedback=keep)"
            )
        overrides[name] = None if days.lower() == "keep" else int(days)
    return overrides


def shared_limits_problem(workers: int, environ) -> str | None:
    """Why several worker processes must not start as configured, or None when they may.

    Rate limits on sign-in (per account, per address) are counted where they are stored. Kept in
    each process's memory, four workers would let four times the tries through before refusing
    any, so several workers need the shared store (LANTERN_REDIS_URL), or limits turned off.
    """
    limited = environ.get("LANTERN_RATELIMIT", "1").strip().lower() not in {
        "0",
        "false",
        "no",
        "off",
    }
    if workers > 1 and limited and not environ.get("LANTERN_REDIS_URL"):
        return (
            f"Lantern will not start {workers} workers with sign-in limits kept in each "
            "worker's memory: each would count tries on its own, letting several times too "
            "many through. Set LANTERN_REDIS_URL to a Redis server shared by every worker, "
            "or run one worker (gunicorn -w 1 --threads 8)."
        )
    return None


def engine_options(uri: str, environ=os.environ) -> dict:
    """SQLAlchemy engine options for the database at uri (Flask-SQLAlchemy's ENGINE_OPTIONS).

    A database server (not SQLite, a file): pool_pre_ping, so a connection the server dropped
    (a restart, a failover, an idle timeout) is replaced before a request uses it. PostgreSQL:
    a lock_timeout, so a request waiting for a row another one holds fails after
    LANTERN_DB_LOCK_TIMEOUT seconds instead of hanging a worker, and an
    idle_in_transaction_session_timeout, so a connection left in an open transaction (a worker
    stuck mid-request) gives up its locks after LANTERN_DB_IDLE_TIMEOUT seconds. SQLite: the
    same LANTERN_DB_LOCK_TIMEOUT is its busy timeout (how long a writer queues for the lock).
    Either way a request whose wait runs out gets the "very busy" page (503), not an error.
    """
    backend = sa.engine.make_url(uri).get_backend_name()
    lock_seconds = float(environ.get("LANTERN_DB_LOCK_TIMEOUT", "15"))
    if backend == "sqlite":
        return {"connect_args": {"timeout": lock_seconds}}
    options: dict = {"pool_pre_ping": True}
    if backend == "postgresql":
        lock_ms = int(lock_seconds * 1000)
        idle_ms = int(float(environ.get("LANTERN_DB_IDLE_TIMEOUT", "60")) * 1000)
        options["connect_args"] = {
            "options": f"-c lock_timeout={lock_ms} -c idle_in_transaction_session_timeout={idle_ms}"
        }
    return options


def from_environment(instance_path: Path) -> dict:
    """Build the configuration mapping from LANTERN_* environment variables."""
    https = _flag("LANTERN_HTTPS")
    redis_url = os.environ.get("LANTERN_REDIS_URL")
    pupil_max_hours = int(os.environ.get("LANTERN_PUPIL_MAX_HOURS", "8"))
    staff_max_hours = int(os.environ.get("LANTERN_STAFF_MAX_HOURS", "10"))
    env = os.environ.get("LANTERN_ENV", "development")
    return {
        "SECRET_KEY": os.environ.get("LANTERN_SECRET_KEY") or instance_secret(instance_path),
        # signs the chain heads `flask aup verify` prints; unset: instance/chain_key, made when
        # first needed (app/services/chain_audit.py chain_key)
        "LANTERN_CHAIN_KEY": os.environ.get("LANTERN_CHAIN_KEY"),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "LANTERN_DATABASE_URL", f"sqlite:///{instance_path / 'lantern.db'}"
        ),
        "LANTERN_HTTPS": https,
        # no form is anywhere near this; a bigger body is refused (413) before it is read
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https,
        "REMEMBER_COOKIE_SECURE": https,
        # The server-side session (app/services/auth.py) decides who is signed in: the cookie
        # lasts no longer than the longest session can, and is not pushed on by every response.
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=max(pupil_max_hours, staff_max_hours)),
        "SESSION_REFRESH_EACH_REQUEST": False,
        "LANTERN_REDIS_URL": redis_url,  # shared by every worker (app/shared.py)
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _flag("LANTERN_RATELIMIT", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "LANTERN_STAFF_IDLE_MINUTES": int(os.environ.get("LANTERN_STAFF_IDLE_MINUTES", "10")),
        "LANTERN_PUPIL_IDLE_MINUTES": int(os.environ.get("LANTERN_PUPIL_IDLE_MINUTES", "60")),
        "LANTERN_PICTURE_CODE_MINUTES": int(os.environ.get("LANTERN_PICTURE_CODE_MINUTES", "120")),
        # Every sign-in ends this long after it began, however busy: a school day for pupils
        # (8:30 to 16:30 with a club, so the AUP is accepted again at the next day's logon) and
        # a working day for staff (a board left signed in overnight is signed out).
        "LANTERN_PUPIL_MAX_HOURS": pupil_max_hours,
        "LANTERN_STAFF_MAX_HOURS": staff_max_hours,
        # how often the class progress grid reloads itself (a background request, not activity)
        "LANTERN_GRID_REFRESH_SECONDS": int(os.environ.get("LANTERN_GRID_REFRESH_SECONDS", "60")),
        # how often a session's "last seen" time is written (activity for the idle sign-out)
        "LANTERN_AUDIT_DAYS": int(os.environ.get("LANTERN_AUDIT_DAYS", "400")),
        # days each record type is kept, where a school's retention schedule differs from the
        # defaults (app/services/retention.py; the README's Retention section)
        "LANTERN_RETENTION": retention_overrides(os.environ.get("LANTERN_RETENTION", "")),
        # the largest roster file an admin may upload (every other request stays under 1 MB)
        "LANTERN_ROSTER_UPLOAD_MB": int(os.environ.get("LANTERN_ROSTER_UPLOAD_MB", "20")),
        "LANTERN_LAST_SEEN_SECONDS": int(os.environ.get("LANTERN_LAST_SEEN_SECONDS", "60")),
        "LANTERN_CONTENT_ROOT": Path(os.environ.get("LANTERN_CONTENT_ROOT", str(ROOT))),
        "LANTERN_TRUSTED_PROXIES": int(os.environ.get("LANTERN_TRUSTED_PROXIES", "0")),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "BABEL_TRANSLATION_DIRECTORIES": str(ROOT / "translations"),
        "LANTERN_LOCALES": ("en", "cy"),
        "WTF_CSRF_TIME_LIMIT": None,
        "LANTERN_PASSWORD_METHOD": os.environ.get("LANTERN_PASSWORD_METHOD", "scrypt"),
        "LANTERN_ENV": env,
        # Coordinators and admins (and teachers where the school asks) sign in with a code from an
        # authenticator app too (app/services/mfa.py). Off only for the demo and tests, never in
        # production, where this setting is ignored.
        "LANTERN_MFA_REQUIRED": env == "production" or _flag("LANTERN_MFA_REQUIRED", True),
    }

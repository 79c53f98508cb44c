"""Helpers for fuzzing the app: its forms and query parameters as each page shows them.

Used by tests/views/test_fuzz.py. Nothing here names a form or a field: forms are read from the
HTML of every GET page (tests/pages.py gives their URLs), query parameters from each page's links.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import sqlalchemy as sa
from flask import Flask
from werkzeug.exceptions import HTTPException

from app.extensions import db

NOT_CONTENT = {("login_session", "last_seen_at")}
"""Columns any request may write (activity noted for the idle sign-out), refused or not."""

RECORDS_REFUSALS = {"audit_event"}
"""Tables a refused request adds to on purpose: the security log keeps failed sign-ins and who
viewed what. Their rows are still checked for NUL characters, not counted as stored work."""


@dataclass(frozen=True)
class Field:
    """A form field as the page shows it: its name, kind, and the values it offers."""

    name: str
    kind: str  # input type, "select", "textarea" or "button"
    values: tuple[str, ...] = ()


@dataclass
class Form:
    """A form a page carries: where it posts, its fields, and the endpoint that answers it."""

    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    endpoint: str | None = None

    def key(self) -> tuple:
        """What makes two forms the same for fuzzing: their endpoint and their field names."""
        return (self.endpoint, tuple(sorted({f.name for f in self.fields})))


class FormParser(HTMLParser):
    """Every <form> of a page with its fields, and the query parameters of the page's links."""

    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self.query_names: set[str] = set()
        self.links: list[str] = []
        self._form: Form | None = None
        self._select: tuple[str, list[str]] | None = None
        self._choices: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs) -> None:
        """Note forms, fields and links as they open."""
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"].partition("#")[0])
            self.query_names |= {k for k, _ in parse_qsl(urlsplit(a["href"]).query, True)}
        elif tag == "option" and self._select is not None:
            self._select[1].append(a.get("value", ""))
        elif tag == "form":
            method = a.get("method", "get").lower()
            self._form = Form(a.get("action") or self.page_path, method)
            self._choices = {}
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "select":
            self._select = (a["name"], [])
        elif tag == "textarea":
            self._form.fields.append(Field(a["name"], "textarea"))
        elif tag in ("input", "button"):
            kind = a.get("type", "text" if tag == "input" else "submit").lower()
            if kind in ("radio", "checkbox"):
                self._choices.setdefault(a["name"], []).append(a.get("value", "on"))
                return
            kind = "button" if kind == "submit" else kind
            self._form.fields.append(Field(a["name"], kind, (a.get("value", ""),)))

    def handle_endtag(self, tag: str) -> None:
        """Close selects and forms; a form's radio and checkbox groups become one field each."""
        if tag == "select" and self._select is not None and self._form is not None:
            name, options = self._select
            self._form.fields.append(Field(name, "select", tuple(options)))
            self._select = None
        elif tag == "form" and self._form is not None:
            for name, values in self._choices.items():
                self._form.fields.append(Field(name, "choice", tuple(values)))
            for name in {f.name for f in self._form.fields if f.kind == "button"}:
                values = tuple(v for f in self._form.fields if f.name == name for v in f.values)
                self._form.fields = [f for f in self._form.fields if f.name != name]
                self._form.fields.append(Field(name, "button", values))
            self._form = None


def read_page(path: str, html: str) -> FormParser:
    """The forms and link parameters of one page."""
    parser = FormParser(path)
    parser.feed(html)
    parser.close()
    return parser


def endpoint_for(app: Flask, path: str, method: str) -> str | None:
    """The endpoint that answers this path and method, or None (an outside or unknown address)."""
    parts = urlsplit(path)
    if parts.netloc:
        return None
    try:
        endpoint, _args = app.url_map.bind("localhost").match(parts.path, method=method.upper())
    except HTTPException:
        return None
    return endpoint


def post_endpoints(app: Flask) -> set[str]:
    """Every endpoint that answers POST."""
    return {r.endpoint for r in app.url_map.iter_rules() if "POST" in r.methods}


def db_state() -> tuple[dict[str, int], str, bool]:
    """Each table's row count, a digest of every row's content (but NOT_CONTENT columns), and
    whether any text stored holds a NUL character (PostgreSQL refuses one: a 500 there)."""
    counts, digest, nul = {}, hashlib.sha256(), False
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if (table.name, c.name) not in NOT_CONTENT]
            rows = conn.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
            if table.name not in RECORDS_REFUSALS:
                counts[table.name] = len(rows)
                digest.update(f"{table.name}:{rows!r}".encode())
            nul = nul or any(isinstance(v, str) and "\x00" in v for row in rows for v in row)
    return counts, digest.hexdigest(), nul


class Snapshot:
    """The whole database kept aside, to put back after a request that changed it.

    SQLite: a copy in memory through the backup API. PostgreSQL: a database made from the live
    one as its template, and the live one made again from it (same name, so the app's URL holds).
    """

    def __init__(self, databases=None) -> None:
        self.databases = databases
        if db.engine.dialect.name == "sqlite":
            self._copy = sqlite3.connect(":memory:")
            self._between(lambda live: live.backup(self._copy))
        else:
            self._release()
            self._copy = databases.copy(db.engine.url.render_as_string(hide_password=False))

    def restore(self) -> None:
        """Put the database back as it was when the snapshot was taken."""
        if db.engine.dialect.name == "sqlite":
            self._between(lambda live: self._copy.backup(live))
        else:
            self._release()
            self.databases.replace(db.engine.url.render_as_string(hide_password=False), self._copy)

    @staticmethod
    def _release() -> None:
        """Close every connection to the live database (a template must have none)."""
        db.session.remove()
        db.engine.dispose()

    @staticmethod
    def _between(copy) -> None:
        """Run copy(live sqlite3 connection) with no request or session holding the database."""
        db.session.remove()
        raw = db.engine.raw_connection()
        try:
            copy(raw.driver_connection)
        finally:
            raw.close()

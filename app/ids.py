"""Database ids from URLs, query strings and forms: whole numbers the database can hold, or none.

A number read from a request goes into a query; SQLite (like PostgreSQL's BIGINT) holds signed
64-bit integers, and a larger one makes the driver raise, a server error instead of "not found".
Every id a request names is read through here: `<id:name>` in a route, `parse_id` elsewhere.
"""

from __future__ import annotations

import re

from flask import Flask
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # ids are INTEGER columns: PostgreSQL refuses (a 500) any larger number
_DIGITS = re.compile(r"[0-9]{1,10}")  # ASCII only: int() would also take "٣", "1_0" or " 1"


def parse_id(raw: str | None) -> int:
    """The id written in raw (ASCII digits, 1 to MAX_ID); ValueError for anything else."""
    if raw is None or not _DIGITS.fullmatch(raw):
        raise ValueError(f"not a database id: {raw!r}")
    value = int(raw)
    if not 1 <= value <= MAX_ID:
        raise ValueError(f"not a database id: {raw!r}")
    return value


class IdConverter(IntegerConverter):
    """`<id:name>`: a URL part that is a database id; any other number does not match (404)."""

    regex = r"[0-9]+"

    def __init__(self, map, **_kwargs) -> None:
        """An integer converter bounded to the ids the database can hold."""
        super().__init__(map, min=1, max=MAX_ID)


def init_app(app: Flask) -> None:
    """Register the id converter; before the blueprints, whose rules use it."""
    app.url_map.converters["id"] = IdConverter

"""The one guard against CSV (formula) injection, for every CSV the app writes.

A spreadsheet runs a cell that starts with =, +, - or @ as a formula, and some also after a
leading tab or carriage return; such text gets a leading apostrophe so it shows as plain text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet treat a cell as a formula."""


def safe_cell(value: object) -> str:
    """A value as CSV cell text that a spreadsheet will not run as a formula (None is empty)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text

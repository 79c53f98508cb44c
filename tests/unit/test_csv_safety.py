"""The CSV formula guard every export uses."""

from __future__ import annotations

import pytest

from app.services.csv_safety import safe_cell


@pytest.mark.parametrize(
    "risky",
    ["=HYPERLINK(1)", "+44 20 7946 0000", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1", "="],
)
def test_text_a_spreadsheet_would_run_gets_a_leading_apostrophe(risky):
    assert safe_cell(risky) == "'" + risky


@pytest.mark.parametrize("plain", ["Ben C.", "4B", "a=b", "50%", " =1", "'quoted", ""])
def test_other_text_is_left_alone(plain):
    assert safe_cell(plain) == plain


def test_numbers_and_none_become_text():
    assert safe_cell(None) == ""
    assert safe_cell(42) == "42"
    assert safe_cell(-3) == "'-3"  # a negative number is guarded like any text starting with -

"""Staff MFA is required by default, and always in production, whatever the setting says."""

from __future__ import annotations

import pytest

from app.config import from_environment


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"LANTERN_MFA_REQUIRED": "0"}, False),
        ({"LANTERN_MFA_REQUIRED": "0", "LANTERN_ENV": "production"}, True),
    ],
)
def test_mfa_required_unless_turned_off_outside_production(monkeypatch, tmp_path, env, expected):
    monkeypatch.delenv("LANTERN_MFA_REQUIRED", raising=False)
    monkeypatch.delenv("LANTERN_ENV", raising=False)
    monkeypatch.setenv("LANTERN_SECRET_KEY", "x")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert from_environment(tmp_path)["LANTERN_MFA_REQUIRED"] is expected

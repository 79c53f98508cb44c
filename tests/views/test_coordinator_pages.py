"""Coordinator pages open for a coordinator, show the school's figures and refuse tampering."""

from __future__ import annotations

import pytest

PAGES = [
    "/coordinator/",
    "/coordinator/coverage",
    "/coordinator/coverage?by=topic",
    "/coordinator/coverage/4/PS",
    "/coordinator/coverage/8/grooming",
    "/coordinator/progression",
    "/coordinator/compliance",
    "/coordinator/report",
    "/coordinator/settings",
    "/coordinator/settings/aup/ks2",
]


@pytest.mark.parametrize("path", PAGES)
def test_each_page_opens_for_the_coordinator(full_demo, login_as, path):
    client = login_as("coordinator")
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]

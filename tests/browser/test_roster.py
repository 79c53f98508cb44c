"""The admin imports the roster in Chromium: template, a bad file's problems, preview, apply."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.demo import school as demo
from tests.browser.conftest import screenshot, sign_in_agreeing

pytestmark = pytest.mark.browser


def test_admin_uploads_the_roster_reads_the_preview_and_applies_it(page, tmp_path):
    sign_in_agreeing(page, "admin")
    page.get_by_role("link", name="Import the roster").click()
    expect(page.get_by_role("heading", name="Import the roster", level=1)).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template").click()
    assert download.value.suggested_filename == "lantern-roster.csv"

    text = demo.ROSTER.read_bytes().decode("utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("pupil,D999901000004,Dev,S.,10", "pupil,D999901000004,Dev,S.,Y14"))
    page.get_by_label("Roster file (zip or CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and preview").click()
    problems = page.get_by_role("table", name="Problems found")
    expect(
        problems.get_by_role("cell", name="unknown year group 'Y14'", exact=False)
    ).to_be_visible()
    screenshot(page, "admin-roster-problems")

    changed = text.replace("pupil,D999901000010,Aisha,B.", "pupil,D999901000010,Aisha,Bello")
    changed = "\r\n".join(line for line in changed.split("\r\n") if "D999901000021" not in line)
    changed += "pupil,D999901000099,Yusuf,Ali,4,4B,,\r\n"
    good = tmp_path / "roster.csv"
    good.write_text(changed, encoding="utf-8")
    page.get_by_label("Roster file (zip or CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Roster preview")).to_be_visible()
    expect(page.get_by_text("1 (pupils: 1, staff: 0, parents: 0)")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Aisha Bello: name")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Tom Y.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Yusuf Ali (Pupil)")).to_be_visible()
    screenshot(page, "admin-roster-preview")
    page.get_by_role("button", name="Apply the import").click()
    expect(page.get_by_text("The roster was imported: 1 added, 1 updated, 1 left.")).to_be_visible()
    screenshot(page, "admin-roster-applied")
    page.goto("/admin/?q=Yusuf")
    expect(page.get_by_role("rowheader", name="Yusuf Ali")).to_be_visible()

"""`flask content check` and `flask content export` cover the workshop packs."""

from __future__ import annotations

import json

from app.config import ROOT


def test_check_counts_the_packs(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    packs = len(list((ROOT / "workshops").glob("*.yaml")))  # counted on disk
    assert f"{packs} workshop packs" in result.output


def test_check_names_a_broken_pack(app, runner, tmp_path):
    for folder in ("aup", "lessons", "quizzes", "guides", "static"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    (tmp_path / "workshops").mkdir()
    text = (ROOT / "workshops" / "primary-parents.yaml").read_text(encoding="utf-8")
    broken = text.replace("duration_minutes: 50", "duration_minutes: 45")
    (tmp_path / "workshops" / "primary-parents.yaml").write_text(broken, encoding="utf-8")
    app.config["LANTERN_CONTENT_ROOT"] = tmp_path
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert (
        "workshops/primary-parents.yaml: facilitator.running_order: timings add up to 50 minutes "
        "but duration_minutes is 45"
    ) in result.output


def test_export_includes_every_pack_with_slides_handout_and_form(runner):
    result = runner.invoke(args=["content", "export", "--format", "json"])
    assert result.exit_code == 0
    packs = {pack["id"]: pack for pack in json.loads(result.output)["workshops"]}
    assert set(packs) == {"primary-parents", "secondary-parents", "sharing-images-and-sextortion"}
    pack = packs["secondary-parents"]
    assert pack["slides"][0]["notes"] and pack["handout"]["help"] and pack["feedback"]
    assert len(pack["content_hash"]) == 64

"""The guide loader: guides load once into a library; broken files name file, field, reason."""

from __future__ import annotations

import builtins
import io
import json
import shutil
from pathlib import Path

import pytest

from app.config import ROOT
from app.content.errors import ContentError
from app.content.guides import load_guides

FIXTURES = ROOT / "tests" / "fixtures" / "guides"
VALID = FIXTURES / "valid"
BROKEN_CASES = [  # (fixture case, file named, field named, words of the reason)
    ("bad_kind", "guides/home-basics.yaml", "kind", "must be 'band', 'topic' or 'practical'"),
    ("unknown_topic", "guides/home-basics.yaml", "topic", "'cats' is not a known topic"),
    ("missing_starters", "guides/home-basics.yaml", "conversation_starters", "at least 3"),
    ("structure_mismatch", "guides/home-basics.ur.yaml", "sections.0.points", "English file has 2"),
    ("version_mismatch", "guides/home-basics.ur.yaml", "version", "must be '2'"),
    ("translation_without_english", "guides/lost-guide.ur.yaml", "(whole file)", "is missing"),
    ("duplicate_id", "guides/ks1-copy.yaml", "id", "'ks1-home' is already used by"),
    ("locale_mismatch", "guides/home-basics.ur.yaml", "locale", "the file name says 'ur'"),
    ("html_in_text", "guides/ks1-home.yaml", "sections.1.paragraphs.0", "must be plain text"),
    ("band_missing", "guides/ks1-home.yaml", "band", "is required for a band guide"),
]
AGREED = {
    "band": ["ks1-at-home", "ks2-at-home", "ks3-at-home", "ks4-at-home", "sixth-form-at-home"],
    "topic": [
        *("topic-grooming", "topic-sharing-nudes", "topic-radicalisation", "topic-copyright"),
        *("topic-checking-sources", "topic-bullying", "topic-privacy-passwords"),
        *("topic-digital-footprint", "topic-wellbeing"),
    ],
    "practical": [
        *("parental-controls", "talking-about-images", "gaming-and-chat"),
        *("screen-time-and-sleep", "if-something-happens"),
    ],
}
AGREED_TRANSLATIONS = {"if-something-happens": ("en", "pl", "ur")}


def guide_dir(tmp_path: Path, case: str | None = None) -> Path:
    """Copy the valid fixture guides into tmp_path/guides, then lay a broken case over them."""
    target = tmp_path / "guides"
    shutil.copytree(VALID, target)
    if case is not None:
        for path in (FIXTURES / "broken" / case).iterdir():
            shutil.copy(path, target / path.name)
    return target


def test_valid_guides_load_with_their_translation(tmp_path):
    library = load_guides(guide_dir(tmp_path))
    assert [g.id for g in library.all()] == ["ks1-home", "home-basics"]  # band, then topic
    assert library.locales("home-basics") == ("en", "ur")
    assert library.locales("nope") == ()
    urdu = library.get("home-basics", "ur")
    assert urdu.locale == "ur" and urdu.text_direction == "rtl"
    assert library.get("home-basics").text_direction == "ltr"
    assert library.get("ks1-home", "pl_PL").locale == "en"  # falls back to English
    with pytest.raises(KeyError):
        library.get("nope")


def test_lookups_by_band_topic_and_kind(tmp_path):
    library = load_guides(guide_dir(tmp_path))
    assert [g.id for g in library.for_band("ks1")] == ["ks1-home"]
    assert [g.id for g in library.for_band("ks3")] == ["home-basics"]  # listed under bands:
    assert [g.id for g in library.for_topic("privacy_passwords")] == ["home-basics"]
    assert library.for_topic("grooming") == [] and library.practical() == []
    assert [g.locale for g in library.translations()] == ["ur"]


def test_guides_are_frozen(tmp_path):
    guide = load_guides(guide_dir(tmp_path)).get("ks1-home")
    with pytest.raises(ValueError):
        guide.title = "Changed"  # type: ignore[misc]


@pytest.mark.parametrize(("case", "file", "field", "reason"), BROKEN_CASES)
def test_a_broken_guide_names_file_field_and_reason(tmp_path, case, file, field, reason):
    with pytest.raises(ContentError) as caught:
        load_guides(guide_dir(tmp_path, case))
    problems = [p for p in caught.value.problems if p.file == file]
    assert problems, str(caught.value)
    assert any(p.field == field and reason in p.reason for p in problems), str(caught.value)


def test_bad_yaml_and_misnamed_files_are_reported(tmp_path):
    folder = guide_dir(tmp_path)
    (folder / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    (folder / "Odd Name.yaml").write_text("format: 1\n", encoding="utf-8")
    (folder / "old.yml").write_text("format: 1\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_guides(folder)
    text = str(caught.value)
    assert "guides/broken.yaml" in text and "not valid YAML" in text
    assert "guides/Odd Name.yaml: (whole file): must be named" in text
    assert "guides/old.yml: (whole file): must end in .yaml" in text


def test_a_broken_guide_stops_start_up(tmp_path):
    from app import create_app
    from tests.conftest import make_config

    root = tmp_path / "root"
    root.mkdir()
    for child in ROOT.iterdir():
        if child.name != "guides":
            (root / child.name).symlink_to(child)
    guide_dir(root, "bad_kind")
    with pytest.raises(ContentError) as caught:
        create_app(make_config(tmp_path / "x.db", LANTERN_CONTENT_ROOT=root))
    assert "guides/home-basics.yaml: kind:" in str(caught.value)


def test_every_agreed_guide_exists_with_its_kind():
    library = load_guides(ROOT / "guides")
    for kind, ids in AGREED.items():
        for guide_id in ids:
            assert library.locales(guide_id), f"guides/{guide_id}.yaml is missing"
            assert library.get(guide_id).kind == kind, guide_id
    for guide_id, locales in AGREED_TRANSLATIONS.items():
        assert library.locales(guide_id) == locales
    assert library.get("if-something-happens", "ur").text_direction == "rtl"


def test_content_check_counts_guides(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert " guides and " in result.output and "guide translations" in result.output


def test_content_check_names_a_broken_guide(app, runner, tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    for child in ROOT.iterdir():
        if child.name != "guides":
            (root / child.name).symlink_to(child)
    guide_dir(root, "unknown_topic")
    app.config["LANTERN_CONTENT_ROOT"] = root
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "guides/home-basics.yaml: topic: 'cats' is not a known topic" in result.output


def test_export_includes_every_guide_in_every_language(runner):
    from app.content import guides

    catalogue = json.loads(runner.invoke(args=["content", "export"]).output)
    exported = {(g["id"], g["locale"]) for g in catalogue["guides"]}
    library = guides()
    assert exported == {(g.id, loc) for g in library.all() for loc in library.locales(g.id)}
    first = catalogue["guides"][0]
    assert {"title", "sections", "conversation_starters", "help", "text_direction"} <= set(first)


def test_no_guide_file_is_read_while_serving(client, monkeypatch):
    opened: list[str] = []
    real_open = builtins.open
    folder = str(ROOT / "guides")

    def spy(file, *args, **kwargs):
        if str(file).startswith(folder):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: spy(self).read())
    for path in ("/guides/", "/guides/if-something-happens", "/guides/if-something-happens/pl"):
        assert client.get(path).status_code == 200
    assert opened == []

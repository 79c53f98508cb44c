"""Tests for the AUP loader and the shipped AUP texts, so broken or unsafe content never ships."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET  # noqa: S405 (parses only our own checked-in SVGs)
from pathlib import Path

import pydantic
import pytest
import yaml

from app.content.aup import AUDIENCES, PUPIL_AUDIENCES, Aup, AupStatement, load_aups
from app.content.errors import ContentError

ROOT = Path(__file__).resolve().parents[2]
AUP_DIR = ROOT / "aup"
ICON_DIR = ROOT / "static" / "img" / "aup"
BROKEN = ROOT / "tests" / "fixtures" / "aup_broken"
SVG_NS = "{http://www.w3.org/2000/svg}"
UNSAFE_SVG_TAGS = {"script", "text", "image", "foreignObject", "style", "use", "a"}

# (fixture folder, file named, field named, words the reason must contain)
BROKEN_CASES = [
    ("bad_yaml", "aup/ks2.yaml", "line 7", "is not valid YAML"),
    ("unknown_audience", "aup/ks2.yaml", "audience", "'ks5' is not an audience"),
    ("audience_mismatch", "aup/ks2.yaml", "audience", "file name says 'ks2'"),
    ("missing_version", "aup/ks2.yaml", "version", "is required"),
    ("ks1_icon_missing", "aup/ks1.yaml", "statements.2.icon", "every KS1 statement needs an icon"),
    ("duplicate_id", "aup/ks2.yaml", "id", "'aup-ks1' is already used by aup/ks1.yaml"),
    ("missing_audience", "aup/visitor.yaml", "(whole file)", "needs an English file"),
    ("unknown_field", "aup/ks2.yaml", "statements.0.colour", "check its spelling in aup/README.md"),
    (
        "icon_no_svg",
        "aup/ks2.yaml",
        "statements.0.icon",
        "static/img/aup/rocket.svg does not exist",
    ),
    ("translation_version_mismatch", "aup/ks2.cy.yaml", "version", "must be '2026.2'"),
    ("empty_text", "aup/ks2.yaml", "closing", "must not be empty"),
]


@pytest.fixture(scope="module")
def library():
    """Load the repository's real aup/ folder once for the tests that only read it."""
    return load_aups(AUP_DIR, ICON_DIR)


def build_aup_dir(tmp_path: Path, case: Path | None = None) -> Path:
    """Copy the real aup/ files into tmp_path, then lay a broken fixture case over them."""
    target = tmp_path / "aup"
    shutil.copytree(AUP_DIR, target)
    for path in sorted(case.iterdir()) if case else []:
        if path.name == "remove.txt":
            for name in _listed_names(path):
                (target / name).unlink()
        else:
            shutil.copy(path, target / path.name)
    return target


def _listed_names(path: Path) -> list[str]:
    """Read the file names in a remove.txt, skipping comments and blank lines."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def raw(audience: str) -> dict:
    """Return one shipped AUP file's raw data, for building variants in a test."""
    return yaml.safe_load((AUP_DIR / f"{audience}.yaml").read_text(encoding="utf-8"))


def test_repo_aups_load_with_every_audience(library):
    """Every audience has an English AUP, and nothing else is loaded."""
    assert library.audiences() == AUDIENCES
    assert [a.audience for a in library.all()] == list(AUDIENCES)
    for audience in AUDIENCES:
        aup = library.get(audience)
        assert (aup.audience, aup.locale, aup.format) == (audience, "en", 1)
        assert aup.id == f"aup-{audience.replace('_', '-')}"


@pytest.mark.parametrize(("audience", "low", "high"), [("ks1", 5, 8), ("ks2", 10, 12)])
def test_primary_aups_have_the_right_number_of_statements_each_with_an_icon(
    library, audience, low, high
):
    """KS1 and KS2 AUPs keep to their length and carry an icon on every statement."""
    statements = library.get(audience).statements
    assert low <= len(statements) <= high
    assert all(s.icon for s in statements)


@pytest.mark.parametrize(("audience", "max_words"), [("ks1", 15), ("ks2", 22)])
def test_primary_sentences_are_short_enough_to_read_aloud(library, audience, max_words):
    """Primary statements use short sentences a child can follow with an adult."""
    for statement in library.get(audience).statements:
        for sentence in re.split(r"(?<=[.!?])\s+", statement.text):
            assert len(sentence.split()) <= max_words, sentence


@pytest.mark.parametrize("audience", ["secondary", "sixth_form"])
def test_secondary_aups_name_the_help_routes_and_the_law(library, audience):
    """Older pupils' AUPs name the reporting routes and the under-18 image law."""
    text = " ".join(s.text for s in library.get(audience).statements)
    for phrase in ("Childline", "0800 1111", "CEOP", "Report Remove", "DSL", "under 18"):
        assert phrase in text, phrase


def test_every_icon_named_has_a_file_and_every_icon_file_is_used(library):
    """Icons and statements match one to one, so no icon is missing or left behind."""
    used = {s.icon for a in library.all() for s in a.statements if s.icon}
    shipped = {p.stem for p in ICON_DIR.glob("*.svg")}
    assert used == shipped


@pytest.mark.parametrize("svg", sorted(ICON_DIR.glob("*.svg")), ids=lambda p: p.stem)
def test_icons_are_small_self_contained_svgs(svg):
    """Each icon is a well-formed 64x64 SVG under 2 KB with no text, script or outside link."""
    data = svg.read_bytes()
    assert len(data) < 2048
    root = ET.fromstring(data)  # noqa: S314 (our own file, checked into the repo)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("viewBox") == "0 0 64 64"
    for element in root.iter():
        assert element.tag.removeprefix(SVG_NS) not in UNSAFE_SVG_TAGS
        for name, value in element.attrib.items():
            assert "href" not in name and not name.startswith("on"), name
            assert "url(" not in value and "javascript:" not in value


def test_text_hash_is_the_sha256_of_the_canonical_shown_text(library):
    """The hash matches the documented canonical JSON, so it can be recomputed anywhere."""
    aup = library.get("ks2")
    shown = {
        "id": aup.id,
        "version": aup.version,
        "locale": aup.locale,
        "title": aup.title,
        "intro": aup.intro,
        "statements": [{"text": s.text} for s in aup.statements],
        "closing": aup.closing,
    }
    canonical = json.dumps(shown, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert aup.text_hash == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_text_hash_is_stable_across_loads(library):
    """Loading the same files again gives the same hashes."""
    again = load_aups(AUP_DIR)
    assert [a.text_hash for a in again.all()] == [a.text_hash for a in library.all()]


def test_text_hash_changes_when_a_statement_changes():
    """Any change to a statement's words changes the hash; icons and decline text do not."""
    data = raw("ks2")
    original = Aup.model_validate(data).text_hash
    data["statements"][3]["text"] += " Always."
    assert Aup.model_validate(data).text_hash != original
    data = raw("ks2")
    data["statements"][0]["icon"] = "kind"
    data["decline_message"] = "Another kind message."
    assert Aup.model_validate(data).text_hash == original


def test_model_copy_recomputes_the_hash(library):
    """An updated copy never carries the original's hash."""
    aup = library.get("ks1")
    changed = aup.model_copy(update={"closing": "A different closing."})
    assert changed.text_hash != aup.text_hash


def test_aups_and_statements_are_immutable(library):
    """Loaded objects cannot be changed after loading."""
    aup = library.get("ks1")
    with pytest.raises(pydantic.ValidationError):
        aup.title = "Changed"
    with pytest.raises(pydantic.ValidationError):
        aup.statements[0].text = "Changed"
    assert isinstance(aup.statements, tuple)
    assert isinstance(aup.statements[0], AupStatement)


def test_a_translation_is_chosen_and_english_is_the_fallback(tmp_path):
    """A locale with a file gets it (cy_GB finds cy); any other falls back to English."""
    directory = build_aup_dir(tmp_path)
    data = raw("ks1") | {"locale": "cy", "title": "[cy] test title"}
    (directory / "ks1.cy.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    library = load_aups(directory, ICON_DIR)
    assert library.get("ks1", "cy").locale == "cy"
    assert library.get("ks1", "cy_GB").title == "[cy] test title"
    assert library.get("ks1", "fr").locale == "en"
    assert library.get("ks2", "cy").locale == "en"
    assert library.get("ks1", "cy").text_hash != library.get("ks1").text_hash
    assert len(library.all()) == len(AUDIENCES) + 1
    assert library.audiences() == AUDIENCES


def test_an_unknown_audience_is_a_key_error(library):
    """Asking for an audience that does not exist raises KeyError."""
    with pytest.raises(KeyError):
        library.get("ks5")


def test_every_broken_fixture_has_a_case():
    """Each fixture folder is exercised by the parametrised test below, and vice versa."""
    assert {p.name for p in BROKEN.iterdir() if p.is_dir()} == {c[0] for c in BROKEN_CASES}


@pytest.mark.parametrize(("case", "file", "field", "reason"), BROKEN_CASES, ids=lambda v: v)
def test_a_broken_file_is_reported_with_its_file_field_and_reason(
    tmp_path, case, file, field, reason
):
    """Each broken fixture yields exactly one problem naming the file, field and reason."""
    directory = build_aup_dir(tmp_path, BROKEN / case)
    with pytest.raises(ContentError) as caught:
        load_aups(directory, ICON_DIR)
    [problem] = caught.value.problems
    assert (problem.file, problem.field) == (file, field)
    assert reason in problem.reason
    assert f"{file}: {field}: " in str(caught.value)


def test_every_problem_in_every_file_is_listed(tmp_path):
    """Problems in several files, and several in one file, are all reported together."""
    directory = build_aup_dir(tmp_path, BROKEN / "unknown_field")
    data = raw("staff")
    del data["title"]
    data["format"] = 2
    (directory / "staff.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_aups(directory, ICON_DIR)
    named = {(p.file, p.field) for p in caught.value.problems}
    expected = {
        ("aup/ks2.yaml", "statements.0.colour"),
        ("aup/staff.yaml", "title"),
        ("aup/staff.yaml", "format"),
    }
    assert named == expected


def test_a_repeated_key_is_a_yaml_error(tmp_path):
    """A key given twice is refused rather than silently keeping the last value."""
    directory = build_aup_dir(tmp_path)
    text = (directory / "visitor.yaml").read_text(encoding="utf-8")
    (directory / "visitor.yaml").write_text(text + "title: Again\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_aups(directory)
    [problem] = caught.value.problems
    assert "'title' is written twice" in problem.reason


def test_a_missing_folder_is_a_content_error(tmp_path):
    """Pointing the loader at a folder that does not exist is reported, not a crash."""
    with pytest.raises(ContentError):
        load_aups(tmp_path / "aup")


# The full texts' hashes before the short forms were added: adding `short` must not change them.
HASHES_BEFORE_SHORT_FORMS = {
    "ks1": "dd2c5177e015dc85334ff283c40d7ed7f9e23a578071aef010236b0c6a6a400b",
    "ks2": "634bfb693251c9043a25a2bdc2d25eda055a8fe5b650da0d41dacff6d840a903",
    "secondary": "a358004e5e321aa22a12f9961411fd0c7a6550aee32a6a87ed0f348217b2846d",
    "sixth_form": "ea662f657b91c1f4ede735df7a2a7043f6815a294bcae89f93aa261d2084ac7a",
}


def test_every_pupil_aup_has_a_short_form_and_adults_have_none(library):
    """Pupils' AUPs ship a short form that covers every statement; adults' AUPs have none."""
    for audience in AUDIENCES:
        aup = library.get(audience)
        if audience in PUPIL_AUDIENCES:
            covered = {n for s in aup.short.statements for n in s.covers}
            assert covered == set(range(1, len(aup.statements) + 1)), audience
            assert len(aup.short.statements) < len(aup.statements)
            assert aup.short_hash and aup.short_hash != aup.text_hash
        else:
            assert aup.short is None and aup.short_hash is None


def test_adding_the_short_form_leaves_the_full_texts_hash_alone(library):
    """text_hash is still the full text's: the records of past acceptances still match."""
    for audience, before in HASHES_BEFORE_SHORT_FORMS.items():
        assert library.get(audience).text_hash == before
        data = raw(audience)
        del data["short"]
        assert Aup.model_validate(data).text_hash == before


def test_the_short_hash_covers_exactly_the_short_form_shown():
    """Changing a short statement changes the short hash, not the full text's hash."""
    data = raw("ks2")
    original = Aup.model_validate(data)
    data["short"]["statements"][0]["text"] = "I ask first."
    changed = Aup.model_validate(data)
    assert changed.short_hash != original.short_hash
    assert changed.text_hash == original.text_hash


@pytest.mark.parametrize(("audience", "max_words"), [("ks1", 15), ("ks2", 22)])
def test_primary_short_forms_are_short_enough_to_read_aloud(library, audience, max_words):
    """The short form keeps to the same reading limits as the full text, with a picture each."""
    short = library.get(audience).short
    for statement in short.statements:
        assert statement.icon
        for sentence in re.split(r"(?<=[.!?])\s+", statement.text):
            assert len(sentence.split()) <= max_words, sentence


def _short_problem(audience: str, change) -> str:
    """Validate a shipped file with its short form changed by change(data); the reason given."""
    data = raw(audience)
    change(data)
    with pytest.raises(pydantic.ValidationError) as caught:
        Aup.model_validate(data, context={"audience": audience, "icon_dir": ICON_DIR})
    return str(caught.value)


def test_a_short_form_that_leaves_a_statement_out_is_refused():
    """Every statement of the full text must be summed up by some short statement."""
    reason = _short_problem("ks1", lambda d: d["short"]["statements"].pop(1))
    assert "does not cover statement 3 of the full text" in reason


def test_a_short_form_naming_a_statement_that_does_not_exist_is_refused():
    """covers counts from 1 and must stay within the full text."""
    reason = _short_problem("ks1", lambda d: d["short"]["statements"][0].update(covers=[1, 2, 9]))
    assert "names statement 9, but the full text has 8" in reason


def test_a_short_form_uses_the_pictures_of_the_statements_it_sums_up():
    """A short statement's picture is one of the pictures of what it covers."""
    reason = _short_problem("ks2", lambda d: d["short"]["statements"][0].update(icon="camera"))
    assert "must be the picture of a statement it covers" in reason


def test_a_long_short_form_is_refused():
    """A short form is at most six statements, each at most 30 words."""
    long = " ".join(["word"] * 31)
    reason = _short_problem("ks2", lambda d: d["short"]["statements"][0].update(text=long))
    assert "more than 30 words" in reason
    extra = {"text": "Another.", "icon": "tell", "covers": [8]}
    reason = _short_problem("ks2", lambda d: d["short"]["statements"].append(extra))
    assert "has 7 statements; a short form has at most 6" in reason


def test_an_adult_aup_may_not_have_a_short_form():
    """Staff, parents and visitors read and accept the full text; a short form is refused."""
    short = {"intro": "Key points.", "statements": [{"text": "Be safe.", "covers": [1]}]}
    reason = _short_problem("staff", lambda d: d.update(short=short))
    assert "only pupil AUPs have a short form" in reason

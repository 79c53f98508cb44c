"""Rules that keep the curriculum's legal and safeguarding corrections (issue 12 part 5) in place.

Each rule reads the content files themselves, so a later edit that brings an old mistake back
fails here. Quizzes are checked by their own tests (tests/unit/test_curriculum_quality.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from app.config import ROOT
from app.content.library import load_library

LIBRARY = load_library(ROOT / "lessons", ROOT / "quizzes", static_dir=ROOT / "static")
FOLDERS = ("lessons", "aup", "guides", "workshops", "privacy", "teaching")


def _texts(value, where: str) -> Iterator[tuple[str, str]]:
    """Yield (where, paragraph) for every paragraph of text anywhere in a loaded YAML value."""
    if isinstance(value, str):
        for paragraph in re.split(r"\n\s*\n", value):
            yield where, " ".join(paragraph.split())
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}.{index}")


def _paragraphs(folders=FOLDERS) -> list[tuple[str, str]]:
    """Every paragraph of every content file in the folders, named by file and field."""
    found = []
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            found += _texts(data, str(path.relative_to(ROOT)))
    return found


PARAGRAPHS = _paragraphs()


def _sentences(text: str) -> list[str]:
    """A paragraph split into sentences."""
    return re.split(r"(?<=[.!?])\s+", text)


def _offending(test) -> list[str]:
    """The places whose paragraph fails a test, for a readable assertion."""
    return [f"{where}: {text[:120]}" for where, text in PARAGRAPHS if test(text)]


def test_paragraph_splitting_sees_the_content() -> None:
    assert len(PARAGRAPHS) > 2000
    assert any("Report Remove" in text for _, text in PARAGRAPHS)


def test_uk_law_is_fair_dealing_never_fair_use() -> None:
    assert _offending(lambda t: "fair use" in t.lower()) == []


def test_betting_skins_is_gambling_not_like_gambling() -> None:
    def like(text: str) -> bool:
        clauses = re.split(r"[,;:.]| and ", text.lower())
        return any("like gambling" in c and ("skin" in c or "bet" in c) for c in clauses)

    assert _offending(like) == []


def test_the_national_lottery_is_never_put_under_the_gambling_act() -> None:
    def wrong_act(text: str) -> bool:
        return "National Lottery" in text and "Gambling Act" in text

    assert _offending(wrong_act) == []


def test_no_text_says_the_law_starts_to_apply_at_18() -> None:
    wrong = re.compile(
        r"adult law (applies|and adult services apply)|law treats what you post", re.I
    )
    places = [
        f"{where}: {text[:120]}"
        for where, text in PARAGRAPHS
        if wrong.search(text)  # lessons, AUPs, guides, workshops, notices
    ]
    assert places == []
    footprint = LIBRARY.find("sixth-form-digital-footprint-1")
    statements = [
        s for step in footprint.steps if step.kind == "true_false" for s in step.statements
    ]
    taught = " ".join(f"{s.text} {s.feedback}" for s in statements)
    assert "criminal responsibility starts at 10" in taught


def test_primary_pupils_meet_someone_from_online_only_with_a_trusted_adult_there() -> None:
    meeting = re.compile(r"\bmeet\b[^.]*\bonly (know|knew|met)\b[^.]*online", re.I)
    places = [
        f"{where}: {sentence}"
        for where, text in PARAGRAPHS
        if where.startswith(("lessons/ks1", "lessons/ks2"))
        for sentence in _sentences(text)
        if meeting.search(sentence) and not re.search(r"\bgo(es)? with you\b", sentence)
    ]
    assert places == []


def test_only_the_person_in_a_picture_is_sorted_to_report_remove() -> None:
    sorted_there = []
    for lesson in LIBRARY.lessons():
        for step in lesson.steps:
            if step.kind != "sort":
                continue
            groups = {g.id for g in step.groups if "Report Remove" in g.label}
            sorted_there += [(lesson.id, item.text) for item in step.items if item.group in groups]
    assert sorted_there, "some sort has a Report Remove group"
    bystander = re.compile(r"\bof [A-Z][a-z]+\b|\byou (are|were|get) sent\b|someone else|friend")
    assert [(lesson_id, text) for lesson_id, text in sorted_there if bystander.search(text)] == []


def test_a_real_photo_out_of_context_is_false_context_not_malinformation() -> None:
    def mixed(text: str) -> bool:
        return any(
            "malinformation is" in s.lower() and "context" in s.lower() for s in _sentences(text)
        )

    assert _offending(mixed) == []
    sources = " ".join(s.body for s in LIBRARY.find("ks3-checking-sources-1").steps[:1])
    assert "false context" in sources and "doxxing" in sources


@pytest.mark.parametrize("band", ["ks1", "ks2"])
def test_who_may_know_a_password_matches_the_aup(band: str) -> None:
    aup = yaml.safe_load((ROOT / "aup" / f"{band}.yaml").read_text(encoding="utf-8"))
    [promise] = [s["text"] for s in aup["statements"] if s.get("icon") == "password"]
    assert "grown-ups at home" in promise and "teacher" in promise
    who = re.compile(r"password.*(should know|may know|can know|know it|just for you)", re.I)
    lines = [
        sentence
        for where, text in PARAGRAPHS
        if where.startswith(f"lessons/{band}/")
        for sentence in _sentences(text)
        if (who.search(sentence) or re.search(r"\b(can|may|should) know it\b", sentence))
        and ".objectives." not in where  # "say who may know mine" names no one
    ]
    assert lines, "the lessons say who may know a password"
    for sentence in lines:
        assert "grown-ups at home" in sentence and "teacher" in sentence, sentence


def test_ks2_teaches_chatbots_and_live_streaming_as_its_aup_asks() -> None:
    ks2 = " ".join(text for where, text in PARAGRAPHS if where.startswith("lessons/ks2/"))
    assert "chatbot" in ks2.lower() and "live stream" in ks2.lower()


@pytest.mark.parametrize("lesson_id", ["ks3-sharing-nudes-1", "ks4-sharing-nudes-1"])
def test_secondary_teacher_notes_name_the_legal_test_indecent(lesson_id: str) -> None:
    notes = LIBRARY.find(lesson_id).teacher_notes
    assert '"indecent"' in (notes.teaching or "")


def test_sixth_form_notes_explain_the_narrow_defence_for_16_and_17_year_olds() -> None:
    notes = LIBRARY.find("sixth-form-sharing-nudes-1").teacher_notes.teaching or ""
    assert "s.1A" in notes and "living together" in notes and "16 or 17" in notes
    assert "not a general exception" in notes


def test_the_rules_read_every_folder() -> None:
    assert {where.split("/")[0] for where, _ in PARAGRAPHS} == set(FOLDERS)
    assert Path(ROOT / "teaching" / "safe-learning.yaml").is_file()


# ---- AUP text (issue 12 part 6) ---------------------------------------------------------------


def _aup(audience: str) -> dict:
    """One AUP file's fields."""
    return yaml.safe_load((ROOT / "aup" / f"{audience}.yaml").read_text(encoding="utf-8"))


def _aup_text(audience: str) -> str:
    """Every statement of one AUP, as one string."""
    return " ".join(s["text"] for s in _aup(audience)["statements"])


def test_sixth_form_liability_is_own_risk_except_the_schools_negligence() -> None:
    text = _aup_text("sixth_form")
    assert "cannot be held liable" not in text
    assert "at my own risk" in text and "except where the school itself has been negligent" in text


def test_parents_are_not_asked_to_consent_to_the_internet_at_school() -> None:
    text = _aup_text("parent")
    assert "refuse consent for my child to use the internet" not in text
    assert "does not ask for my consent for my child to use the internet" in text
    assert "public task" in text and "privacy notice" in text


@pytest.mark.parametrize("audience", ["parent", "sixth_form"])
def test_publication_consent_is_asked_for_each_use_separately(audience: str) -> None:
    text = _aup_text(audience)
    for use in ("school website", "school's social media", "the press"):
        assert use in text
    assert "separately" in text


def test_sixth_formers_give_their_own_photo_consent() -> None:
    assert "I give or refuse my own consent for photos and videos of me" in _aup_text("sixth_form")
    assert "Sixth formers give or refuse their own consent." in _aup_text("parent")


def test_the_aups_promise_only_the_consent_choices_the_forms_offer() -> None:
    """Each use the AUPs name is a question on the consent form (parent's and sixth former's)."""
    from app.parent.forms import LABELS
    from app.services.consent import PARTS

    labels = " ".join(str(LABELS[part]) for part in PARTS)
    for use in ("school website", "school's social media", "the press"):
        assert use in labels


def test_staff_aup_has_what_the_seed_policies_require() -> None:
    text = _aup_text("staff")
    for needed in (
        "lock themselves after 10 minutes idle",
        "only on school devices",
        "whose consent I have checked before I take them",
        "one to one",
        "full name with their photo",
        "low-level concerns",
        "whistleblowing",
    ):
        assert needed in text, needed


@pytest.mark.parametrize("audience", ["ks1", "ks2", "parent", "sixth_form", "staff"])
def test_each_changed_aup_is_a_new_version(audience: str) -> None:
    aup = _aup(audience)
    assert aup["version"] == "2026.2" and str(aup["effective"]) == "2026-12-04"

"""Legal and safeguarding corrections in the quizzes, kept by rules that catch them coming back."""

from __future__ import annotations

import re

import pytest

from app.config import ROOT
from app.content.library import load_library

LIBRARY = load_library(ROOT / "lessons", ROOT / "quizzes", static_dir=ROOT / "static")


def _sentences(band: str | None = None) -> list[tuple[str, str]]:
    """(lesson id, sentence) for every sentence a pupil reads in a quiz, in one band or all."""
    found = []
    for lesson in LIBRARY.lessons():
        if band is not None and lesson.band != band:
            continue
        for question in LIBRARY.quiz_for(lesson.id).questions:
            texts = [question.text]
            for option in question.options:
                texts += [option.text, option.feedback]
            for text in texts:
                found += [(lesson.id, s) for s in re.split(r"(?<=[.!?])\s+", text)]
    return found


def test_skin_betting_is_called_gambling_not_like_it() -> None:
    wrong = [(lid, s) for lid, s in _sentences() if re.search(r"like gambling|gambling-like", s)]
    assert not wrong, wrong


def test_the_national_lottery_is_not_put_under_the_gambling_act() -> None:
    wrong = [
        (lid, s)
        for lid, s in _sentences()
        if "National Lottery" in s and "Gambling Act" in s and "National Lottery etc. Act" not in s
    ]
    assert not wrong, wrong


def test_fair_use_is_named_only_as_the_us_idea() -> None:
    wrong = [(lid, s) for lid, s in _sentences() if "fair use" in s.lower() and "US" not in s]
    assert not wrong, wrong


def test_meeting_an_online_friend_needs_an_adult_who_agrees_and_goes_too() -> None:
    about_meeting = [
        (lid, s) for lid, s in _sentences() if re.search(r"\bmeet\b.*only know online", s)
    ]
    assert about_meeting  # the rule has something to check
    assert all("goes with you" in s for _, s in about_meeting), about_meeting


@pytest.mark.parametrize(
    ("band", "allowed"),
    [
        ("ks1", r"Only (her|his|your) family and (her|his|your) teacher should know it"),
        ("ks2", None),  # the KS2 AUP: keep it private, and tell an adult if someone knows it
    ],
)
def test_who_may_know_a_password_matches_the_aup(band: str, allowed: str | None) -> None:
    says_who = [
        (lid, s)
        for lid, s in _sentences(band)
        if re.search(r"\b(can|may|should) know (it|your password|their password)\b", s)
    ]
    wrong = [(lid, s) for lid, s in says_who if allowed is None or not re.search(allowed, s)]
    assert not wrong, wrong

"""A pupil who does not read cannot pass: blind answering strategies over every quiz.

Each strategy answers every question of every quiz without reading it, from the options in the
order a pupil is shown them (app/content/order.py), for many pupils. A strategy that passes more
than one quiz in ten means the quizzes reward guessing, not learning.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

import pytest

from app.config import ROOT
from app.content.library import load_library
from app.content.order import attempt_seed, option_order
from app.content.schema import Option, Question, Quiz

LIBRARY = load_library(ROOT / "lessons", ROOT / "quizzes", static_dir=ROOT / "static")
QUIZZES = [LIBRARY.quiz_for(lesson.id) for lesson in LIBRARY.lessons()]
PUPILS = range(1, 41)  # simulated pupils, each on their first attempt
MOST = 0.1  # no strategy may pass more than one quiz in ten

Shown = tuple[Option, ...]
Strategy = Callable[[Question, Shown, random.Random], set[str]]
HELPFUL = re.compile(r"\b(trusted adult|tell|report|help|adult|stop|block)\b", re.IGNORECASE)
WORDS = re.compile(r"[a-z']+")


def _ids(options) -> set[str]:
    return {option.id for option in options}


def _by_length(shown: Shown) -> list[Option]:
    return sorted(shown, key=lambda option: len(option.text))


def _helpful(shown: Shown) -> list[Option]:
    return [option for option in shown if HELPFUL.search(option.text)]


def _overlap(question: Question, option: Option) -> int:
    """Words an option shares with its question: a guess that echoes the question."""
    return len(set(WORDS.findall(question.text.lower())) & set(WORDS.findall(option.text.lower())))


def _one_or_many(pick_one: Callable[[Question, Shown], Option], many: Callable) -> Strategy:
    """A strategy choosing one option on a one-answer question and a set on a choose-all one."""

    def play(question: Question, shown: Shown, rng: random.Random) -> set[str]:
        if question.kind == "multiple":
            return _ids(many(question, shown)) or {pick_one(question, shown).id}
        return {pick_one(question, shown).id}

    return play


def _true_false(value: str, otherwise: Strategy) -> Strategy:
    """Always answer true-or-false questions one way, and others by another strategy."""

    def play(question: Question, shown: Shown, rng: random.Random) -> set[str]:
        if question.kind == "true_false":
            return {next(o.id for o in shown if o.text.lower() == value)}
        return otherwise(question, shown, rng)

    return play


def _random(question: Question, shown: Shown, rng: random.Random) -> set[str]:
    if question.kind == "multiple":
        return _ids(o for o in shown if rng.random() < 0.5) or {rng.choice(shown).id}
    return {rng.choice(shown).id}


STRATEGIES: dict[str, Strategy] = {
    "first": _one_or_many(lambda q, s: s[0], lambda q, s: s[:1]),
    "last": _one_or_many(lambda q, s: s[-1], lambda q, s: s[-1:]),
    "second": _one_or_many(lambda q, s: s[1], lambda q, s: s[1:2]),
    "longest": _one_or_many(lambda q, s: _by_length(s)[-1], lambda q, s: _by_length(s)[-1:]),
    "shortest": _one_or_many(lambda q, s: _by_length(s)[0], lambda q, s: _by_length(s)[:1]),
    "all but the first": _one_or_many(lambda q, s: s[-1], lambda q, s: s[1:]),
    "all but the last": _one_or_many(lambda q, s: s[0], lambda q, s: s[:-1]),
    "all but the shortest": _one_or_many(
        lambda q, s: _by_length(s)[-1], lambda q, s: _by_length(s)[1:]
    ),
    "all but the longest": _one_or_many(
        lambda q, s: _by_length(s)[0], lambda q, s: _by_length(s)[:-1]
    ),
    "all of them": _one_or_many(lambda q, s: s[0], lambda q, s: s),
    "the longer half": _one_or_many(
        lambda q, s: _by_length(s)[-1], lambda q, s: _by_length(s)[len(s) // 2 :]
    ),
    "trusted adult, tell, report": _one_or_many(
        lambda q, s: (_helpful(s) or list(s))[0], lambda q, s: _helpful(s)
    ),
    "echo the question": _one_or_many(
        lambda q, s: max(s, key=lambda o: _overlap(q, o)),
        lambda q, s: [o for o in s if _overlap(q, o) == max(_overlap(q, x) for x in s)],
    ),
    "random": _random,
}
for name, strategy in list(STRATEGIES.items()):
    STRATEGIES[f"{name}, all true"] = _true_false("true", strategy)
    STRATEGIES[f"{name}, all false"] = _true_false("false", strategy)


def passes(quiz: Quiz, strategy: Strategy, pupil: int) -> bool:
    """Whether one pupil, playing one strategy blind on their first attempt, passes one quiz."""
    seed = attempt_seed(pupil, quiz.lesson, 1)
    rng = random.Random(f"{seed}:random")
    right = 0
    for question in quiz.questions:
        chosen = strategy(question, option_order(question, seed), rng)
        right += chosen == question.correct_ids()
    return right >= quiz.needed_to_pass()


def pass_rate(strategy: Strategy, quizzes: list[Quiz] = QUIZZES) -> float:
    """The share of (pupil, quiz) plays the strategy passes."""
    plays = [passes(quiz, strategy, pupil) for quiz in quizzes for pupil in PUPILS]
    return sum(plays) / len(plays)


@pytest.mark.parametrize("name", sorted(STRATEGIES))
def test_no_blind_strategy_passes_more_than_one_quiz_in_ten(name: str) -> None:
    rate = pass_rate(STRATEGIES[name])
    assert rate <= MOST, f"{name!r} passes {rate:.0%} of quizzes without reading them"


@pytest.mark.parametrize("band", ["ks1", "ks2", "ks3", "ks4", "sixth_form"])
def test_true_and_false_are_about_as_often_right_in_each_band(band: str) -> None:
    answers = [
        next(o.text for o in question.options if o.correct)
        for lesson in LIBRARY.by_band(band)
        for question in LIBRARY.quiz_for(lesson.id).questions
        if question.kind == "true_false"
    ]
    trues = answers.count("True")
    assert abs(trues - (len(answers) - trues)) <= 2, (band, trues, len(answers) - trues)

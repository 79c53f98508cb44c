"""The order a pupil sees a quiz question's options in: varied per pupil and attempt, stable.

A pupil who does not read must not pass by always choosing the first (or last) option, so each
attempt shows the options of every question in its own order. The order comes from a seed naming
the pupil, the lesson and the attempt number, so it is the same on every reload and when the
pupil comes back, and it can be worked out again when the quiz is handed in and recorded.
A true-or-false question keeps its file order (True, then False): the balance of true and false
statements in each band, not the order, keeps guessing from passing.
"""

from __future__ import annotations

import hashlib
import random

from app.content.kinds import question_kind
from app.content.schema import Option, Question, Quiz


def attempt_seed(pupil_id: int, lesson_id: str, number: int) -> str:
    """The seed of one pupil's numbered attempt at one lesson's quiz."""
    return f"{pupil_id}:{lesson_id}:{number}"


def option_order(question: Question, seed: str) -> tuple[Option, ...]:
    """The question's options in the order shown for this seed; the same every time."""
    if not question_kind(question).shuffles:
        return question.options
    digest = hashlib.sha256(f"{seed}:{question.id}".encode()).digest()
    options = list(question.options)
    random.Random(digest).shuffle(options)  # noqa: S311 - an order to show, not a secret
    return tuple(options)


def quiz_order(quiz: Quiz, seed: str) -> dict[str, tuple[Option, ...]]:
    """Every question's options in the order shown for this seed, by question id."""
    return {question.id: option_order(question, seed) for question in quiz.questions}

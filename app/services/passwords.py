"""Temporary passwords and new picture passwords, given by an admin, a teacher or the command line.

A temporary password is three easy words and a number ("otter-maple-drum-47"): a child can copy
it from a printed card, and it is spoken and spelt without ambiguity. The words come from a list
of 256 (password_words.txt, beside this file), so each word is 8 bits and the number (10-99)
about 6.5 more: 30.5 bits, some 1.5 billion passwords. That is enough because the password is
only ever tried through sign-in, whose limits (app/auth/limits.py) allow at most 200 wrong
guesses an hour at one account from anywhere: guessing it would take on the order of 800 years,
and it only lasts until its owner signs in and chooses their own. It is stored with the slow
hash like any password, and must_change_password sends its owner to choose their own first.

A picture password is three of the nine pictures (729 sequences): weak by nature, which is why
picture sign-in is open only while a teacher shows the class code and has its own tight limits.
"""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from app.models import Role, User
from app.services import auth

WORDS_FILE = Path(__file__).with_name("password_words.txt")
WORD_COUNT = 3
NUMBERS = range(10, 100)  # always two digits, so the card's layout never changes


@cache
def words() -> tuple[str, ...]:
    """The word list, checked: 256 distinct lower-case words."""
    found = tuple(line.strip() for line in WORDS_FILE.read_text("utf-8").splitlines() if line)
    if len(found) != 256 or len(set(found)) != 256 or not all(w.isalpha() for w in found):
        raise ValueError(f"{WORDS_FILE} must hold 256 distinct words of letters only")
    return found


def temporary_password() -> str:
    """Three easy words and a two-digit number, joined by hyphens, from a secure random source."""
    chosen = [secrets.choice(words()) for _ in range(WORD_COUNT)]
    return "-".join([*chosen, str(secrets.choice(NUMBERS))])


def uses_pictures(person: User) -> bool:
    """Whether a person signs in with pictures: pupils in Reception and Key Stage 1."""
    return person.role is Role.PUPIL and person.year is not None and person.year <= 2


def give_temporary_password(person: User) -> str:
    """Set a new temporary password (slow hash); they choose their own at next sign-in.

    Does not commit: the caller records the reset and then ends the person's sessions
    (auth.end_all_sessions commits both with this change).
    """
    password = temporary_password()
    person.password_hash = auth.hash_secret(password)
    person.must_change_password = True
    return password


def give_new_pictures(pupil: User) -> list[str]:
    """Set three new secret pictures for a pupil (slow hash), returned in order; no commit."""
    pictures = [secrets.choice(auth.PICTURES) for _ in range(auth.PICTURE_LENGTH)]
    pupil.picture_hash = auth.hash_secret(auth.picture_key(pictures))
    return pictures

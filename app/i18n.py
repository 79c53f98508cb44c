"""Languages: which one a request uses, its direction, and the switch offered on every page."""

from __future__ import annotations

from babel.lists import format_list
from flask import Flask, current_app, request, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app.extensions import babel
from app.models import Role
from app.models.years import key_stage_label, year_label

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg", "pl": "Polski", "ur": "اردو"}
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur"})
ROLE_LABELS = {
    Role.PUPIL: _l("Pupil"),
    Role.TEACHER: _l("Teacher"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.ADMIN: _l("School admin"),
    Role.PARENT: _l("Parent or carer"),
    Role.VISITOR: _l("Visitor"),
}


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and give templates the language helpers."""
    babel.init_app(app, locale_selector=select_locale)
    app.context_processor(_template_helpers)
    app.add_template_filter(list_words, "list_words")


REGION = {"en": "en_GB", "cy": "cy_GB"}
"""British formats for dates and numbers: Babel's plain "en" would write September 1, 2026."""


def select_locale() -> str:
    """The user's language, then the one chosen in this browser, the school's, the browser's."""
    code = _chosen_language()
    return REGION.get(code, code)


def _chosen_language() -> str:
    """The language code (as offered in the switch) this request should use."""
    offered = current_app.config["LANTERN_LOCALES"]
    user = current_user if current_user and current_user.is_authenticated else None
    if user is not None and user.locale in offered:
        return user.locale
    if session.get("lang") in offered:
        return session["lang"]
    if user is not None and user.school.locale in offered:
        return user.school.locale
    return request.accept_languages.best_match(offered) or "en"


def list_words(items) -> str:
    """A list as words in the page's language: [2, 5] is "2 and 5" ("2 a 5" in Welsh)."""
    words = format_list([str(item) for item in items], locale=get_locale())
    # CLDR writes Welsh "and" as "a(c)" (a before a consonant, ac before a vowel): "a" reads
    # right before most numbers
    return words.replace(" a(c) ", " a ")


CONTENT_LANGUAGE = "en"
"""The language lessons and quizzes are written in: no lesson translation ships yet."""


def content_lang() -> Markup:
    """lang="en" for English lesson text on a page in another language, else nothing."""
    if get_locale().language == CONTENT_LANGUAGE:
        return Markup("")
    return Markup(' lang="%s"') % CONTENT_LANGUAGE


def ui_lang() -> Markup:
    """lang="<page language>" for interface words inside content_lang() text, else nothing."""
    if get_locale().language == CONTENT_LANGUAGE:
        return Markup("")
    return Markup(' lang="%s"') % str(get_locale()).replace("_", "-")


def _template_helpers() -> dict:
    """current_locale(), text_direction() and language_choices() for every template."""
    return {
        "current_locale": lambda: get_locale().language,
        "current_lang_tag": lambda: str(get_locale()).replace("_", "-"),
        "text_direction": lambda: "rtl" if get_locale().language in RIGHT_TO_LEFT else "ltr",
        "content_lang": content_lang,
        "ui_lang": ui_lang,
        "year_label": year_label,
        "key_stage_label": key_stage_label,
        "role_label": ROLE_LABELS.get,
        "language_choices": lambda: [
            (code, LANGUAGE_NAMES.get(code, code)) for code in current_app.config["LANTERN_LOCALES"]
        ],
    }

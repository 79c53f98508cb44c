"""A class's AUP as slides for the year-start introduction: intro, one promise each, closing."""

from __future__ import annotations

from flask_babel import gettext as _

from app.content.aup import Aup
from app.models import SchoolClass
from app.present.deck import Slide, fragment


def aup_slides(aup: Aup, school_class: SchoolClass) -> tuple[Slide, ...]:
    """Every slide of the AUP introduction, with the same short guidance as notes."""
    notes = fragment("present/slides/_aup_notes.html", aup=aup)

    def slide(title: str, kind: str, template: str, **context) -> Slide:
        """One slide of this AUP, its body from template."""
        body = fragment(template, aup=aup, school_class=school_class, **context)
        return Slide(title=title, body=body, notes=notes, kind=kind)

    total = len(aup.statements)
    promises = [
        slide(
            _("Promise %(n)s of %(total)s", n=number, total=total), "promise",
            "present/slides/_aup_statement.html", statement=statement,
        )
        for number, statement in enumerate(aup.statements, start=1)
    ]  # fmt: skip
    return (
        slide(aup.title, "title", "present/slides/_aup_title.html"),
        *promises,
        slide(_("Remember"), "closing", "present/slides/_aup_closing.html"),
    )

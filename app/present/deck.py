"""A generic slide deck for the classroom board: one slide per page, notes apart.

Lessons, the year-start AUP introduction and parents' workshops all present through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import abort, current_app, g, render_template
from markupsafe import Markup


@dataclass(frozen=True)
class Slide:
    """One slide: a title, its body (already-safe HTML), the teacher's notes and a kind.

    `notes` is shown only to the presenter (notes window or panel). Plain text is split into
    paragraphs on blank lines; a Markup value is shown as it is (for lists and headings).
    `kind` becomes a CSS class (`slide--<kind>`) so a caller can style its own kinds.
    """

    title: str
    body: Markup
    notes: str | None = None
    kind: str = "explain"

    def notes_html(self) -> Markup | None:
        """The notes as safe HTML: Markup as given, plain text as escaped paragraphs."""
        if self.notes is None or isinstance(self.notes, Markup):
            return self.notes
        paragraphs = (part.strip() for part in self.notes.split("\n\n"))
        return Markup("").join(Markup("<p>%s</p>") % part for part in paragraphs if part)


def fragment(template: str, **context) -> Markup:
    """Render a template fragment for a slide body, notes or actions, as safe HTML.

    A deck renders every slide's fragments on each request, so the context processors' values
    (some query the database) are gathered once per request, not once per fragment.
    """
    shared = g.get("slide_context")
    if shared is None:
        shared = g.slide_context = {}
        current_app.update_template_context(shared)
    page = current_app.jinja_env.get_or_select_template(template)
    # safe: Jinja autoescapes every value the template writes, so the result is trusted HTML
    return Markup(page.render({**shared, **context}))  # noqa: S704


def _slide_at(slides: Sequence[Slide], index: int) -> Slide:
    """The slide numbered index (1-based, as in URLs); a number out of range is a 404."""
    if not 1 <= index <= len(slides):
        abort(404)
    return slides[index - 1]


def render_deck(
    *,
    title: str,
    slides: Sequence[Slide],
    index: int,
    slide_url: Callable[[int], str],
    exit_url: str,
    notes_url: str | None = None,
    actions: Markup | None = None,
    actions_label: str | None = None,
) -> str:
    """Render slide number `index` of a deck as a whole full-screen page.

    - `title`: the deck's name, shown small above every slide and in the page title.
    - `slides`: every slide in order; `index` is the 1-based number of the one to show (the
      number in its URL). A number out of range aborts with 404, so a view may pass the URL's
      number straight in.
    - `slide_url(n)`: the URL of slide n (1-based); used for the Previous/Next links
      (rel=prev/next), which static/js/present.js follows on arrow keys, Page Up/Down, Space,
      Home and End. Without JavaScript the links still work.
    - `exit_url`: where "Exit" (and Esc, when not full screen) goes.
    - `notes_url`: the URL of this slide's notes page (see `render_notes`), opened in its own
      window by "Teacher notes"; it follows the deck while both are open. Leave it None for
      no notes window. The slide page always has a closed-by-default notes panel when the
      slide has notes.
    - `actions`: safe HTML (usually a small POST form with a CSRF token) shown under the last
      slide, e.g. "Mark as taught"; every other slide's toolbar links to it, labelled
      `actions_label` (default "Finish").
    """
    slide = _slide_at(slides, index)
    return render_template(
        "present/deck.html",
        deck_title=title,
        slide=slide,
        index=index,
        count=len(slides),
        slide_url=slide_url,
        exit_url=exit_url,
        notes_url=notes_url,
        actions=actions,
        actions_label=actions_label,
    )


def render_notes(
    *,
    title: str,
    slides: Sequence[Slide],
    index: int,
    notes_url: Callable[[int], str],
    slide_url: Callable[[int], str],
) -> str:
    """Render the presenter's notes for slide `index` (1-based) with a glance at the next slide.

    The page has its own Previous/Next links (`notes_url(n)`), and follows the deck window
    when it changes slide (present.js, keyed on `slide_url(1)`). Out of range is a 404.
    """
    slide = _slide_at(slides, index)
    following = slides[index] if index < len(slides) else None
    return render_template(
        "present/notes.html",
        deck_title=title,
        slide=slide,
        following=following,
        index=index,
        count=len(slides),
        notes_url=notes_url,
        deck_key=slide_url(1),
    )

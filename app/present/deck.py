"""A generic slide deck for the classroom board: one slide per page, notes apart.

Lessons, the year-start AUP introduction and parents' workshops all present through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import abort, current_app, g, render_template
from markupsafe import Markup

Later = Callable[[], Markup]
"""A fragment rendered only when it is shown: a deck renders one slide per request."""


@dataclass(frozen=True)
class Slide:
    """One slide: a title, its body (safe HTML), the teacher's notes, a kind and any reveals.

    `body` is safe HTML, or a function of the answer shown (0 for none, else 1..len(reveals))
    that renders it, so a request renders only the slide it shows. `notes` is shown only to the
    presenter (notes window or panel): plain text is split into paragraphs on blank lines; Markup
    (or a function returning it) is shown as it is. `kind` becomes a CSS class (`slide--<kind>`).
    `reveals` names the answers the teacher reveals one at a time ("A", "B", ...), each its own
    URL; `reveal_label` names the whole set ("Reveal what happens").
    """

    title: str
    body: Markup | Callable[[int], Markup]
    notes: str | Later | None = None
    kind: str = "explain"
    reveals: tuple[str, ...] = ()
    reveal_label: str = ""

    def body_html(self, shown: int = 0) -> Markup:
        """The body with answer `shown` revealed (0: none)."""
        return self.body(shown) if callable(self.body) else self.body

    def notes_html(self) -> Markup | None:
        """The notes as safe HTML: Markup as given, plain text as escaped paragraphs."""
        notes = self.notes() if callable(self.notes) else self.notes
        if notes is None or isinstance(notes, Markup):
            return notes
        paragraphs = (part.strip() for part in notes.split("\n\n"))
        return Markup("").join(Markup("<p>%s</p>") % part for part in paragraphs if part)


def fragment(template: str, **context) -> Markup:
    """Render a template fragment for a slide body, notes or actions, as safe HTML.

    A slide's body and notes may take several fragments, so the context processors' values (some
    query the database) are gathered once per request, not once per fragment.
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
    actions: Markup | Later | None = None,
    actions_label: str | None = None,
    shown: int = 0,
    reveal_url: Callable[[int, int], str] | None = None,
) -> str:
    """Render slide number `index` of a deck as a whole full-screen page.

    - `title`: the deck's name, shown small above every slide and in the page title.
    - `slides`: every slide in order; `index` is the 1-based number of the one to show (the
      number in its URL). A number out of range aborts with 404, so a view may pass the URL's
      number straight in.
    - `slide_url(n)`: the URL of slide n (1-based); with `reveal_url` (below) used for the
      Previous/Next links (rel=prev/next), which static/js/present.js follows on arrow keys,
      Page Up/Down, Space, Home and End. Without JavaScript the links still work.
    - `exit_url`: where "Exit" (and Esc, when not full screen) goes.
    - `notes_url`: the URL of this slide's notes page (see `render_notes`), opened in its own
      window by "Teacher notes"; it follows the deck while both are open. Leave it None for
      no notes window. The slide page always has a closed-by-default notes panel when the
      slide has notes.
    - `actions`: safe HTML (usually a small POST form with a CSRF token) shown under the last
      slide, e.g. "Mark as taught", or a function rendering it (called only on the last slide);
      every other slide's toolbar links to it, labelled `actions_label` (default "Finish").
    - `shown`: which of the slide's reveals is open (0: none; out of range is a 404), and
      `reveal_url(n, shown)` the URL of that state (needed by a deck whose slides have reveals).
      Next steps through the reveals one at a time before the next slide; Previous steps back
      through them to the slide as it opens.
    """
    slide = _slide_at(slides, index)
    reveals = slide.reveals if reveal_url else ()
    if not 0 <= shown <= len(reveals):
        abort(404)

    def state_url(n: int, answer: int = 0) -> str:
        """The URL of slide n with answer `answer` revealed (0: none)."""
        return reveal_url(n, answer) if answer and reveal_url else slide_url(n)

    following = state_url(index, shown + 1) if shown < len(reveals) else None
    if following is None and index < len(slides):
        following = slide_url(index + 1)
    earlier = state_url(index, shown - 1) if shown else None
    if earlier is None and index > 1:
        earlier = slide_url(index - 1)
    return render_template(
        "present/deck.html",
        deck_title=title,
        slide=slide,
        body=slide.body_html(shown),
        reveals=reveals,
        shown=shown,
        state_url=state_url,
        next_url=following,
        prev_url=earlier,
        index=index,
        count=len(slides),
        slide_url=slide_url,
        exit_url=exit_url,
        notes_url=notes_url,
        actions=actions() if callable(actions) and index == len(slides) else actions,
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

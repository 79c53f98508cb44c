"""The one place that knows how to answer htmx requests and ordinary ones alike."""

from __future__ import annotations

from flask import Response, redirect, render_template, request

from app.extensions import htmx

# Marks a request the page sends by itself (the class grid reloading every minute), so that it
# does not count as the person's activity for the idle sign-out. A custom header cannot come from
# a click on a link or a form: only script sets it, and only the poller in teacher/_grid.html
# does, through hx-headers on an element with no children (htmx passes hx-headers down to child
# elements, so a Refresh link inside it would otherwise send it too). Sending it by hand only
# signs oneself out sooner.
BACKGROUND_HEADER = "X-Lantern-Background"


def wants_partial() -> bool:
    """An htmx swap of part of a page; a history restore (the Back button) needs the whole page."""
    return bool(htmx) and not htmx.history_restore_request


def is_background() -> bool:
    """A request the page made by itself (a timed reload), not something the person did."""
    return bool(htmx) and request.headers.get(BACKGROUND_HEADER) == "poll"


def page_or_partial(page: str, partial: str, **context) -> str:
    """Render the partial for an htmx swap and the whole page otherwise."""
    return render_template(partial if wants_partial() else page, **context)


def redirect_to(url: str, code: int = 303) -> Response:
    """Redirect the browser; for htmx, a full-page HX-Redirect instead of swapping a page in."""
    if htmx:
        response = Response(status=204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=code)

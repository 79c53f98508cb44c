"""The one place that knows how to answer htmx requests and ordinary ones alike."""

from __future__ import annotations

from flask import Response, redirect, render_template

from app.extensions import htmx


def wants_partial() -> bool:
    """An htmx swap of part of a page; a history restore (the Back button) needs the whole page."""
    return bool(htmx) and not htmx.history_restore_request


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

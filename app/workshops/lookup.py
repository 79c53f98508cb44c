"""Finding the workshop pack a URL names."""

from __future__ import annotations

from flask import abort

from app.content import workshops
from app.content.workshops import Pack


def pack_or_404(pack_id: str) -> Pack:
    """Any pack in the library (every member of staff may use every pack), else 404."""
    try:
        return workshops().pack(pack_id)
    except KeyError:
        abort(404)

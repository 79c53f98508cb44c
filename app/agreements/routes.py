"""Thin views over app/services/agreements.py: My agreements, a receipt, the public check."""

from __future__ import annotations

import base64
import io
import re

import segno
from flask import flash, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app.access import SIGNED_IN, allow, open_before_aup, open_to_all
from app.agreements import bp
from app.auth.limits import RECEIPT_CHECK
from app.extensions import limiter
from app.models import Acceptance, Role, utcnow
from app.services import agreements, family, school_calendar

_HASH = re.compile(r"[0-9a-f]{64}")


@bp.route("/agreements")
@allow(*SIGNED_IN)
def index():
    """Every AUP the signed-in person agreed to, with its text; a parent's children's AUPs too."""
    children = []
    if current_user.role is Role.PARENT:
        today = school_calendar.today()
        children = agreements.children_aups(current_user, str(get_locale()), today)
    found = agreements.agreements(current_user)
    return render_template("agreements/index.html", found=found, children=children)


@bp.route("/agreements/receipt/<id:acceptance_id>")
@allow(*SIGNED_IN)
def receipt(acceptance_id: int):
    """A printable receipt for one of the person's own agreements, with a QR code to check it."""
    found = agreements.receipt(current_user, acceptance_id)
    link = url_for("agreements.verify", hash=found.record.record_hash, _external=True)
    return render_template(
        "agreements/receipt.html", r=found, link=link, qr=_qr(link), now=utcnow()
    )


def _qr(link: str) -> str:
    """An SVG QR code of link, as a data: URI for an <img> (the CSP allows data: images)."""
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=4, border=2, xmldecl=False)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def _looked_up(_response) -> bool:
    """Count only a check of a well-formed hash against the limit, not the empty page."""
    return g.get("receipt_checked", False)


@bp.route("/verify")
@open_to_all
@open_before_aup
@limiter.limit(RECEIPT_CHECK, deduct_when=_looked_up)
def verify():
    """Anyone may check a receipt's record hash, typed or from its QR code; nothing is stored."""
    typed = request.args.get("hash", "")
    error, result = None, None
    if "hash" in request.args:
        cleaned = re.sub(r"[\s\-:]", "", typed[:200]).lower()
        if not _HASH.fullmatch(cleaned):
            error = _(
                "A record hash is 64 characters long, made of the digits 0 to 9 and the "
                "letters a to f. Please copy it from the receipt again."
            )
        else:
            g.receipt_checked = True
            result = agreements.check(cleaned)
    return render_template("agreements/verify.html", typed=typed[:200], error=error, result=result)


def receipt_note(rows: list[Acceptance]) -> None:
    """After a parent or member of staff agrees, offer a receipt for each record just made.

    Called by the AUP gate's accept view; pupils, who agree at each logon, find theirs in My
    agreements instead.
    """
    if not rows or current_user.role is Role.PUPIL:
        return
    children = {c.id: c for c in family.children_of(current_user)}
    links = []
    for row in rows:
        child = children.get(row.on_behalf_of_id) if row.on_behalf_of_id else None
        label = _("Receipt for %(name)s", name=child.display_name) if child else _("Your receipt")
        links.append(
            Markup('<a href="{}">{}</a>').format(
                url_for("agreements.receipt", acceptance_id=row.id), label
            )
        )
    message = Markup("{} {}").format(_("Print or save a receipt:"), Markup(" · ").join(links))
    flash(message, "info")


@bp.app_template_global("chain_head")
def chain_head(school_id: int) -> tuple[int, str]:
    """The school's chain head now, for the governors' report: (position, hash)."""
    return agreements.chain_head(school_id)

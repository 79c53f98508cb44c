"""A parent uses the code on their child's letter: makes their own account, linked to the child.

Signed out, the parent types the code with their name and a password of their own; the account
is made, linked to the child, and signed in, and the parent AUP comes next (then they can sign
for their child). A parent who already has an account signs in first and types only the code,
to add another child. Wrong codes count against the address like failed sign-ins.
"""

from __future__ import annotations

from flask import flash, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.access import open_before_aup, open_to_all
from app.auth import bp
from app.auth.forms import LinkChildForm, ParentCodeForm
from app.auth.limits import PARENT_CODE, failures_only
from app.auth.sessions import sign_in
from app.extensions import db
from app.htmx import redirect_to
from app.models import Role, utcnow
from app.services import audit, parent_invites


def _refused(field) -> None:
    """Say the code does not work, and count it as a failed try."""
    g.sign_in_failed = True
    field.errors.append(
        _(
            "That code does not work. Check it against the letter, or ask the school for a new "
            "one: each code works once, for 30 days."
        )
    )


@bp.route("/parent-letter", methods=["GET", "POST"])
@open_to_all
@failures_only(PARENT_CODE)
@open_before_aup
def parent_letter():
    """Use a parent letter's code: a new parent account, or another child for a signed-in one."""
    if current_user.is_authenticated:
        return _link_child()
    form = ParentCodeForm()
    if form.validate_on_submit():
        now = utcnow()
        invite = parent_invites.find(form.code.data, now)
        if invite is None:
            _refused(form.code)
        else:
            given, family = " ".join(form.given.data.split()), " ".join(form.family.data.split())
            parent = parent_invites.redeem(invite, given, family, form.password.data, now)
            audit.record(
                audit.Event.PARENT_LINKED,
                parent.school_id,
                actor_id=parent.id,
                subject_id=invite.child_id,
                detail={"via": "parent_letter", "new_account": True},
                address=request.remote_addr,
            )
            db.session.commit()
            sign_in(parent, "parent_letter")
            flash(
                _(
                    "Your account is ready. Your username is %(username)s: write it down, you "
                    "will need it to sign in.",
                    username=parent.username,
                ),
                "success",
            )
            return redirect_to(url_for("public.home"))
    status = 400 if form.errors else 200
    return render_template("auth/parent_letter.html", form=form), status


def _link_child():
    """A signed-in parent types a letter's code to add that child to their account."""
    if current_user.role is not Role.PARENT:
        return render_template("auth/parent_letter.html", form=None)  # a page, not an error
    form = LinkChildForm()
    if form.validate_on_submit():
        now = utcnow()
        invite = parent_invites.find(form.code.data, now)
        if invite is None or invite.school_id != current_user.school_id:
            _refused(form.code)
        else:
            parent_invites.link_existing(invite, current_user, now)
            audit.record(
                audit.Event.PARENT_LINKED,
                current_user.school_id,
                actor_id=current_user.id,
                subject_id=invite.child_id,
                detail={"via": "parent_letter", "new_account": False},
                address=request.remote_addr,
            )
            name = invite.child.display_name
            db.session.commit()
            flash(_("%(name)s is now linked to your account.", name=name), "success")
            return redirect_to(url_for("public.home"))
    status = 400 if form.errors else 200
    return render_template("auth/parent_letter.html", form=form, linking=True), status

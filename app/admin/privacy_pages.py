"""The admin's page for erasing a person who has left (UK GDPR right to erasure)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from app.admin import bp
from app.extensions import db
from app.services import erasure, school_access


class EraseForm(FlaskForm):
    """Why the person is erased, and their username typed again to confirm."""

    reason = RadioField(
        _l("Why are you erasing them?"),
        choices=[
            SelectChoice(
                erasure.Reason.REQUEST.value, _l("They, or their parent or carer, asked us to")
            ),
            SelectChoice(
                erasure.Reason.NOT_NEEDED.value, _l("The school no longer needs what it holds")
            ),
        ],
        validators=[DataRequired(_l("Choose why."))],
    )
    confirm = StringField(
        _l("Type their username to confirm"),
        validators=[DataRequired(_l("Type their username.")), Length(max=80)],
    )


@bp.route("/people/<id:user_id>/erase", methods=["GET", "POST"])
def erase_person(user_id: int):
    """Erase a leaver's identifying details, after a reason and their username typed again."""
    person = school_access.user_in_school(current_user, user_id)
    form = EraseForm()
    refused = erasure.why_not(person) is not None
    if request.method == "POST" and not refused and form.validate_on_submit():
        if form.confirm.data.strip().lower() == person.username.lower():
            done = erasure.erase(
                person,
                erasure.Reason(form.reason.data),
                actor_id=current_user.id,
                address=request.remote_addr,
            )
            db.session.commit()
            flash(
                _(
                    "Erased. The account is now %(username)s: its records stay, with no name.",
                    username=person.username,
                ),
                "success",
            )
            if done.left_in_published_aups:
                flash(
                    _(
                        "Your published acceptable use agreement still names them: publish a "
                        "new version without their name."
                    ),
                    "warning",
                )
            return redirect(url_for("admin.home"), code=303)
        form.confirm.errors = [_("That is not their username. Type it exactly as shown.")]
    status = 200 if request.method == "GET" else (409 if refused else 400)
    held = refused and erasure.held_for_safeguarding(person)
    return (
        render_template("admin/erase.html", person=person, form=form, refused=refused, held=held),
        status,
    )

"""Sign-in cards for a class: new temporary passwords or pictures for the pupils ticked.

The class's teachers and the admin choose pupils and print their cards; only the pupils ticked
get new details, recorded in the security log one by one. The cards are the answer to that
POST, sent with no-store: the new secrets are shown once and never stored but as slow hashes.
"""

from __future__ import annotations

from functools import wraps

from flask import abort, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app import auditing
from app.auth.forms import EmptyForm
from app.auth.pictures import PICTURE_NAMES
from app.errors import Forbidden
from app.extensions import db
from app.ids import parse_id
from app.services import audit, people, school_access
from app.teacher import bp


def no_store(view):
    """Send the page with Cache-Control: no-store: it shows new passwords or children's names."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        """Run the view and mark its answer not to be kept."""
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapped


def _class_to_print(class_id: int):
    """The class, if the signed-in member of staff may give its pupils new details."""
    school_class = school_access.class_for_staff(current_user, class_id)
    if not people.may_print_cards(current_user, school_class):
        raise Forbidden()
    return school_class


def record_reset(secret: people.Secret, via: str) -> None:
    """Note one reset in the security log, in the caller's transaction: who, whom, what."""
    auditing.note(
        audit.Event.PASSWORD_RESET,
        secret.person.school_id,
        subject_id=secret.person.id,
        detail={"kind": "pictures" if secret.pictures else "password", "via": via},
        commit=False,
    )


def show_cards(secrets: list[people.Secret], school_class=None, back: str | None = None):
    """The printable cards for what was just given (one card per person)."""
    return render_template(
        "teacher/cards.html",
        secrets=secrets,
        cls=school_class,
        back=back,
        picture_names=PICTURE_NAMES,
    )


def ticked_ids() -> set[int]:
    """The pupil ids ticked in a form (its `pupil` boxes); anything that is not an id is ignored."""
    found = set()
    for value in request.form.getlist("pupil"):
        try:
            found.add(parse_id(value))
        except ValueError:
            continue
    return found


def _kind_asked(pupil) -> str:
    """What the form asked to give a pupil (a password or pictures), else their usual kind."""
    kind = request.form.get(f"kind-{pupil.id}", "")
    return kind if kind in people.kinds_for(pupil) else people.default_kind(pupil)


@bp.route("/classes/<id:class_id>/cards", methods=["GET", "POST"])
@no_store
def class_cards(class_id: int):
    """Choose pupils of a class (and for each, a password or pictures); print their cards.

    This is also how a teacher resets one pupil: tick only them.
    """
    school_class = _class_to_print(class_id)
    pupils = people.card_pupils(school_class)
    form = EmptyForm()
    error = None
    due = {p.id for p in pupils if people.needs_details(p)}
    ticked = due
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        ticked = ticked_ids()
        chosen = [p for p in pupils if p.id in ticked]
        if chosen:
            secrets = [people.reset(p, _kind_asked(p)) for p in chosen]
            for secret in secrets:
                record_reset(secret, "class_cards")
            db.session.commit()
            return show_cards(secrets, school_class)
        error = _("Tick at least one pupil to print a card for.")
    posted = request.method == "POST"
    return render_template(
        "teacher/cards_choose.html",
        cls=school_class,
        pupils=pupils,
        form=form,
        error=error,
        due=due,
        chosen=ticked,
        kinds={p.id: _kind_asked(p) if posted else people.default_kind(p) for p in pupils},
    ), (400 if error else 200)

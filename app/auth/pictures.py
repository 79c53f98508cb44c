"""KS1 sign-in, supervised by the teacher: class code, then your name, then your pictures."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, g, make_response, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.access import open_before_aup, open_to_all
from app.auth import bp
from app.auth.forms import ClassCodeForm, EmptyForm
from app.auth.limits import (
    CLASS_CODE,
    PICTURE_PER_ADDRESS,
    PICTURE_PER_CLASS,
    PICTURE_PER_PUPIL,
    failures_only,
)
from app.auth.sessions import sign_in
from app.extensions import db
from app.htmx import redirect_to
from app.ids import parse_id
from app.models import SchoolClass, User, utcnow
from app.services import audit, auth

PICTURE_NAMES = {
    "cat": _l("Cat"),
    "dog": _l("Dog"),
    "fish": _l("Fish"),
    "star": _l("Star"),
    "sun": _l("Sun"),
    "tree": _l("Tree"),
    "apple": _l("Apple"),
    "boat": _l("Boat"),
    "car": _l("Car"),
}


def pupil_key() -> str:
    """Rate-limit key for the pupil whose pictures are being tried."""
    return f"pupil:{session.get('pic_pupil', '')}"


def class_key() -> str:
    """Rate-limit key for the class, per code its teacher opened (a new code starts afresh)."""
    return f"class:{session.get('pic_class', '')}:{session.get('pic_code', '')}"


def no_store(view):
    """Send the page with Cache-Control: no-store: it lists children's names."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        return response

    return wrapped


@bp.route("/sign-in/pictures", methods=["GET", "POST"])
@open_to_all
@failures_only(CLASS_CODE)
@open_before_aup
@no_store
def picture_code():
    """Step 1: type the class code the teacher shows."""
    form = ClassCodeForm()
    if form.validate_on_submit():
        school_class = auth.class_by_code(form.code.data, utcnow())
        if school_class is not None and auth.picture_pupils(school_class):
            session["pic_class"] = school_class.id
            session["pic_code"] = school_class.sign_in_code
            session.pop("pic_pupil", None)
            return redirect_to(url_for("auth.picture_name"))
        g.sign_in_failed = True
        form.code.errors.append(
            _("We could not find that class code. Ask your teacher to check it.")
        )
    return render_template("auth/pictures_code.html", form=form)


def _chosen_class() -> SchoolClass | None:
    """The class whose code was typed in this browser, while that code is still open."""
    class_id = session.get("pic_class")
    school_class = db.session.get(SchoolClass, class_id) if class_id else None
    if school_class is None or school_class.sign_in_code != session.get("pic_code"):
        return None  # the teacher ended sign-in or opened a new code
    return school_class if auth.sign_in_open(school_class, utcnow()) else None


@bp.route("/sign-in/pictures/name", methods=["GET", "POST"])
@open_to_all
@open_before_aup
@no_store
def picture_name():
    """Step 2: tap your name."""
    school_class = _chosen_class()
    if school_class is None:
        return redirect_to(url_for("auth.picture_code"))
    pupils = auth.picture_pupils(school_class)
    form = EmptyForm()
    if form.validate_on_submit():
        chosen = request.form.get("pupil", type=parse_id)
        if chosen not in {p.id for p in pupils}:
            abort(400)
        session["pic_pupil"] = chosen
        session["pic_seq"] = []
        return redirect_to(url_for("auth.picture_password"))
    return render_template(
        "auth/pictures_name.html", form=form, pupils=pupils, school_class=school_class
    )


@bp.route("/sign-in/pictures/password", methods=["GET", "POST"])
@open_to_all
@failures_only(PICTURE_PER_ADDRESS)
@failures_only(PICTURE_PER_CLASS, class_key)
@failures_only(PICTURE_PER_PUPIL, pupil_key)
@open_before_aup
@no_store
def picture_password():
    """Step 3: tap your pictures in order; each tap is an ordinary form post."""
    school_class = _chosen_class()
    pupil = db.session.get(User, session.get("pic_pupil") or 0)
    if school_class is None or pupil is None or pupil not in auth.picture_pupils(school_class):
        return redirect_to(url_for("auth.picture_code"))
    form = EmptyForm()
    if form.validate_on_submit():
        if request.form.get("clear"):
            session["pic_seq"] = []
        else:
            result = _tap(pupil, request.form.get("picture", ""))
            if result is not None:
                return result
    chosen = session.get("pic_seq", [])
    return render_template(
        "auth/pictures_password.html",
        form=form,
        pupil=pupil,
        pictures=auth.PICTURES,
        picture_names=PICTURE_NAMES,
        chosen=len(chosen),
        length=auth.PICTURE_LENGTH,
    )


def _tap(pupil: User, picture: str):
    """Add one picture; after the last one, sign in or start again kindly."""
    if picture not in auth.PICTURES:
        abort(400)
    sequence = [*session.get("pic_seq", []), picture]
    if len(sequence) < auth.PICTURE_LENGTH:
        session["pic_seq"] = sequence
        return None
    session["pic_seq"] = []
    if auth.authenticate_pictures(pupil, sequence):
        sign_in(pupil, "pictures")
        return redirect_to(url_for("public.home"))
    g.sign_in_failed = True
    audit.write(
        audit.Event.SIGN_IN_FAILED,
        pupil.school_id,
        subject_id=pupil.id,
        detail={"method": "pictures"},
        address=request.remote_addr,
    )
    flash(_("Those pictures were not quite right. Let's try again!"), "error")
    return None

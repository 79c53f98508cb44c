"""KS1 sign-in with a class code, a name and three pictures."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Role, SchoolClass, User, utcnow
from app.services import auth
from tests.conftest import csrf_token, post


def _code(client, code: str):
    token = csrf_token(client, "/sign-in/pictures")
    return client.post("/sign-in/pictures", data={"csrf_token": token, "code": code})


def _choose(client, username: str):
    pupil = db.session.scalar(sa.select(User).where(User.username == username))
    token = csrf_token(client, "/sign-in/pictures/name")
    return client.post("/sign-in/pictures/name", data={"csrf_token": token, "pupil": pupil.id})


def _tap(client, picture: str):
    token = csrf_token(client, "/sign-in/pictures/password")
    return client.post("/sign-in/pictures/password", data={"csrf_token": token, "picture": picture})


def test_pupil_signs_in_with_class_code_name_and_pictures(client, demo_school):
    assert _code(client, " fox1 ").headers["Location"] == "/sign-in/pictures/name"
    names = client.get("/sign-in/pictures/name").get_data(as_text=True)
    assert "Amara O." in names and "Ben C." not in names  # only this class, only picture users
    assert _choose(client, "pupil.y1").headers["Location"] == "/sign-in/pictures/password"
    assert "1 of 3 pictures chosen" in _tap(client, "cat").get_data(as_text=True)
    _tap(client, "sun")
    done = _tap(client, "tree")
    assert done.status_code == 303
    page = client.get("/aup").get_data(as_text=True)
    assert "I agree" in page and 'src="/static/img/aup/' in page


def test_wrong_pictures_start_again_kindly(client, demo_school):
    _code(client, "FOX1")
    _choose(client, "pupil.y1")
    for picture in ("dog", "sun", "tree"):
        response = _tap(client, picture)
    assert response.status_code == 200
    assert "not quite right" in response.get_data(as_text=True)
    assert client.get("/pupil/").status_code == 302


def test_wrong_pictures_are_rate_limited(client, demo_school):
    _code(client, "FOX1")
    _choose(client, "pupil.y1")
    for _ in range(5):
        for picture in ("dog", "dog", "dog"):
            _tap(client, picture)
    assert _tap(client, "cat").status_code == 429


def test_unknown_class_code_is_explained(client, demo_school):
    response = _code(client, "NOPE")
    assert response.status_code == 200
    assert "could not find that class code" in response.get_data(as_text=True)


def test_a_pupil_from_another_class_cannot_be_chosen(client, demo_school):
    _code(client, "FOX1")
    assert _choose(client, "pupil.y4").status_code == 400


def test_a_picture_that_is_not_in_the_grid_is_refused(client, demo_school):
    _code(client, "FOX1")
    _choose(client, "pupil.y1")
    assert _tap(client, "dragon").status_code == 400


def test_picture_pages_need_the_earlier_steps(client, demo_school):
    assert client.get("/sign-in/pictures/password").headers["Location"] == "/sign-in/pictures"
    assert client.get("/sign-in/pictures/name").headers["Location"] == "/sign-in/pictures"


def _class(name: str = "1A") -> SchoolClass:
    return db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == name))


def _open_from_class_page(client, school_class: SchoolClass) -> str:
    """Open picture sign-in as staff on the class page; returns the code the page shows."""
    page = f"/teacher/classes/{school_class.id}"
    post(client, f"{page}/picture-sign-in", token_from=page)
    shown = client.get(page).get_data(as_text=True)
    code = shown.split('data-testid="sign-in-code">', 1)[1].split("<", 1)[0]
    assert len(code.replace(" ", "")) == auth.CODE_LENGTH
    return code


def test_the_teacher_opens_a_fresh_code_and_the_old_fixed_one_stops(
    app, client, login_as, demo_school
):
    login_as("coordinator")
    code = _open_from_class_page(client, _class())
    pupil = app.test_client()
    assert "could not find" in _code(pupil, "FOX1").get_data(as_text=True)
    assert _code(pupil, code.lower()).headers["Location"] == "/sign-in/pictures/name"
    assert "Amara O." in pupil.get("/sign-in/pictures/name").get_data(as_text=True)
    assert _code(app.test_client(), "FOX1").status_code == 200  # still refused


def test_a_fixed_code_without_a_session_no_longer_works(client, demo_school):
    school_class = _class()
    school_class.sign_in_code_expires_at = None  # as every code was before codes expired
    db.session.commit()
    assert "could not find" in _code(client, "FOX1").get_data(as_text=True)


def test_only_the_class_s_own_teacher_may_open_its_sign_in(client, login_as, demo_school):
    login_as("teacher")  # teaches 4B and 8C, not 1A
    page = f"/teacher/classes/{_class().id}"
    assert post(client, f"{page}/picture-sign-in", token_from="/teacher/").status_code == 403
    four_b = f"/teacher/classes/{_class('4B').id}"
    assert "Picture sign-in" not in client.get(four_b).get_data(as_text=True)  # nobody to sign in


def test_ending_sign_in_stops_the_code_and_the_names_list_at_once(
    app, client, login_as, demo_school
):
    pupil = app.test_client()
    _code(pupil, "FOX1")
    assert "Amara O." in pupil.get("/sign-in/pictures/name").get_data(as_text=True)
    login_as("coordinator")
    page = f"/teacher/classes/{_class().id}"
    ended = post(client, f"{page}/picture-sign-in/end", token_from=page, follow_redirects=True)
    assert "Picture sign-in has ended" in ended.get_data(as_text=True)
    assert "Open picture sign-in" in ended.get_data(as_text=True)
    assert pupil.get("/sign-in/pictures/name").headers["Location"] == "/sign-in/pictures"
    assert pupil.get("/sign-in/pictures/password").headers["Location"] == "/sign-in/pictures"
    assert "could not find" in _code(app.test_client(), "FOX1").get_data(as_text=True)


def test_a_code_expires_on_its_own(app, client, demo_school):
    _code(client, "FOX1")
    _choose(client, "pupil.y1")
    school_class = _class()
    school_class.sign_in_code_expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/sign-in/pictures/name").headers["Location"] == "/sign-in/pictures"
    assert _tap(client, "cat").headers["Location"] == "/sign-in/pictures"
    assert "could not find" in _code(app.test_client(), "FOX1").get_data(as_text=True)


def test_a_new_code_shuts_out_a_browser_that_had_the_old_one(app, client, login_as, demo_school):
    pupil = app.test_client()
    _code(pupil, "FOX1")
    login_as("coordinator")
    _open_from_class_page(client, _class())
    assert pupil.get("/sign-in/pictures/name").headers["Location"] == "/sign-in/pictures"


def test_picture_sign_in_pages_are_never_cached(client, demo_school):
    assert client.get("/sign-in/pictures").headers["Cache-Control"] == "no-store"
    _code(client, "FOX1")
    assert client.get("/sign-in/pictures/name").headers["Cache-Control"] == "no-store"
    _choose(client, "pupil.y1")
    assert client.get("/sign-in/pictures/password").headers["Cache-Control"] == "no-store"


def _picture_pupils(app, count: int) -> list[str]:
    """Add count pupils to class 1A who sign in with the pictures cat, sun, tree."""
    school_class, names = _class(), []
    secret = auth.hash_secret(auth.picture_key(["cat", "sun", "tree"]))
    for n in range(count):
        name = f"ks1.extra{n}"
        pupil = User(school_id=school_class.school_id, role=Role.PUPIL, username=name,
                     display_name=f"Extra {n}", year=1, picture_hash=secret)  # fmt: skip
        school_class.pupils.append(pupil)
        names.append(name)
    db.session.commit()
    return names


def _guess(client, address: str, times: int) -> list[int]:
    """Try wrong pictures times in a row for the chosen pupil; the status of each last tap."""
    token = csrf_token(client, "/sign-in/pictures/password")
    statuses = []
    for _ in range(times):
        for picture in ("dog", "dog", "dog"):
            response = client.post(
                "/sign-in/pictures/password",
                data={"csrf_token": token, "picture": picture},
                environ_base={"REMOTE_ADDR": address},
            )
        statuses.append(response.status_code)
    return statuses


def _spray(app, pupils: list[str], code: str, address: str, per_pupil: int = 5) -> list[int]:
    """Guess wrong pictures at each pupil in turn, as a stranger with the code would."""
    statuses = []
    for username in pupils:
        guesser = app.test_client()
        _code(guesser, code)
        _choose(guesser, username)
        statuses += _guess(guesser, address, per_pupil)
    return statuses


def test_wrong_pictures_are_limited_across_a_class(app, client, login_as, demo_school):
    pupils = _picture_pupils(app, 13)
    assert set(_spray(app, pupils[:12], "FOX1", "10.0.0.1")) == {200}  # 60 wrong: all answered
    blocked = _spray(app, pupils[12:], "FOX1", "10.0.0.2", per_pupil=1)  # another address too
    assert blocked == [429]
    login_as("coordinator")
    fresh = _open_from_class_page(client, _class())  # a new code: a fresh count for the class
    assert _spray(app, pupils[12:], fresh, "10.0.0.2", per_pupil=1) == [200]


def test_wrong_pictures_are_limited_per_address(app, client, login_as, demo_school):
    pupils = _picture_pupils(app, 25)
    login_as("coordinator")
    statuses = []
    for batch in range(2):  # each code is opened afresh before its class limit, as a teacher might
        code = _open_from_class_page(client, _class())
        statuses += _spray(app, pupils[batch * 12 : batch * 12 + 12], code, "10.0.0.1")
    assert set(statuses) == {200}  # 120 wrong from one address
    code = _open_from_class_page(client, _class())
    assert _spray(app, pupils[24:], code, "10.0.0.1", per_pupil=1) == [429]
    assert _spray(app, pupils[24:], code, "10.0.0.3", per_pupil=1) == [200]  # another address

"""Usernames made from names: short, ASCII, unique, never someone else's."""

from app.extensions import db
from app.models import Role, User
from app.services.usernames import new_username, stem


def test_pupils_get_first_name_and_surname_initial_staff_initial_and_surname():
    assert stem("Amy", "Jones", Role.PUPIL) == "amyj"
    assert stem("John", "Hughes", Role.TEACHER) == "jhughes"


def test_accents_apostrophes_and_spaces_are_dropped_not_mangled():
    assert stem("Siân", "O'Brien-Ní Dhuibhir", Role.TEACHER) == "sobriennidhuibhir"
    assert stem("Zoë", "Øvergård", Role.PUPIL) == "zoev"


def test_a_name_with_no_latin_letters_still_gets_a_username():
    assert stem("李", "王", Role.PUPIL) == "user"


def test_a_taken_username_gets_the_lowest_free_number(demo_school):
    school_id = demo_school.id
    db.session.add(
        User(school_id=school_id, role=Role.PUPIL, username="amyj", display_name="Amy Jones")
    )
    db.session.flush()
    assert new_username("Amy", "Jenkins", Role.PUPIL) == "amyj2"


def test_a_bulk_import_shares_one_set_so_two_new_people_never_collide():
    taken: set[str] = set()
    first = new_username("Amy", "Jones", Role.PUPIL, taken)
    second = new_username("Amy", "James", Role.PUPIL, taken)
    assert (first, second) == ("amyj", "amyj2")

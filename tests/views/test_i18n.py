"""Languages: the switch, Welsh sign-in and AUP pages, and a catalog that covers them."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import csrf_token, post, sign_in

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "translations/cy/LC_MESSAGES/messages.po"
WELSH_PAGES = ("app/auth/templates", "app/aup/templates", "app/templates")


def test_switching_to_welsh_translates_the_sign_in_page(client):
    token = csrf_token(client)
    response = client.post(
        "/language", data={"csrf_token": token, "lang": "cy", "next": "/sign-in"}
    )
    assert response.headers["Location"] == "/sign-in"
    page = client.get("/sign-in").get_data(as_text=True)
    assert '<html lang="cy-GB"' in page
    assert "Mewngofnodi i Lantern" in page and "Enw defnyddiwr" in page


def test_browser_language_is_used_until_one_is_chosen(client):
    page = client.get("/sign-in", headers={"Accept-Language": "cy,en;q=0.5"})
    assert "Mewngofnodi i Lantern" in page.get_data(as_text=True)


def test_welsh_aup_page_keeps_the_agreement_working(client, demo_school):
    post(client, "/language", {"lang": "cy", "next": "/sign-in"}, token_from="/sign-in")
    sign_in(client, "pupil.y4", "lantern-demo")
    page = client.get("/aup").get_data(as_text=True)
    assert "Rwy'n cytuno" in page and "Dydw i ddim yn cytuno" in page
    # No checked Welsh KS2 AUP ships, so the English text is marked as English and the reader told.
    assert '<ol class="aup__statements aup__statements--icons" lang="en">' in page
    assert '<h1 id="aup-title" lang="en">' in page
    assert "Nid yw'r cytundeb hwn ar gael yn eich iaith eto" in page


def test_an_aup_in_the_reader_s_language_is_not_marked_as_another(client, demo_school):
    sign_in(client, "pupil.y4", "lantern-demo")
    page = client.get("/aup").get_data(as_text=True)
    assert '<ol class="aup__statements aup__statements--icons">' in page
    assert '<h1 id="aup-title">' in page
    assert "not available in your language" not in page


def test_unknown_language_is_refused(client):
    assert post(client, "/language", {"lang": "xx"}, token_from="/sign-in").status_code == 400


def _template_messages(folder: Path) -> set[str]:
    """Every translatable string in the templates under folder."""
    found = extract_from_dir(str(folder), method_map=[("**.html", "jinja2")])
    return {
        message for _file, _line, message, _comments, _context in found if isinstance(message, str)
    }


def test_welsh_catalog_covers_the_sign_in_and_aup_pages():
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="cy")
    wanted = set().union(*(_template_messages(ROOT / folder) for folder in WELSH_PAGES))
    wanted -= {"%(num)s pupil"}  # home-page strings in the shared folder are not on these pages
    assert "I agree" in wanted and "Sign in to Lantern" in wanted
    untranslated = sorted(m for m in wanted if catalog.get(m) is None or not catalog[m].string)
    assert untranslated == []


def test_the_english_decline_message_is_marked_english_on_a_welsh_page(client, demo_school):
    post(client, "/language", {"lang": "cy", "next": "/sign-in"}, token_from="/sign-in")
    sign_in(client, "pupil.y4", "lantern-demo")
    response = post(client, "/aup/decline", token_from="/aup")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<p class="lead" lang="en">' in page

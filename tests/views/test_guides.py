"""The public guide pages: no sign-in needed, grouped index, translations, right-to-left, 404s."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from app.content import guides
from tests.conftest import post


def page(client, path: str) -> str:
    """GET a page that must answer 200, returning its HTML."""
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_index_is_public_and_grouped(client):
    html = page(client, "/guides/")
    assert "Guides for parents and carers" in html
    positions = [html.index(f">{label}</h2>") for label in ("By age", "By topic", "Practical help")]
    assert positions == sorted(positions)
    for guide in guides().all():
        assert f'href="/guides/{guide.id}"' in html
        assert str(escape(guide.summary)) in html


def test_index_offers_the_translations(client):
    html = page(client, "/guides/")
    assert 'href="/guides/if-something-happens/pl" lang="pl" hreflang="pl">Polski</a>' in html
    assert 'href="/guides/if-something-happens/ur" lang="ur" hreflang="ur">اردو</a>' in html


@pytest.mark.parametrize("guide_id", ["ks2-at-home", "topic-grooming", "if-something-happens"])
def test_a_guide_shows_every_part_without_sign_in(client, guide_id):
    guide = guides().get(guide_id)
    html = page(client, f"/guides/{guide_id}")
    assert '<article class="guide" lang="en" dir="ltr"' in html
    for section in guide.sections:
        assert str(escape(section.heading)) in html
    assert 'class="guide__starters"' in html and ">Conversation starters</h2>" in html
    assert ">Where to get help</h2>" in html and "Last reviewed:" in html
    assert "Print command (Ctrl+P" in html
    assert '<button type="button" class="button button--secondary" data-print hidden>' in html
    assert '<script src="/static/js/guides.js" defer></script>' in html
    assert "<script>" not in html and "style=" not in html and "onclick" not in html


def test_help_addresses_are_links_printed_as_text(client):
    guide = next(g for g in guides().all() if any(entry.url for entry in g.help))
    entry = next(entry for entry in guide.help if entry.url)
    html = page(client, f"/guides/{guide.id}")
    assert f'<a href="{entry.url}" rel="noopener">' in html


def test_urdu_guide_is_right_to_left_with_the_page_chrome_left_as_it_is(client):
    html = page(client, "/guides/if-something-happens/ur")
    assert '<html lang="en-GB" dir="ltr">' in html  # header, footer: the reader's own language
    assert '<article class="guide" lang="ur" dir="rtl"' in html
    assert guides().get("if-something-happens", "ur").title in html
    assert '<h2 id="starters-title" lang="en-GB" dir="ltr">Conversation starters</h2>' in html
    assert 'aria-current="page">اردو</a>' in html


def test_polish_guide_is_left_to_right_in_polish(client):
    html = page(client, "/guides/if-something-happens/pl")
    assert '<article class="guide" lang="pl" dir="ltr"' in html
    assert guides().get("if-something-happens", "pl").title in html


def test_english_locale_in_the_address_redirects_to_the_plain_address(client):
    response = client.get("/guides/if-something-happens/en")
    assert response.status_code in (301, 308)
    assert response.headers["Location"].endswith("/guides/if-something-happens")


@pytest.mark.parametrize(
    "path",
    [
        "/guides/no-such-guide",
        "/guides/ks2-at-home/ur",  # a guide that has no Urdu translation
        "/guides/if-something-happens/xx",
        "/guides/if-something-happens/ur/extra",
        "/guides/..%2Faup",
        "/guides/<script>",
    ],
)
def test_unknown_guides_and_languages_are_a_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "We could not find that page." in response.get_data(as_text=True)


def test_guides_work_when_signed_in(demo_school, login_as):
    client = login_as("teacher")
    assert "Conversation starters" in page(client, "/guides/ks3-at-home")
    assert "By topic" in page(client, "/guides/")


def test_welsh_readers_see_welsh_labels_marked_as_welsh(client):
    post(client, "/language", {"lang": "cy", "next": "/guides/"}, token_from="/sign-in")
    html = page(client, "/guides/ks1-at-home")
    assert '<html lang="cy-GB"' in html
    assert '<article class="guide" lang="en" dir="ltr"' in html
    assert re.search(r'<h2 id="starters-title" lang="cy-GB">', html)


def test_sign_in_page_links_to_the_guides(client):
    html = page(client, "/sign-in")
    assert 'href="/guides/"' in html and "Guides for parents and carers" in html


def test_the_guest_home_page_links_to_the_guides(demo_school, login_as):
    client = login_as("visitor")
    assert 'href="/guides/"' in page(client, "/guest")

"""Privacy notices: one per audience, linked from the sign-in page and every footer."""

from __future__ import annotations

import re

import pytest

from app.content import privacy_notices
from app.content.privacy import AUDIENCES, TOPICS
from app.demo import school as demo

OWN = {"pupil.y1": "ks1", "pupil.y4": "ks2", "pupil.y8": "secondary", "pupil.y10": "secondary",
       "pupil.y12": "sixth_form", "teacher": "staff", "coordinator": "staff", "admin": "staff",
       "trust.lead": "staff", "parent": "parent", "visitor": "visitor"}  # fmt: skip


def _footer(html: str) -> str:
    """The page's footer."""
    return html[html.index('<footer class="site-footer">') :]


@pytest.mark.parametrize("audience", AUDIENCES)
def test_each_audiences_notice_renders(client, audience):
    response = client.get(f"/privacy/{audience}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    notice = privacy_notices().get(audience)
    assert notice.title in html
    for section in notice.sections:
        assert f'id="privacy-{section.topic}"' in html
    assert [s.topic for s in notice.sections] == list(TOPICS)


def test_the_ks1_notice_has_a_picture_for_each_part(client):
    html = client.get("/privacy/ks1").get_data(as_text=True)
    assert len(re.findall(r'<img src="/static/img/aup/[a-z-]+\.svg" alt=""', html)) == len(TOPICS)
    assert "band-ks1" in html


def test_an_unknown_audience_is_not_found(client):
    assert client.get("/privacy/martians").status_code == 404


def test_signed_out_the_sign_in_page_and_footer_link_to_every_notice(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert 'href="/privacy/"' in html
    assert 'href="/privacy/"' in _footer(html)
    listing = client.get("/privacy/").get_data(as_text=True)
    for audience in AUDIENCES:
        assert f'href="/privacy/{audience}"' in listing


@pytest.mark.parametrize("username", [a.username for a in demo.ACCOUNTS])
def test_each_demo_role_sees_its_own_notice_linked_from_the_footer(demo_school, login_as, username):
    client = login_as(username)
    home = client.get("/", follow_redirects=True)
    assert home.status_code == 200
    footer = _footer(home.get_data(as_text=True))
    assert f'href="/privacy/{OWN[username]}"' in footer
    assert client.get(f"/privacy/{OWN[username]}").status_code == 200


def test_the_notice_is_readable_before_the_aup_is_accepted(demo_school, login_as):
    client = login_as("pupil.y4", accept=False)
    aup = client.get("/aup").get_data(as_text=True)
    assert 'href="/privacy/ks2"' in _footer(aup)
    assert client.get("/privacy/ks2").status_code == 200


def test_on_a_welsh_page_the_english_notice_is_marked_and_explained(client):
    with client.session_transaction() as session:
        session["lang"] = "cy"
    html = client.get("/privacy/ks2").get_data(as_text=True)
    assert '<html lang="cy' in html
    title = privacy_notices().get("ks2").title
    assert f'<h1 id="privacy-title" lang="en">{title}</h1>' in html
    assert 'class="privacy__sections" lang="en"' in html

"""Browser tests: the real app served on loopback, driven by Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.demo import school as demo
from app.extensions import db
from tests.conftest import make_config

CHROMIUM = os.environ.get("LANTERN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
# The only fonts the browser sees (tests/browser/fonts.conf), so widths match on every machine.
FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"
FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)
BODY_FONT = "DejaVu Sans"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run; missing Chromium fails loudly, never skips."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: browser tests cannot run. "
            "Install Debian's chromium package (make test does this when run as root)."
        )
    missing = [font for font in FONT_FILES if not Path(font).exists()]
    if missing:
        pytest.fail(
            f"Fonts missing: {missing}. Browser tests measure text with one known set of fonts: "
            "install Debian's fonts-dejavu-core and fonts-liberation (make test does this as root)."
        )
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)}
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
        yield chromium
        chromium.close()


class LiveServer:
    """The app with the demo school, served from a thread on a free loopback port."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live_config() -> dict:
    """Configuration for the live server beyond the tests' own; a test module may override it."""
    return {}


@pytest.fixture
def live_server(migrated_db, fresh_database, live_config):
    """A fresh demo school on its own database, served for one test."""
    app = create_app(make_config(fresh_database(migrated_db, "live.db"), **live_config))
    with app.app_context():
        demo.load()
        db.session.remove()
    with LiveServer(app) as server:
        yield server
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (no cookies) pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


@pytest.fixture
def no_js_page(browser, live_server):
    """A tab with JavaScript turned off: every page must still work."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    context.close()


def screenshot(tab, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/screenshots for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    tab.wait_for_load_state("networkidle")
    # Poll from Python: wait_for_function compiles its predicate inside the page, which the
    # strict CSP (no unsafe-eval) can refuse, making the wait fail at random.
    deadline = time.monotonic() + 5
    while not tab.evaluate("[...document.images].every((img) => img.complete)"):
        if time.monotonic() > deadline:
            raise AssertionError(f"images still loading on {tab.url}")
        time.sleep(0.05)
    tab.screenshot(path=str(path), full_page=True)
    return path


def sign_in(tab, username: str, password: str = demo.DEMO_PASSWORD) -> None:
    """Fill in and send the sign-in form like a person would."""
    tab.goto("/sign-in")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(password)
    tab.get_by_role("button", name="Sign in", exact=True).click()


def sign_in_agreeing(tab, username: str) -> None:
    """Sign in and press I agree when the AUP is due (staff and parents accept once a year)."""
    sign_in(tab, username)
    tab.wait_for_load_state()
    if "/aup" in tab.url:
        tab.get_by_role("button", name="I agree", exact=True).click()
        past_the_question(tab)
    from playwright.sync_api import expect

    expect(tab.get_by_role("button", name="Sign out", exact=True)).to_be_visible()


def past_the_question(tab) -> None:
    """Press Skip on the once-a-term AUP question a pupil is asked right after agreeing."""
    tab.wait_for_load_state()
    if tab.url.endswith("/aup/check"):
        tab.get_by_role("link", name="Skip", exact=True).click()
        tab.wait_for_load_state()


def rendered_fonts(tab, selector: str) -> list[str]:
    """The font families Chromium really drew the first element matching selector with."""
    cdp = tab.context.new_cdp_session(tab)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return [font["familyName"] for font in fonts]

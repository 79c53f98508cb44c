"""axe-core over every GET page each role can reach, in English and in Welsh.

axe-core is vendored from its npm package (tests/browser/vendor/axe-core/README.md: version,
source, licence) and given to each page as an init script, never fetched while the tests run.
One browser, one context per role; every HTML page of the url_map is scanned by at least one
role (tests/pages.py fills in the ids), or named in NOT_SCANNED with the reason. Every page is
also checked at 320 CSS px (WCAG 2.2 1.4.10): the page itself never scrolls sideways.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for

from app.access import who_may_reach
from app.content import aups, guides, lessons, workshops
from app.demo import school as demo
from app.extensions import db
from app.models import RosterUpload, SchoolClass, User, utcnow
from app.services import workshops as workshop_sessions
from tests import factories
from tests.browser.conftest import sign_in
from tests.pages import candidates, demo_user, get_rules, urls_for

pytestmark = pytest.mark.browser

AXE_DIR = Path(__file__).resolve().parent / "vendor" / "axe-core"
AXE_VERSION = "4.14.1"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best-practice rules.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
# Rules turned off, each with its reason. Keep this short: a rule is fixed, not disabled.
DISABLED: dict[str, str] = {}
# GET pages no role's scan opens, each with the reason.
NOT_SCANNED = {
    "public.health": "a JSON health check for monitoring, not a page",
    "teacher.progress_csv": "a CSV download",
    "coordinator.export": "a CSV download",
    "admin.subject_access_json": "a JSON download",
    "workshops.session_csv": "a CSV download",
    "coordinator.consent_csv": "a CSV download",
    "admin.roster_template": "a CSV download (the roster template)",
    "safeguarding.log_csv": "a CSV download",
    "safeguarding.incident_csv": "a CSV download",
    "safeguarding.pupil_csv": "a CSV download",
    "auth.mfa_code": "shown only mid-sign-in to staff with an authenticator; the demo's have none",
    "present.lesson_notes": "the presenter's notes window: scanned through present.lesson's link",
}
NARROW = 320
REPORT = Path(__file__).resolve().parents[2] / "test-artifacts" / "axe-violations.txt"
LESSON = "ks2-privacy-passwords-1"  # every step kind: explain, sort, scenario, true/false, quiz
LESSONS = (LESSON, "ks2-grooming-1", "ks1-grooming-1", "ks3-grooming-1")
# Endpoints scanned at every sample URL, not only the first that opens: their pages differ.
EVERY_SAMPLE = {
    "pupil.step", "teacher.preview", "present.lesson_slide", "present.aup_slide",
    "workshops.slide", "guides.show", "privacy.show", "coordinator.publish_aup",
}  # fmt: skip


@dataclass
class Sweep:
    """What the scans found: violations, the endpoints scanned, and pages too wide at 320 px."""

    live_server: object
    violations: list[str] = field(default_factory=list)
    too_wide: list[str] = field(default_factory=list)
    scanned: set[str] = field(default_factory=set)
    closed: set[tuple[str, str]] = field(default_factory=set)  # (who, url) that did not open
    pages: int = 0

    def endpoint(self, url: str) -> str:
        """The url_map endpoint answering url."""
        adapter = self.live_server.app.url_map.bind("localhost")
        parts = urlsplit(url)
        return adapter.match(parts.path, method="GET", query_args=parts.query)[0]

    def scan(self, tab, who: str) -> None:
        """Run axe on the page as it is now, and check it at 320 px."""
        lang = tab.evaluate("document.documentElement.lang")
        where = f"{who} {lang} {urlsplit(tab.url).path}"
        options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
        options["rules"] = {rule: {"enabled": False} for rule in DISABLED}
        found = tab.evaluate(
            """async (options) => {
                const result = await axe.run(document, options);
                return result.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
                }));
            }""",
            options,
        )
        for violation in found:
            self.violations.append(f"{where}: {json.dumps(violation, ensure_ascii=False)}")
        size = tab.viewport_size
        tab.set_viewport_size({"width": NARROW, "height": size["height"]})
        width = tab.evaluate("document.documentElement.scrollWidth")
        if width > NARROW:
            self.too_wide.append(f"{where} is {width} px wide at {NARROW} px")
        tab.set_viewport_size(size)
        self.scanned.add(self.endpoint(tab.url))
        self.pages += 1

    def visit(self, tab, who: str, urls: list[str], every: bool = False) -> bool:
        """Scan the first of urls that opens as an HTML page (all of them when every)."""
        opened = False
        for url in urls:
            if (who, url) in self.closed:  # not this role's page in English: not in Welsh either
                continue
            response = tab.goto(url)
            kind = response.headers.get("content-type", "") if response else ""
            if not (response and response.status == 200 and kind.startswith("text/html")):
                self.closed.add((who, url))
            else:
                self.scan(tab, who)
                self.scanned.add(self.endpoint(url))  # a redirect's page is scanned where it led
                opened = True
                if not every:
                    return True
        return opened


def _context(browser, live_server):
    """A fresh browser context with axe-core loaded into every page before the page's scripts."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 800})
    context.add_init_script(path=str(AXE_DIR / "axe.min.js"))
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    return context, tab


def _switch_language(tab, name: str) -> None:
    """Press the header's language button."""
    tab.get_by_role("button", name=name, exact=True).first.click()
    tab.wait_for_load_state()


def _samples(live_server) -> dict[str, list[str]]:
    """Each GET endpoint's sample URLs: tests/pages.py's, with every slide, step, AUP and guide."""
    app = live_server.app
    with app.app_context():
        four_b = db.session.scalar(sa.select(SchoolClass).where(SchoolClass.name == "4B"))
        teacher = db.session.scalar(sa.select(User).where(User.username == "teacher"))
        school = four_b.school
        module = factories.module(school, list(LESSONS[:2]), created_by_id=teacher.id)
        factories.assignment(module, four_b)
        workshop_sessions.start_session(teacher, workshops().packs()[0], dt.date.today())
        db.session.commit()
        # the DSL's pages need a staff concern opened as an incident and a worry in the inbox;
        # the roster preview needs an upload waiting (the demo's own roster, as the admin's)
        pupils = [demo_user("pupil.y4"), demo_user("pupil.y8")]
        factories.incident(teacher, pupils, demo_user("coordinator"))
        factories.worry(demo_user("pupil.y8"))
        db.session.add(
            RosterUpload(school_id=school.id, filename="lantern-roster.csv",
                         content=demo.ROSTER.read_bytes(),
                         expires_at=utcnow() + dt.timedelta(days=1))
        )  # fmt: skip
        db.session.commit()
        values = candidates(LESSONS, LESSON)
        steps = [step.id for step in lessons().find(LESSON).steps]
        values["step_id"] = list(dict.fromkeys([*steps, *values["step_id"]]))
        values["n"] = list(range(1, len(steps) + 3))
        values["audience"] = list(aups().audiences())
        values["pack_id"] = [pack.id for pack in workshops().packs()]
        samples: dict[str, list[str]] = {}
        for rule in get_rules(app):
            if rule.endpoint != "guides.show":
                samples.setdefault(rule.endpoint, []).extend(urls_for(app, rule, values))
        with app.test_request_context():
            samples["guides.show"] = [
                url_for("guides.show", guide_id=guide.id) for guide in guides().all()
            ] + [
                url_for("guides.show", guide_id=guide.id, locale=guide.locale)
                for guide in guides().translations()
            ]
            samples["teacher.assign"] = [url_for("teacher.assign", module=module.id)]
        db.session.remove()
    return samples


def _reachable(app, samples: dict[str, list[str]], role: str | None, only=None) -> list[str]:
    """The endpoints role may reach, in url_map order (only those in only, when given)."""
    return [
        endpoint
        for endpoint in samples
        if endpoint not in NOT_SCANNED
        and role in {None if r is None else str(r) for r in who_may_reach(app, endpoint)}
        and (only is None or endpoint in only)
    ]


def _sweep_role(sweep: Sweep, tab, who: str, endpoints: list[str], samples) -> None:
    """Scan each endpoint's sample pages as who.

    In Welsh only the first guide in English is scanned, with every translated guide: the
    guides are written in one language each, so only their frame (header, links) changes.
    """
    welsh = tab.evaluate("document.documentElement.lang").startswith("cy")
    for endpoint in endpoints:
        urls = samples[endpoint]
        if welsh and endpoint == "guides.show":
            urls = urls[:1] + [url for url in urls if url.count("/") == 3]
        sweep.visit(tab, who, urls, every=endpoint in EVERY_SAMPLE)


ANSWER_FIRST_CHOICES = """() => {
    const input = document.querySelector(
        "main form[method=post] input[type=radio], main form[method=post] input[type=checkbox]");
    if (!input) return false;
    const names = new Set();
    for (const radio of input.form.querySelectorAll("input[type=radio]")) {
        if (!names.has(radio.name)) { names.add(radio.name); radio.checked = true; }
    }
    for (const box of input.form.querySelectorAll("input[type=checkbox]")) {
        if (!names.has(box.name)) { names.add(box.name); box.checked = true; }
    }
    input.form.requestSubmit();
    return true;
}"""


def _answer_lesson(sweep: Sweep, tab, who: str, step_urls: list[str]) -> None:
    """Answer every step of the lesson (the first choice each time) and scan each answered page.

    Handing in the quiz leads to its results page, which is scanned too.
    """
    for url in step_urls:
        tab.goto(url)
        if tab.locator("main form[method=post] input[type=radio]").count() == 0:
            continue
        with tab.expect_navigation():
            assert tab.evaluate(ANSWER_FIRST_CHOICES)
        sweep.scan(tab, who)


def test_axe_finds_nothing_on_any_page_in_english_or_welsh(browser, live_server):
    app = live_server.app
    samples = _samples(live_server)
    sweep = Sweep(live_server)
    everyone = set(_reachable(app, samples, None))
    # Signed out: sign-in, picture sign-in at each stage, and every page open to all.
    context, tab = _context(browser, live_server)
    tab.goto("/sign-in")
    assert tab.evaluate("axe.version") == AXE_VERSION
    for language in ("English", "Cymraeg"):
        if language == "Cymraeg":
            _switch_language(tab, language)
        _sweep_role(sweep, tab, "signed out", sorted(everyone), samples)
        tab.goto("/sign-in/pictures")
        tab.locator("input[name=code]").fill("FOX1")
        tab.locator("main form button[type=submit]").first.click()
        sweep.scan(tab, "signed out")  # the class's names
        tab.locator("main form button[type=submit]").first.click()
        sweep.scan(tab, "signed out")  # the child's pictures
    context.close()
    # Each account: its AUP before agreeing, then every page it may reach, in both languages.
    plan = {
        "pupil.y1": None, "pupil.y4": None, "pupil.y8": None, "pupil.y12": None,
        "parent": None, "teacher": None,
        "coordinator": {"teacher.home", "teacher.class_page"},
        "admin": {"teacher.home"},
        "trust.lead": {"coordinator.home", "coordinator.trust_coverage",
                       "coordinator.coverage_page", "coordinator.compliance_page",
                       "coordinator.report"},
        "visitor": None,
    }  # fmt: skip
    staff = set(_reachable(app, samples, "teacher"))
    for username, extra in plan.items():
        context, tab = _context(browser, live_server)
        sign_in(tab, username)
        tab.wait_for_load_state()
        with app.app_context():
            role = str(db.session.scalar(sa.select(User.role).where(User.username == username)))
        endpoints = [e for e in _reachable(app, samples, role) if e not in everyone]
        if role in ("coordinator", "admin"):  # the teacher's pages are scanned as the teacher
            # except the safeguarding team's: the demo teacher is not DSL, the coordinator is
            dsl = {e for e in endpoints if e.startswith("safeguarding.")} if username == (
                "coordinator") else set()  # fmt: skip
            endpoints = [e for e in endpoints if e not in staff or e in (extra or set()) | dsl]
        if username == "trust.lead":
            endpoints = [e for e in endpoints if e in extra]
        if "/aup" in tab.url:
            sweep.scan(tab, username)
            if username == "pupil.y1":  # KS1's "I do not agree" asks once more: that page too
                tab.goto("/aup/decline/check")
                sweep.scan(tab, username)
                tab.goto("/aup")
            tab.get_by_role("button", name="I agree", exact=True).click()
            tab.wait_for_load_state()
        for language in ("English", "Cymraeg"):
            if language == "Cymraeg":
                _switch_language(tab, language)
                tab.goto("/aup")
                sweep.scan(tab, username)  # the AUP, now agreed, in Welsh
            _sweep_role(sweep, tab, username, endpoints, samples)
        if username == "pupil.y4":  # each step kind answered, and the quiz's results
            steps = [url for url in samples["pupil.step"] if f"/{LESSON}/" in url]
            _answer_lesson(sweep, tab, username, steps)
            _switch_language(tab, "English")
            for url in steps:
                sweep.visit(tab, username, [url])
        context.close()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join([*sweep.violations, *sweep.too_wide]) + "\n", encoding="utf-8")
    missing = sorted(
        endpoint for endpoint in samples if endpoint not in sweep.scanned | set(NOT_SCANNED)
    )
    assert not missing, f"GET pages no scan opened (scan them or say why in NOT_SCANNED): {missing}"
    assert not sweep.too_wide, "\n".join(sweep.too_wide)
    assert not sweep.violations, f"{len(sweep.violations)} axe violations:\n" + "\n".join(
        sweep.violations
    )

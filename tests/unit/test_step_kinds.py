"""The step-kind registry owns its kinds: models, templates, no kind-name branching elsewhere."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal, get_args

import pytest
from jinja2 import TemplateNotFound
from pydantic import TypeAdapter, ValidationError

from app.content import schema
from app.content.fields import ContentModel, Slug, Text
from app.content.kinds import QUESTION_KINDS, STEP_KINDS, StepKind
from app.content.schema import STEP_MODELS, Lesson, Question, Step, step_union

APP = Path(__file__).resolve().parents[2] / "app"
REGISTRY = APP / "content" / "kinds.py"
NAMES = "|".join(sorted(set(STEP_KINDS) | set(QUESTION_KINDS)))
KIND = r"\bkind\b\s*(?:\)\s*)?"
BRANCHES = (
    # step.kind == "scenario", kind != 'quiz', kind in ("sort", ...), kind not in [...]
    re.compile(KIND + r"(?:==|!=|\bin\b|\bnot in\b)\s*[(\[{]?\s*['\"](?:" + NAMES + r")['\"]"),
    # "scenario" == step.kind
    re.compile(r"['\"](?:" + NAMES + r")['\"]\s*(?:==|!=)\s*[\w.]*\bkind\b"),
    # a template name built from the kind: "pupil/steps/_" ~ step.kind, f"_{step.kind}.html"
    re.compile(r"~\s*[\w.]*\bkind\b\s*~|\{[\w.]*\bkind\}\.html"),
)


def branches_on_kind_names(text: str) -> list[str]:
    """The lines of a source text that branch on, or build names from, a step or question kind."""
    return [line.strip() for line in text.splitlines() if any(p.search(line) for p in BRANCHES)]


@pytest.mark.parametrize(
    "line",
    [
        'if current.kind == "explain":',
        "{% elif step and step.kind == 'true_false' %}",
        "{% if question.kind != 'multiple' %} required{% endif %}",
        'if step.kind in ("sort", "scenario"):',
        "if 'quiz' == step.kind:",
        '{% include "pupil/steps/_" ~ step.kind ~ ".html" %}',
        'template = f"present/slides/_{step.kind}.html"',
    ],
)
def test_the_scan_catches_each_way_of_branching_on_a_kind_name(line: str) -> None:
    assert branches_on_kind_names(line) == [line]


def test_the_scan_leaves_other_kinds_and_registry_lookups_alone() -> None:
    text = 'if question.kind == "rating":\nkind = step_kind(step)\nif kind.holds_quiz:\n'
    assert branches_on_kind_names(text) == []


def test_no_module_outside_the_registry_branches_on_kind_names() -> None:
    sources = [p for p in APP.rglob("*") if p.suffix in (".py", ".html") and p != REGISTRY]
    assert len([p for p in sources if p.suffix == ".html"]) > 50  # the templates are scanned too
    found = {
        str(path.relative_to(APP)): lines
        for path in sources
        if (lines := branches_on_kind_names(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_every_step_kind_has_its_templates(app) -> None:
    for kind in STEP_KINDS.values():
        assert kind.player.startswith("pupil/steps/"), kind.name
        assert kind.holds_quiz or kind.slide is not None, kind.name
        for template in kind.templates():
            try:
                app.jinja_env.get_template(template)
            except TemplateNotFound:
                pytest.fail(f"the {kind.name} kind's template {template} is missing")


def test_exactly_one_step_kind_holds_the_quiz() -> None:
    assert [kind.name for kind in STEP_KINDS.values() if kind.holds_quiz] == ["quiz"]


def test_the_schema_is_built_from_the_registry_in_its_order() -> None:
    registered = tuple(kind.model for kind in STEP_KINDS.values())
    assert STEP_MODELS == registered
    assert schema.STEP_KINDS == frozenset(STEP_KINDS)
    union, discriminator = get_args(Step)
    assert get_args(union) == registered
    assert discriminator.discriminator == "kind"
    assert get_args(Lesson.model_fields["steps"].annotation) == (Step, ...)
    for kind in STEP_KINDS.values():
        assert get_args(kind.model.model_fields["kind"].annotation) == (kind.name,)
    assert set(get_args(Question.model_fields["kind"].annotation)) == set(QUESTION_KINDS)


class PollStep(ContentModel):
    """A throwaway step kind, registered only inside the test below."""

    id: Slug
    kind: Literal["poll"]
    question: Text


class PollKind(StepKind[PollStep]):
    """The throwaway kind's class: a model and a player template are all it declares."""

    name = "poll"
    model = PollStep
    player = "pupil/steps/_poll.html"


def test_a_registered_kind_is_all_the_schema_needs_to_accept_its_steps() -> None:
    poll = {"id": "vote", "kind": "poll", "question": "Which app do you use most?"}
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        TypeAdapter(Step).validate_python(poll)
    steps = TypeAdapter(step_union((*STEP_KINDS.values(), PollKind())))
    assert steps.validate_python(poll) == PollStep(**poll)
    explain = {"id": "intro", "kind": "explain", "title": "Hello", "body": "Welcome."}
    assert steps.validate_python(explain) == TypeAdapter(Step).validate_python(explain)

"""The shipped issue forms are exactly what the field definitions generate, and valid."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.core.fields import FORMS
from app.core.forms import render_forms
from app.core.i18n import Lang
from app.core.issue_form import read_issue

SHIPPED = Path(__file__).parents[2] / "deploy" / "ISSUE_TEMPLATE"
TYPES = {"markdown", "textarea", "input", "dropdown", "checkboxes"}


@pytest.mark.parametrize("name", sorted(render_forms()))
def test_shipped_form_matches_definitions(name: str) -> None:
    assert (SHIPPED / name).read_text(encoding="utf-8") == render_forms()[name]


def check_issue_form(form: dict[str, Any]) -> None:
    """GitHub's documented rules for an issue form (syntax and common validation errors)."""
    assert {"name", "description", "body"} <= set(form) and len(form["name"]) > 3
    fields = [e for e in form["body"] if e["type"] != "markdown"]
    assert fields, "at least one non-markdown field"
    ids = [e["id"] for e in fields]
    labels = [e["attributes"]["label"] for e in fields]
    assert len(set(ids)) == len(ids) and len(set(labels)) == len(labels)
    for e in form["body"]:
        assert e["type"] in TYPES
        if e["type"] == "markdown":
            assert e["attributes"]["value"]
            continue
        assert re.fullmatch(r"[A-Za-z0-9_-]+", e["id"])
        assert isinstance(e["validations"]["required"], bool)
        opts = e["attributes"].get("options", [])
        assert len(set(map(str, opts))) == len(opts) and "None" not in opts


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", sorted(FORMS))
def test_forms_are_valid_and_match_the_model(kind: str, lang: Lang) -> None:
    form = yaml.safe_load(render_forms(lang)[FORMS[kind].filename])  # type: ignore[index]
    check_issue_form(form)
    spec = FORMS[kind]  # type: ignore[index]
    assert [e["id"] for e in form["body"][1:]] == [f.id for f in spec.fields]
    assert form["labels"] == [spec.label]
    required = {e["id"] for e in form["body"][1:] if e["validations"]["required"]}
    # the title may be left empty in the form: a paper link's metadata fills it
    assert required == ({"date", "name", "summary"} if kind == "report" else {"date", "name"})
    figure = [e for e in form["body"] if e.get("id") == "figure"]
    assert not any("render" in e["attributes"] for e in figure)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", sorted(FORMS))
def test_a_body_rendered_from_the_form_parses_back(kind: str, lang: Lang) -> None:
    form = yaml.safe_load(render_forms(lang)[FORMS[kind].filename])  # type: ignore[index]
    body = "\n\n".join(
        f"### {e['attributes']['label']}\n\n{e['attributes'].get('placeholder') or '_No response_'}"
        for e in form["body"][1:]
    )
    sub = read_issue(body)
    assert sub.kind == kind and set(sub.answers) == {e["id"] for e in form["body"][1:]}


def test_english_forms_have_no_chinese() -> None:
    for text in render_forms("en").values():
        assert not re.search(r"[\u4e00-\u9fff]", text), text
    report = yaml.safe_load(render_forms("en")["paper-report.yml"])
    assert report["name"] == "Paper report"
    assert [e["attributes"]["label"] for e in report["body"][1:]] == [
        "Date",
        "Name",
        "Paper title",
        "Paper link",
        "Venue",
        "Framework figure",
        "Summary",
    ]

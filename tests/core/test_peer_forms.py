"""Other projects' issue-form fixtures (tests/fixtures/issueforms, sources in its SOURCES.md).

Each body is cut into sections by paperbot's own reader (sections.py) with the labels of its
form template, and every answer is compared with the peer's expected parse (shapes aside:
the peers give lists where paperbot gives text). Where paperbot disagrees on purpose, the
table ``ON_PURPOSE`` says what it reads instead, and why. Then every body, and the real
bodies of ``real_bodies.json``, is put to paperbot as an issue: none is a submission.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from app.core.config import Config
from app.core.errors import BotError, NotASubmission
from app.core.fields import ElementType, normalise_label
from app.core.issue_form import read_issue
from app.core.sections import answer, split
from app.core.submission import build

ROOT = Path(__file__).parents[1] / "fixtures" / "issueforms"
REAL = json.loads((ROOT.parent / "real_bodies.json").read_text(encoding="utf-8"))
_EXPECTED = ("parsed-issue.json", "parsed-issue-template.json", "parsed-issue-with-template.json")
_EXPECTED += ("expected.json",)

# (fixture, id) → what paperbot reads, and why it differs from the peer.
ON_PURPOSE: dict[tuple[str, str], tuple[str, str]] = {
    ("github+issue-parser/extra", "description"): (
        "This is a description.\n\nIt has multiple lines.\n\nIt's pretty cool!",
        "a ### heading the member added is its own section, named back to the member as not "
        "read; the peer glues it into the answer above",
    ),
}


def _cases() -> list[tuple[str, Path, Path, Path]]:
    found = []
    for expected in sorted(p for p in ROOT.rglob("*.json") if p.name in _EXPECTED):
        folder = expected.parent
        body = next(
            (folder / n for n in ("issue.md", "issue-body.md") if (folder / n).exists()), None
        )
        templates = [folder / "template.yml", folder / "form.yml", *folder.glob(".github/*/*.yml")]
        template = next((t for t in templates if t.exists()), None)
        if body is not None and template is not None:
            found.append((str(folder.relative_to(ROOT)), body, template, expected))
    return found


CASES = _cases()


def _slug(label: str) -> str:
    """The peers' id for an element without one: its label, lower case, words joined by _."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def _elements(template: Path) -> dict[str, tuple[str, ElementType, bool]]:
    """normalised label → (id, type, render) for every answerable element of a form."""
    data = yaml.safe_load(template.read_text(encoding="utf-8"))
    out = {}
    for el in data["body"]:
        if el["type"] == "markdown":
            continue
        label = el["attributes"]["label"]
        ident = el.get("id") or _slug(label)
        out[normalise_label(label)] = (ident, el["type"], bool(el["attributes"].get("render")))
    return out


def _as_text(value: Any, kind: ElementType) -> str:
    """A peer's value in paperbot's shape: text, options joined as GitHub writes them."""
    if isinstance(value, dict):
        value = value.get("selected", [])
    if isinstance(value, list):
        return (", " if kind == "dropdown" else "\n").join(value)
    return str(value)


def test_every_peer_fixture_is_read() -> None:
    assert len(CASES) >= 20, [c[0] for c in CASES]


@pytest.mark.parametrize(("name", "body", "template", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_peers_expected_fields(name: str, body: Path, template: Path, expected: Path) -> None:
    elements = _elements(template)
    by_label = {k: v[0] for k, v in elements.items()}
    got = split(
        body.read_text(encoding="utf-8"), lambda label: by_label.get(normalise_label(label))
    )
    ours = {
        ident: answer(kind, got.raw.get(ident, ""), render=render)
        for ident, kind, render in elements.values()
    }
    peer = json.loads(expected.read_text(encoding="utf-8"))
    kinds = {ident: kind for ident, kind, _ in elements.values()}
    for ident, value in peer.items():
        if ident not in kinds:  # the peer's own id for a heading its form does not have
            assert ident in {_slug(x) for x in got.unknown}, "paperbot names it as not read"
            continue
        want, why = ON_PURPOSE.get((name, ident), (_as_text(value, kinds[ident]), ""))
        assert ours[ident] == want, (ident, why)
    assert not {k for k, v in ours.items() if v} - set(peer), "read what the peer did not"


BODIES = sorted(
    [p for p in ROOT.rglob("*") if p.suffix in (".md", ".txt") and p.name != "SOURCES.md"]
)


@pytest.mark.parametrize("body", BODIES, ids=[str(p.relative_to(ROOT)) for p in BODIES])
def test_another_projects_form_is_no_submission(body: Path) -> None:
    with pytest.raises(NotASubmission):
        read_issue(body.read_text(encoding="utf-8"))


@pytest.mark.parametrize("key", sorted(REAL))
def test_a_real_form_body_is_no_submission_and_reads_every_heading(key: str) -> None:
    body = REAL[key]
    with pytest.raises(NotASubmission):
        read_issue(body)
    headings = re.findall(r"(?:\A|\n\n)### (.+)\n\n", body)
    got = split(body, lambda label: normalise_label(label))
    assert list(got.labels) == headings and not got.unknown
    assert all("\r" not in v for v in got.raw.values())
    try:
        build(body, config=Config(), today=__import__("datetime").date(2025, 7, 14))
    except BotError:
        pass

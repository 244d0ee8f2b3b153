"""The corpus of member inputs, each with its outcome: ``load_cases()`` (format: README.md).

Each ``tests/corpus/*.md`` is one case: YAML front matter (``about``, ``expect`` and what the
outcome must show), then the issue body exactly as the member wrote it. The same cases run
through the command line (tests/cli/test_corpus.py) and can run through the bot flow.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from app.core.config import Config

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "fixtures"
Outcome = Literal["entry", "invalid", "attempt", "ignored", "duplicate"]
OUTCOMES = ("entry", "invalid", "attempt", "ignored", "duplicate")
_FRONT = re.compile(r"\A---\n(?P<meta>.*?)\n---\n", re.S)
_SECTION = re.compile(r"((?:\A|\n\n)### [^\n]*\n\n)")


@dataclass(frozen=True)
class Expected:
    """What must come of a case, whichever way it is run."""

    outcome: Outcome
    fields: tuple[str, ...] = ()
    header: str | None = None
    lines: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    says: tuple[str, ...] = ()
    line: int | None = None


@dataclass(frozen=True)
class Case:
    """One member input: the exact issue body, the README and config it meets, the outcome."""

    name: str
    about: str
    body: str
    readme: str
    config: Config
    today: dt.date
    expect: Expected
    meta: dict[str, Any] = field(default_factory=dict)


def load_cases(folder: Path = HERE) -> list[Case]:
    """Every case in ``folder``, sorted by name."""
    return [load_case(path) for path in sorted(folder.glob("*.md")) if path.name != "README.md"]


def load_case(path: Path) -> Case:
    text = path.read_text(encoding="utf-8")
    m = _FRONT.match(text)
    if not m:
        raise ValueError(f"{path.name}: no front matter")
    try:
        meta: dict[str, Any] = yaml.safe_load(m["meta"])
    except yaml.YAMLError as exc:
        raise ValueError(f"{path.name}: front matter is not YAML: {exc}") from None
    expect = _expected(path.name, meta)
    return Case(
        name=path.stem,
        about=str(meta["about"]),
        body=_body(text[m.end() :], meta.get("body") or {}),
        readme=readme_text(meta.get("readme", "seed")),
        config=Config(language=meta.get("lang", "zh")),
        today=meta.get("today", dt.date(2025, 7, 14)),
        expect=expect,
        meta=meta,
    )


def _expected(name: str, meta: dict[str, Any]) -> Expected:
    outcome = meta["expect"]
    if outcome not in OUTCOMES:
        raise ValueError(f"{name}: expect must be one of {OUTCOMES}, not {outcome!r}")
    return Expected(
        outcome=outcome,
        fields=tuple(meta.get("fields", ())),
        header=meta.get("header"),
        lines=tuple(meta.get("lines", ())),
        notes=tuple(meta.get("notes", ())),
        says=tuple(meta.get("says", ())),
        line=meta.get("line"),
    )


def _body(body: str, how: dict[str, Any]) -> str:
    if how.get("crlf") == "all":
        body = body.replace("\n", "\r\n")
    elif how.get("crlf") == "answers":
        parts = _SECTION.split(body)
        body = "".join(p if _SECTION.fullmatch(p) else p.replace("\n", "\r\n") for p in parts)
    return ("\ufeff" if how.get("bom") else "") + body


def readme_text(spec: str | dict[str, Any]) -> str:
    """The README a case meets: a fixture, with the line ending, BOM and final newline asked."""
    how = {"file": spec} if isinstance(spec, str) else spec
    text = (FIXTURES / f"{how['file']}_README.md").read_text(encoding="utf-8")
    if how.get("final_newline") is False:
        text = text.rstrip("\n")
    if how.get("crlf"):
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if how.get("bom") else "") + text

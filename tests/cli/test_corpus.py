"""Every corpus case (tests/corpus) through the command line: ``paperbot apply`` and ``render``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.cli.main import main
from app.core.fields import FORMS
from app.core.i18n import Lang, msg
from tests.corpus import OUTCOMES, Case, load_cases

CASES = load_cases()
_FRAME = {"entry", "template", "shape"}  # the lines that frame an attempt's answer


def test_the_corpus_covers_every_outcome_in_both_languages() -> None:
    assert len(CASES) >= 120
    for lang in ("zh", "en"):
        kinds = {c.expect.outcome for c in CASES if c.config.language == lang}
        assert kinds >= set(OUTCOMES) - {"duplicate"}, (lang, kinds)


@pytest.fixture
def files(tmp_path: Path) -> Callable[[Case], tuple[Path, Path, str]]:
    def write(case: Case) -> tuple[Path, Path, str]:
        issue, readme, config = tmp_path / "issue.md", tmp_path / "README.md", tmp_path / "c.yml"
        issue.write_bytes(case.body.encode("utf-8"))
        readme.write_bytes(case.readme.encode("utf-8"))
        config.write_text(f"language: {case.config.language}\n", encoding="utf-8")
        return issue, readme, str(config)

    return write


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_apply(
    case: Case,
    files: Callable[[Case], tuple[Path, Path, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    issue, readme, config = files(case)
    today = case.today.isoformat()
    code = main(["apply", str(readme), str(issue), "--write", "--today", today, "--config", config])
    _out, err = capsys.readouterr()
    before, after = case.readme.encode("utf-8"), readme.read_bytes()
    CHECKS[case.expect.outcome](case, code, err, before, after)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.expect.outcome == "entry"], ids=lambda c: c.name
)
def test_render(
    case: Case,
    files: Callable[[Case], tuple[Path, Path, str]],
    capsys: pytest.CaptureFixture[str],
) -> None:
    issue, _, config = files(case)
    code = main(["render", str(issue), "--today", case.today.isoformat(), "--config", config])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.split("\n")[0] == case.expect.header
    assert all(line in out.split("\n") for line in case.expect.lines), out


def _entry(case: Case, code: int, err: str, before: bytes, after: bytes) -> None:
    assert code == 0, err
    block = inserted(before, after).decode("utf-8").replace("\r\n", "\n").split("\n")
    assert case.expect.header in block, block
    assert all(line in block for line in case.expect.lines), block
    assert all(f"note: {note}" in err for note in case.expect.notes), err
    assert ("note:" in err) == bool(case.expect.notes), err


def _refused(case: Case, code: int, err: str, before: bytes, after: bytes) -> None:
    assert code == 1 and after == before, err
    assert all(text in err for text in case.expect.says), err
    named = fields_named(err, case.config.language)
    assert named - _FRAME == set(case.expect.fields), err
    if case.expect.outcome == "attempt":
        assert {"entry", "shape"} <= named, err


def _ignored(case: Case, code: int, err: str, before: bytes, after: bytes) -> None:
    assert code == 1 and after == before
    assert err == f"paperbot: {msg('not_submission', case.config.language)}\n"


def _duplicate(case: Case, code: int, err: str, before: bytes, after: bytes) -> None:
    assert code == 1 and after == before, err
    assert all(text in err for text in case.expect.says), err
    assert f"第 {case.expect.line} 行" in err or f"at line {case.expect.line} " in err


CHECKS: dict[str, Callable[[Case, int, str, bytes, bytes], None]] = {
    "entry": _entry,
    "invalid": _refused,
    "attempt": _refused,
    "ignored": _ignored,
    "duplicate": _duplicate,
}


def fields_named(err: str, lang: Lang) -> set[str]:
    """The field ids an answer names, one per ``label: message`` line."""
    labels = {f.label(lang): f.id for form in FORMS.values() for f in form.fields}
    labels |= {
        msg("body_label", lang): "body",
        msg("attempt", lang): "entry",
        msg("template", lang): "template",
    }
    labels[msg("expected", lang)] = "shape"
    named = set()
    for line in err.splitlines():
        label = line.split(": ", 1)[0]
        named.add("heading" if label.startswith("### ") else labels.get(label, f"?{label}"))
    return named


def inserted(before: bytes, after: bytes) -> bytes:
    """The bytes ``after`` adds to ``before``, asserting that it adds one run of whole lines
    in the file's own line ending and changes nothing else."""
    grown = len(after) - len(before)
    common = next(
        (i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b), len(before)
    )
    at = common if common == len(before) else before.rfind(b"\n", 0, common) + 1
    assert grown > 0 and after[:at] == before[:at] and after[at + grown :] == before[at:]
    added = after[at : at + grown]
    if b"\r\n" in before:
        assert added.count(b"\n") == added.count(b"\r\n"), added
    return added.removeprefix(b"\r\n").removeprefix(b"\n")

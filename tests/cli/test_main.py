"""The command line as a whole: help texts, which commands take --config, exit codes."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from app.cli.main import main, parser
from tests.cli.test_offline import REPORT

ROOT = Path(__file__).parents[2]
SEED = str(ROOT / "tests" / "fixtures" / "seed_README.md")


def commands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


@pytest.mark.parametrize("name", ["", *commands()])
def test_help_is_plain_text_and_every_option_says_what_it_does(name: str) -> None:
    cmd = commands()[name] if name else parser()
    text = cmd.format_help()
    assert "`" not in text, text  # no reST or markdown quoting in a terminal
    for action in cmd._actions:
        assert action.help, (name, action.dest)


def test_the_readme_names_the_commands_that_take_config() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(x for x in readme.splitlines() if x.startswith("`--config FILE`"))
    said = set(re.findall(r"`(\w+)`", line))
    takes = {
        n for n, c in commands().items() if any("--config" in a.option_strings for a in c._actions)
    }
    assert said == takes


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["lint", "README"], 0),
        (["render", "ISSUE", "--offline"], 0),
        (["lint", SEED], 1),  # findings
        (["render", "BAD", "--offline"], 1),  # field errors
        (["lookup", "not a link"], 1),
        (["render", "NOWHERE"], 2),  # a missing file
        (["render", "LATIN1"], 2),
        (["lint", "README", "--config", "BADCONFIG"], 2),
        (["lint", "README", "--today", "x"], 2),  # argparse: a bad argument
    ],
)
def test_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("README").write_text("> ==> 时间倒序，本次更新插入位置 <==\n>\n", encoding="utf-8")
    Path("ISSUE").write_text(REPORT, encoding="utf-8")
    Path("BAD").write_text("### 日期\n\nnext week\n", encoding="utf-8")
    Path("LATIN1").write_bytes("caf\xe9".encode("latin-1"))
    Path("BADCONFIG").write_text("language: fr\n", encoding="utf-8")
    try:
        got = main(args)
    except SystemExit as exc:
        got = int(exc.code or 0)
    assert got == code

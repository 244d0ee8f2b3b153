"""The ``paperbot`` command line."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from app.core.config import Config, load_config
from app.core.errors import BotError, InvalidSubmission
from app.core.forms import render_forms
from app.core.lint import lint
from app.core.submission import apply, build
from app.settings import SettingsError


class CliError(Exception):
    """A one-line error for the terminal; exit status 2."""


def read_text(path: str) -> str:
    """A UTF-8 file's text, or a CliError naming the file and what is wrong."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror})") from None


def _config(args: argparse.Namespace) -> Config:
    return load_config(read_text(args.config)) if args.config else Config()


def _today(config: Config) -> dt.date:
    return dt.datetime.now(ZoneInfo(config.timezone)).date()


def cmd_render(args: argparse.Namespace) -> int:
    config = _config(args)
    got = build(read_text(args.issue), config=config, today=_today(config))
    sys.stdout.write(got.block)
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    config = _config(args)
    old = read_text(args.readme)
    got = apply(old, read_text(args.issue), config=config, today=_today(config))
    new = got.readme or old
    if args.write:
        if new != old:
            Path(args.readme).write_text(new, encoding="utf-8", newline="")
        print(f"{args.readme}: {'updated' if new != old else 'already up to date'}")
        return 0
    diff = difflib.unified_diff(
        old.splitlines(True), new.splitlines(True), args.readme, args.readme
    )
    sys.stdout.writelines(diff)
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    config = _config(args)
    findings = lint(read_text(args.readme), marker=config.marker, today=_today(config))
    for f in findings:
        print(f"{args.readme}:{f}")
    print(f"{len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


def cmd_forms(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in render_forms().items():
        (out / name).write_text(text, encoding="utf-8")
        print(out / name)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="paperbot", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    r = _add(sub, "render", cmd_render, "print the README block for an issue body")
    r.add_argument("issue", help="file holding the issue body (markdown)")
    a = _add(sub, "apply", cmd_apply, "show (or write) the README with the issue's entry")
    a.add_argument("readme", help="the README to insert into")
    a.add_argument("issue", help="file holding the issue body (markdown)")
    a.add_argument("--write", action="store_true", help="write the file instead of a diff")
    lnt = _add(sub, "lint", cmd_lint, "list problems in a README's entries (exit 1 if any)")
    lnt.add_argument("readme", help="the README to check")
    f = _add(sub, "forms", cmd_forms, "write the issue forms (paper report, skip week)")
    f.add_argument("--out", default=".github/ISSUE_TEMPLATE", help="folder to write into")
    from app import commands

    commands.add_to(sub, _add)
    return p


def _add(
    sub: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    func: Callable[[argparse.Namespace], int],
    text: str,
    *,
    config: bool = True,
) -> argparse.ArgumentParser:
    cmd = sub.add_parser(name, help=text, description=text)
    if config:
        cmd.add_argument("--config", help="a paperbot.yml to use instead of the defaults")
    cmd.set_defaults(func=func)
    return cmd


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except InvalidSubmission as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except BotError as exc:
        print(f"paperbot: {exc.message}", file=sys.stderr)
        return 1
    except CliError as exc:
        print(f"paperbot: error: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"paperbot: error: {exc}", file=sys.stderr)
        return 2

"""The offline commands: render, apply, lint, dashboard, forms (no GitHub, no service)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from app.cli.common import Commands, add_command, read_text, write_or_diff
from app.cli.lookup import OFFLINE_HELP as _OFFLINE
from app.cli.lookup import paper_for
from app.core.config import Config, load_config
from app.core.dashboard import dashboard
from app.core.errors import Problem
from app.core.forms import render_forms
from app.core.i18n import msg
from app.core.lint import lint
from app.core.submission import apply, build


def _config(args: argparse.Namespace) -> Config:
    return load_config(read_text(args.config), name=args.config) if args.config else Config()


def _today(config: Config) -> dt.date:
    return dt.datetime.now(ZoneInfo(config.timezone)).date()


def _notes(notes: tuple[Problem, ...]) -> None:
    for note in notes:
        print(f"note: {note}", file=sys.stderr)


def cmd_render(args: argparse.Namespace) -> int:
    config, body = _config(args), read_text(args.issue)
    paper = paper_for(body, config.language, offline=args.offline)
    got = build(body, config=config, today=args.today or _today(config), paper=paper)
    sys.stdout.write(got.block)
    _notes(got.notes)
    return 0


def cmd_apply(args: argparse.Namespace) -> int:
    config = _config(args).model_copy(update={"path": args.readme})
    old = read_text(args.readme)
    today, body = args.today or _today(config), read_text(args.issue)
    paper = paper_for(body, config.language, offline=args.offline)
    got = apply(old, body, config=config, today=today, paper=paper)
    _notes(got.notes)
    write_or_diff(args.readme, old, new=got.readme or old, write=args.write)
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    config = _config(args)
    findings = lint(
        read_text(args.readme),
        marker=config.marker,
        today=_today(config),
        late_days=config.limits.late_days,
        lang=config.language,
    )
    for f in findings:
        print(f"{args.readme}:{f}")
    print(msg("lint_count", config.language, n=len(findings)), file=sys.stderr)
    return 1 if findings else 0


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected YYYY-MM-DD, got {value!r}") from None


def cmd_dashboard(args: argparse.Namespace) -> int:
    config = _config(args)
    today = args.today or _today(config)
    sys.stdout.write(dashboard(read_text(args.readme), config=config, today=today))
    return 0


def cmd_forms(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in render_forms(_config(args).language).items():
        (out / name).write_text(text, encoding="utf-8")
        print(out / name)
    return 0


_TODAY = "the day the issue is checked on (YYYY-MM-DD; default: today)"


def add_to(sub: Commands) -> None:
    """Register the offline commands on the ``paperbot`` parser."""
    r = add_command(sub, "render", func=cmd_render, text="print the README block for an issue body")
    r.add_argument("issue", help="file holding the issue body (markdown)")
    r.add_argument("--today", type=_date, help=_TODAY)
    a = add_command(
        sub, "apply", func=cmd_apply, text="show (or write) the README with the issue's entry"
    )
    a.add_argument("readme", help="the README to insert into")
    a.add_argument("issue", help="file holding the issue body (markdown)")
    a.add_argument("--write", action="store_true", help="write the file instead of a diff")
    a.add_argument("--today", type=_date, help=_TODAY)
    for cmd in (r, a):
        cmd.add_argument("--offline", action="store_true", help=_OFFLINE)
    lnt = add_command(
        sub, "lint", func=cmd_lint, text="list problems in a README's entries (exit 1 if any)"
    )
    lnt.add_argument("readme", help="the README to check")
    d = add_command(
        sub, "dashboard", func=cmd_dashboard, text="print the dashboard text for a README"
    )
    d.add_argument("readme", help="the README to read")
    d.add_argument("--today", type=_date, help="the day to show (YYYY-MM-DD; default: today)")
    f = add_command(
        sub, "forms", func=cmd_forms, text="write the issue forms (paper report, skip week)"
    )
    f.add_argument("--out", default=".github/ISSUE_TEMPLATE", help="folder to write into")

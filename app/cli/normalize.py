"""``paperbot normalize README.md [--write]``: the historic entries in house style."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import Commands, add_command, read_text, write_or_diff
from app.core.config import Config, load_config
from app.core.normalize import normalize
from app.core.normalize_text import describe


def cmd_normalize(args: argparse.Namespace) -> int:
    config = load_config(read_text(args.config), name=args.config) if args.config else Config()
    old = read_text(args.readme)
    got = normalize(old, config=config)
    write_or_diff(args.readme, old, new=got.text, write=args.write)
    sys.stderr.write(describe(got, path=args.readme, lang=config.language))
    return 0


def add_to(sub: Commands) -> None:
    """Register ``normalize``."""
    cmd = add_command(
        sub,
        "normalize",
        func=cmd_normalize,
        text="rewrite a README's historic entries into house style, text unchanged",
    )
    cmd.add_argument("readme", help="the README to normalise")
    cmd.add_argument("--write", action="store_true", help="write the file instead of a diff")

"""``paperbot lookup LINK``: what the metadata services say about a paper."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import CliError, Commands, add_command
from app.core import smart
from app.core.i18n import Lang
from app.core.paper import Found, LookupFailure, PaperMeta
from app.lookup.port import Lookup
from app.lookup.resolve import from_env
from app.lookup.settings import LookupSettingsError


def describe(meta: PaperMeta) -> str:
    """The metadata as aligned ``field: value`` lines."""
    rows = [
        ("title", meta.title),
        ("venue", meta.venue or ""),
        ("year", str(meta.year or "")),
        ("authors", ", ".join(meta.authors)),
        ("link", meta.link),
        ("arXiv", meta.arxiv or ""),
        ("DOI", meta.doi or ""),
        ("source", meta.source),
    ]
    return "".join(f"{name + ':':<9}{value}\n" for name, value in rows if value)


def failure(found: LookupFailure, lang: Lang = "en") -> str:
    """What happened (``could not reach arXiv``), with the detail of a service's failure."""
    what = smart.said(found, lang)
    return f"{what} ({found.detail})" if found.detail and found.service else what


OFFLINE_HELP = "look nothing up (arXiv, Crossref, OpenReview, DBLP): use what was typed"


def _port() -> Lookup:
    try:
        return from_env()
    except LookupSettingsError as exc:
        raise CliError(str(exc)) from None


def paper_for(body: str, lang: Lang, *, offline: bool) -> Found | None:
    """The metadata of the paper an issue body links (None offline or without a paper link)."""
    link = None if offline else smart.paper_link(body, lang)
    if link is None:
        return None
    port = _port()
    try:
        return port.lookup(link)
    finally:
        port.close()


def cmd_lookup(args: argparse.Namespace) -> int:
    port = _port()
    try:
        found = port.lookup(args.link)
    finally:
        port.close()
    if isinstance(found, LookupFailure):
        print(f"paperbot: {failure(found, args.language)}", file=sys.stderr)
        return 1
    sys.stdout.write(found.model_dump_json(indent=2) + "\n" if args.json else describe(found))
    return 0


def add_to(sub: Commands) -> None:
    """Register ``lookup``."""
    cmd = add_command(
        sub,
        "lookup",
        func=cmd_lookup,
        text="look a paper link up (arXiv, DOI, OpenReview, DBLP)",
        config=False,
    )
    cmd.add_argument("link", help="a paper link or id: arXiv, DOI (10.…), OpenReview, DBLP")
    cmd.add_argument("--json", action="store_true", help="print the metadata as JSON")
    cmd.add_argument(
        "--language", choices=("zh", "en"), default="en", help="say what failed in zh or en"
    )

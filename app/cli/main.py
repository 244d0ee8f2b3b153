"""The ``paperbot`` command line: one parser over the offline and the service commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app.cli import init, lookup, normalize, offline, service, setup
from app.cli.common import CliError
from app.core.errors import BotError, InvalidSubmission
from app.service.settings import SettingsError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="paperbot", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    offline.add_to(sub)
    service.add_to(sub)
    lookup.add_to(sub)
    normalize.add_to(sub)
    init.add_to(sub)
    setup.add_to(sub)
    return p


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

"""The ``paperbot`` command line: one parser over the offline and the service commands.

Exit codes, the same for every command: 0 done (nothing found, for lint); 1 the input was
refused or found wanting (field errors, lint findings, nothing found for a link, a README
paperbot cannot insert into, GitHub failing a replay); 2 paperbot was not asked right (a bad
argument, a missing or non-UTF-8 file, an invalid config, a missing setting).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app.cli import init, lookup, normalize, offline, service, setup, status
from app.cli.common import CliError
from app.core.errors import BotError, ConfigError, InvalidSubmission
from app.service.settings import SettingsError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="paperbot",
        description="A reading group's weekly paper log, kept by a GitHub bot. "
        "Exit codes: 0 done; 1 the input was refused or found wanting; 2 a bad argument, "
        "file, config or setting.",
    )
    sub = p.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
        help="paperbot COMMAND --help: its options",
    )
    offline.add_to(sub)
    service.add_to(sub)
    status.add_to(sub)
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
    except ConfigError as exc:
        print(f"paperbot: {exc.message}", file=sys.stderr)
        return 2
    except BotError as exc:
        print(f"paperbot: {exc.message}", file=sys.stderr)
        return 1
    except CliError as exc:
        print(f"paperbot: error: {exc}", file=sys.stderr)
        return 2
    except SettingsError as exc:
        print(f"paperbot: error: {exc}", file=sys.stderr)
        return 2

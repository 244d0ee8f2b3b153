"""What every command shares: the one-line CLI error, reading a text file, adding a command."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


class CliError(Exception):
    """A one-line error for the terminal; exit status 2."""


def read_text(path: str) -> str:
    """A UTF-8 file's text exactly (CRLF and a BOM kept), or a CliError naming the file."""
    try:
        return Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise CliError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise CliError(f"{path}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise CliError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise CliError(f"{path}: cannot read ({exc.strerror})") from None


def add_command(
    sub: Commands,
    name: str,
    *,
    func: Callable[[argparse.Namespace], int],
    text: str,
    config: bool = True,
) -> argparse.ArgumentParser:
    cmd = sub.add_parser(name, help=text, description=text)
    if config:
        cmd.add_argument("--config", help="a paperbot.yml to use instead of the defaults")
    cmd.set_defaults(func=func)
    return cmd


def write_or_diff(path: str, old: str, *, new: str, write: bool) -> None:
    """Write ``new`` over ``path`` (bytes kept: no newline translation), or print the diff;
    either way a file needing no change says so."""
    if write or new == old:
        if new != old:
            Path(path).write_bytes(new.encode("utf-8"))  # byte for byte, CRLF kept
        print(f"{path}: {'updated' if new != old else 'already up to date'}")
        return
    sys.stdout.writelines(
        difflib.unified_diff(old.splitlines(True), new.splitlines(True), path, path)
    )

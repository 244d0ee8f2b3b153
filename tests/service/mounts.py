"""Mounts of a test's own (root only: the test is skipped otherwise): a small tmpfs, and a
read-only view of a folder, for a disk that is really full or really read-only."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def mount(*args: str) -> None:
    if os.geteuid() != 0 or subprocess.run(["mount", *args], check=False).returncode:
        pytest.skip("mounting needs root")


@contextmanager
def mounted(*args: str, at: Path) -> Iterator[Path]:
    """``mount ARGS at``, unmounted at the end (lazily: a file may still be open there)."""
    at.mkdir(exist_ok=True)
    mount(*args, str(at))
    try:
        yield at
    finally:
        subprocess.run(["umount", "-l", str(at)], check=False)


@contextmanager
def small_disk(at: Path, size: str = "2m") -> Iterator[Path]:
    with mounted("-t", "tmpfs", "-o", f"size={size}", "tmpfs", at=at) as disk:
        yield disk


@contextmanager
def read_only(folder: Path, *, at: Path) -> Iterator[Path]:
    """``folder`` seen read-only at ``at`` (a bind mount, remounted read-only)."""
    with mounted("--bind", str(folder), at=at):
        mount("-o", "remount,bind,ro", str(at))
        yield at

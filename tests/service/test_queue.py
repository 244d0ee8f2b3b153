"""The embedded queue's files on the server: only the bot's own user may read them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from app.github.fake.server import FakeGitHub
from app.service.queue import make_huey
from app.service.settings import Settings
from tests.service.test_e2e import Bot, file_issues, opened, pulls_for_all, wait_for


@contextmanager
def umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def readable_by_others(folder: Path) -> list[str]:
    """Every path under ``folder`` (itself included) that its group or others may open."""
    paths = [folder, *folder.rglob("*")]
    return [f"{p} {stat.filemode(p.stat().st_mode)}" for p in paths if p.stat().st_mode & 0o077]


def test_a_served_submission_leaves_nothing_other_users_can_read(
    gh: FakeGitHub, tmp_path: Path
) -> None:
    """The queue holds private repositories' names and members' submissions: under the
    usual umask 022 neither the data dir nor the SQLite file (nor its WAL) is world-readable."""
    bot = Bot(gh, tmp_path / "data")  # a data dir the bot makes itself, as on a first run
    bot.log = tmp_path / "serve.log"
    with umask(0o022):
        bot.start()
    try:
        numbers = file_issues(gh, 1)
        assert bot.deliver("issues", opened(numbers[0])) == 202
        wait_for(lambda: pulls_for_all(gh, numbers), what="the PR")
        assert (bot.data / "queue.db-wal").exists()
        assert readable_by_others(bot.data) == []
    finally:
        bot.stop()


@pytest.mark.parametrize("name", ["queue.db", "queue.db-wal", "queue.db-shm"])
def test_a_queue_file_left_readable_by_an_older_version_is_made_private(
    tmp_path: Path, name: str
) -> None:
    tmp_path.chmod(0o700)
    (tmp_path / name).touch(mode=0o644)
    make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path)).store.ping()
    assert readable_by_others(tmp_path) == []

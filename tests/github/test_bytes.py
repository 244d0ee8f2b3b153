"""The adapter and the fake GitHub carry a file's bytes faithfully: CRLF, BOM, final newline."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from tests.fakes import REPO, settings_for

SHAPES = {
    "crlf": b"# log\r\n> marker\r\n",
    "bom-crlf": "\ufeff# 周报\r\n> marker\r\n".encode(),
    "no-final-newline": "# 周报\n> marker".encode(),
    "mixed": b"# log\r\n> marker\n\r\n",
    "over-1-mb": b"# log\r\n" + b"> x\r\n" * 300_000,  # GitHub sends no content: blob API
}


@pytest.fixture
def clients(gh: FakeGitHub) -> Iterator[Clients]:
    made = Clients(settings_for(gh))
    yield made
    made.close()


@pytest.mark.parametrize("data", SHAPES.values(), ids=SHAPES.keys())
def test_a_file_is_read_and_committed_byte_for_byte(
    gh: FakeGitHub, clients: Clients, data: bytes
) -> None:
    git = gh.repos[REPO].git
    git.set_ref(
        "main", git.commit_file(parent=git.head("main"), path="R.md", data=data, message="m")
    )
    port = clients.repo(REPO, None)
    got = port.read_file("R.md", "main")
    assert got is not None and got.text.encode() == data
    port.create_branch("b", git.head("main") or "")
    port.commit_file(branch="b", path="R.md", text=got.text + "> y\r\n", sha=got.sha, message="m")
    assert git.read("b", "R.md") == (data + b"> y\r\n", git.blob(data + b"> y\r\n"))

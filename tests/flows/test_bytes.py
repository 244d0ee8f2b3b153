"""The bot's commit changes only the inserted lines: a CRLF README stays CRLF, BOM and all."""

from __future__ import annotations

import pytest

from app.flows.context import Context
from app.flows.submission import process_issue
from app.github.fake.server import FakeGitHub
from tests.cli.test_corpus import inserted
from tests.conftest import FIXTURES
from tests.fakes import MEMBER, REPO, report_body

SEED = (FIXTURES / "seed_README.md").read_text(encoding="utf-8")
SHAPES = {
    "crlf": SEED.replace("\n", "\r\n"),
    "bom-crlf-no-final-newline": "\ufeff" + SEED.rstrip("\n").replace("\n", "\r\n"),
    "bom-lf": "\ufeff" + SEED,
}


@pytest.mark.parametrize("readme", SHAPES.values(), ids=SHAPES.keys())
def test_the_bot_commit_adds_lines_and_changes_no_byte_else(
    gh: FakeGitHub, ctx: Context, readme: str
) -> None:
    git, before = gh.repos[REPO].git, readme.encode()
    git.set_ref(
        "main", git.commit_file(parent=git.head("main"), path="README.md", data=before, message="m")
    )
    gh.create_issue(REPO, title="x", body=report_body().replace("\n", "\r\n"), login=MEMBER)
    assert process_issue(ctx, 1) == "submitted"
    committed = git.read("paperbot/issue-1", "README.md")
    assert committed is not None
    added = inserted(before, committed[0])  # one run of whole lines, nothing else changed
    assert "\n> > [2025-07-06]-[新人]-[A Paper](".encode() in added
    numstat = git._git("diff", "--numstat", "main", "paperbot/issue-1")
    grown = committed[0].count(b"\n") - before.count(b"\n")
    assert numstat == f"{grown}\t0\tREADME.md"  # what GitHub's PR diff shows: +N -0

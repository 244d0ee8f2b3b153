"""GitHub API cost per operation, read from the fake GitHub's request counters; prints a table.

"A new process" is a fresh set of clients with every cache empty: the bot's login is not
known yet, nor any role or config. Requests answered 304 Not Modified are counted too (they
cost a round trip, not rate limit).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from app.flows.context import Context, clear_caches
from app.flows.lifecycle import regenerate
from app.flows.submission import process_issue
from app.github.fake.pulls import merge_pull
from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from tests.fakes import MEMBER, REPO, context_for, fake_github, report_body, settings_for

Cost = tuple[int, int, str]
Row = tuple[str, Cost, int | None, int | None]


def measure(gh: FakeGitHub, action: Callable[[], object]) -> Cost:
    gh.requests.clear()
    gh.not_modified = 0
    action()
    counts: Counter[str] = gh.requests
    writes = sum(n for k, n in counts.items() if not k.startswith("GET"))
    detail = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
    if gh.not_modified:
        detail += f" ({gh.not_modified} answered 304)"
    return sum(counts.values()), writes, detail


def new_process(gh: FakeGitHub) -> Context:
    clear_caches()
    return context_for(Clients(settings_for(gh)))


def body(name: str, title: str = "") -> str:
    """A report of a paper of its own: nobody has read it yet (no "already read" note)."""
    paper = sum(map(ord, name)) % 10_000
    link = f"https://arxiv.org/abs/2402.{paper:05d}"
    return report_body(name=name, title=title or f"Paper {name}", link=link)


def file(gh: FakeGitHub, name: str) -> int:
    return int(gh.create_issue(REPO, title="x", body=body(name), login=MEMBER)["number"])


def scenario(gh: FakeGitHub) -> list[Row]:
    """Submissions, a redelivery, edits, a comment after a restart, a merge, a regeneration."""
    ctx, repo = new_process(gh), gh.repos[REPO]
    first, second = file(gh, "甲"), file(gh, "乙")
    rows: list[Row] = [
        (
            "new submission, first in a new process",
            measure(gh, lambda: process_issue(ctx, first)),
            10,
            4,
        ),
        ("new submission", measure(gh, lambda: process_issue(ctx, second)), 10, 4),
        (
            "same issue again (a redelivery)",
            measure(gh, lambda: process_issue(ctx, first)),
            None,
            0,
        ),
    ]
    repo.issues[first]["body"] = body("甲", "Edited Title")
    rows.append(
        ("an edit of a submission", measure(gh, lambda: process_issue(ctx, first)), None, 3)
    )
    later = new_process(gh)  # lists the comments once, asks its login once
    rows.append(
        ("a comment, in a new process", measure(gh, lambda: process_issue(later, second)), None, 0)
    )
    merge_pull(
        gh, REPO, number=max(n for n, p in repo.pulls.items() if p["head"].endswith(f"-{first}"))
    )
    rows.append(
        ("regeneration of 1 open PR after a merge", measure(gh, lambda: regenerate(ctx)), None, 3)
    )
    return rows


def large_readme(gh: FakeGitHub) -> list[Row]:
    """A README over 1 MB: GitHub's contents API sends no content, the blob API does."""
    git = gh.repos[REPO].git
    seed = git.read("main", "README.md")
    assert seed is not None
    big = seed[0] + b"\n" + b"padding line of an old README\n" * 40_000
    git.set_ref(
        "main", git.commit_file(parent=git.head("main"), path="README.md", data=big, message="big")
    )
    ctx, number = new_process(gh), file(gh, "丙")
    new = measure(gh, lambda: process_issue(ctx, number))
    gh.repos[REPO].issues[number]["body"] = body("丙", "Edited")
    return [
        (f"new submission, {len(big) / 1e6:.1f} MB README, new process", new, 10, 4),
        ("an edit, same README", measure(gh, lambda: process_issue(ctx, number)), None, 3),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        with fake_github(Path(tmp) / "a") as gh:
            rows = scenario(gh)
        with fake_github(Path(tmp) / "b") as gh:
            rows += large_readme(gh)
    print(f"{'operation':<46} {'requests':>8} {'writes':>7}  {'target':<14} detail")
    for name, (total, writes, detail), max_total, max_writes in rows:
        target = ", ".join(
            [f"≤{max_total} req"] * (max_total is not None)
            + [f"≤{max_writes} w"] * (max_writes is not None)
        )
        print(f"{name:<46} {total:>8} {writes:>7}  {target:<14} {detail}")


if __name__ == "__main__":
    main()

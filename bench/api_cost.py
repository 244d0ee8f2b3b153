"""GitHub API cost per operation, read from the fake GitHub's request counters; prints a table."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from app.flows.context import Context, clear_caches
from app.flows.lifecycle import regenerate
from app.flows.submission import process_issue
from app.github.fake.pulls import merge_pull
from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from tests.fakes import MEMBER, REPO, context_for, fake_github, report_body, settings_for


def measure(gh: FakeGitHub, action: object) -> tuple[int, int, str]:
    gh.requests.clear()
    gh.not_modified = 0
    assert callable(action)
    action()
    counts: Counter[str] = gh.requests
    writes = sum(n for k, n in counts.items() if not k.startswith("GET"))
    detail = ", ".join(f"{k} {n}" for k, n in sorted(counts.items()))
    if gh.not_modified:
        detail += f" ({gh.not_modified} answered 304 Not Modified: no rate limit)"
    return sum(counts.values()), writes, detail


Row = tuple[str, tuple[int, int, str], int | None, int]


def scenario(gh: FakeGitHub, ctx: Context) -> list[Row]:
    """A first and a second submission, a redelivery, an edit, a merge and a regeneration."""
    first, second = (
        gh.create_issue(REPO, title="x", body=report_body(name=name), login=MEMBER)["number"]
        for name in ("甲", "乙")
    )
    repo = gh.repos[REPO]
    rows: list[Row] = [
        ("new submission (cold caches)", measure(gh, lambda: process_issue(ctx, first)), 10, 4),
        ("new submission (warm caches)", measure(gh, lambda: process_issue(ctx, second)), 10, 4),
        ("same issue again (redelivery)", measure(gh, lambda: process_issue(ctx, first)), None, 0),
    ]
    repo.issues[first]["body"] = report_body(name="甲", title="Edited Title")
    rows.append(("edit of a submission", measure(gh, lambda: process_issue(ctx, first)), None, 3))
    merge_pull(gh, REPO, max(n for n, p in repo.pulls.items() if p["head"].endswith(f"-{first}")))
    rows.append(
        ("regeneration of 1 open PR after a merge", measure(gh, lambda: regenerate(ctx)), None, 3)
    )
    return rows


def main() -> None:
    clear_caches()
    with tempfile.TemporaryDirectory() as tmp, fake_github(Path(tmp)) as gh:
        rows = scenario(gh, context_for(Clients(settings_for(gh))))
    print(f"{'operation':<42} {'requests':>8} {'writes':>7}  {'target':<14} detail")
    for name, (total, writes, detail), max_total, max_writes in rows:
        target = (f"≤{max_total} req, " if max_total else "") + f"≤{max_writes} w"
        print(f"{name:<42} {total:>8} {writes:>7}  {target:<14} {detail}")


if __name__ == "__main__":
    main()

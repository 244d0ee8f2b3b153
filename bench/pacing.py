"""Write pacing across processes: one web replica and two workers on one Redis and one token.

Twelve submissions at once, spread over four repositories (so both workers write at the
same time), against the fake GitHub (50 ms per request) with ``PAPERBOT_WRITE_INTERVAL=1``.
Printed: the writes GitHub saw, how many consecutive ones were less than 0.9 s apart, the
smallest gap, and the seconds until every PR was open (and, with ``--secondary-gap``, how
many writes the fake refused as GitHub's secondary limit would). ``--source DIR`` runs the workers
(the processes that write to GitHub) from another checkout, e.g. main before the shared
pacer, for the figure before a change; the web replica, which writes nothing to GitHub,
runs this one.

    python -m bench.pacing --redis redis://127.0.0.1:6379/1 [--source /work/main]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import tempfile
import time
from itertools import pairwise
from pathlib import Path
from typing import Any

import redis

from bench.harness import deliveries, fire, free_port, python, server
from tests.conftest import FIXTURES
from tests.fakes import MEMBER, fake_github, report_body
from tests.service.test_e2e import opened

SECRET = b"pacing-secret"
REPOS = [f"group/log{k}" for k in range(4)]


def opened_in(repo: str, number: int) -> dict[str, Any]:
    body = copy.deepcopy(opened(number))
    body["repository"].update(full_name=repo, name=repo.partition("/")[2])
    return body


def run(count: int, *, queue: str, source: Path, gap: float, tmp: Path) -> dict[str, Any]:
    """Start 1 web replica + 2 workers, deliver ``count`` submissions, measure the writes."""
    with fake_github(tmp / "gh") as gh:
        gh.latency, gh.secondary_gap = 0.05, gap
        seed = (FIXTURES / "seed_README.md").read_text(encoding="utf-8")
        items = []
        for i in range(count):
            repo = REPOS[i % len(REPOS)]
            if repo not in gh.repos:
                gh.create_repo(repo, {"README.md": seed}).permissions[MEMBER] = "triage"
            body = report_body(name=f"成员{i}")
            number = gh.create_issue(repo, title="x", body=body, login=MEMBER)["number"]
            items += deliveries(opened_in(repo, number), SECRET, 1)
        port = free_port()
        env = {
            "GITHUB_WEBHOOK_SECRET": SECRET.decode(),
            "GITHUB_TOKEN": "t",
            "GITHUB_API_URL": gh.base_url,
            "PAPERBOT_QUEUE": queue,
            "PAPERBOT_DATA_DIR": str(tmp / "data"),
            "PAPERBOT_WRITE_INTERVAL": "1",
        }
        web = python("-m", "app", "serve", "--workers", "0", "--port", str(port))
        with server(web, port=port, env=env, log=tmp / "web.log"):
            workers = [_worker(env, source, tmp / f"worker{k}.log") for k in range(2)]
            try:
                started = time.monotonic()
                fire(f"http://127.0.0.1:{port}/webhook", items, 8)
                while _open(gh) < count and time.monotonic() - started < 300:
                    time.sleep(0.05)
                took = time.monotonic() - started
            finally:
                for proc in workers:
                    proc.terminate()
                    proc.wait(30)
        gaps = [b - a for a, b in pairwise(gh.write_times[None])]
        return {
            "writes": len(gh.write_times[None]),
            "under_0.9s": sum(g < 0.9 for g in gaps),
            "smallest_ms": round(min(gaps) * 1000),
            "all_prs_s": round(took, 1),
            "prs": _open(gh),
            "secondary_hits": gh.secondary_hits,
        }


def _worker(env: dict[str, str], source: Path, log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    command = python("-m", "app", "worker")
    return subprocess.Popen(command, cwd=source, env={**os.environ, **env}, stdout=out, stderr=out)


def _open(gh: Any) -> int:
    return sum(p["state"] == "open" for r in gh.repos.values() for p in r.pulls.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redis", required=True, help="a Redis database the bench may use")
    parser.add_argument("--count", type=int, default=12)
    parser.add_argument("--source", type=Path, default=Path.cwd(), help="paperbot checkout")
    parser.add_argument(
        "--secondary-gap", type=float, default=0.0, help="the fake's secondary limit (s; 0: off)"
    )
    args = parser.parse_args()
    conn = redis.Redis.from_url(args.redis)
    for key in conn.scan_iter("paperbot:*"):  # the deployment's keys only (queue "paperbot")
        conn.delete(key)
    with tempfile.TemporaryDirectory() as tmp:
        source, gap = args.source.resolve(), args.secondary_gap
        got = run(args.count, queue=args.redis, source=source, gap=gap, tmp=Path(tmp))
    print(f"{args.count} submissions, 1 web replica + 2 workers, one token, 1 s write pacing")
    print(f"  paperbot from {args.source}")
    print(
        f"  {got['under_0.9s']} of {got['writes'] - 1} consecutive writes less than 0.9 s apart,"
        f" the smallest {got['smallest_ms']} ms; all {got['prs']} PRs open after"
        f" {got['all_prs_s']} s"
    )
    if args.secondary_gap:
        print(
            f"  secondary rate limits (writes < {args.secondary_gap} s apart refused):"
            f" {got['secondary_hits']}"
        )
    print(json.dumps(got))


if __name__ == "__main__":
    main()

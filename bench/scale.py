"""Fair queues at scale: many small App installations beside one big burst, on Redis.

Set-up: the fake GitHub (50 ms per request), ``--repos`` repositories each its own App
installation with ``--each`` submissions, and optionally one more installation's repository
with ``--big`` submissions (or one installation's ``--big-repos`` repositories sharing them)
whose deliveries arrive first. Two web replicas (``paperbot serve --workers 0``) and
``--workers`` ``paperbot worker`` processes of ``--threads`` job threads share one Redis
database (``--redis``, the deployment's keys dropped before each run), with
``PAPERBOT_WRITE_INTERVAL=1``. Printed: delivery (its 202) → PR open, p50/p95/max over
the small repositories' submissions, without and with the big repository, and the
secondary-limit answers the fake gave (when it emulates them).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import queue
import random
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from statistics import median
from typing import Any

import httpx
import redis

from app.github.fake.apps import keypair
from app.github.fake.server import FakeGitHub
from app.service.queue import PaperbotHuey, make_huey
from app.service.settings import Settings
from app.service.signature import sign
from bench.harness import free_port, percentile, python, server
from tests.conftest import FIXTURES
from tests.fakes import MEMBER, fake_github, report_body
from tests.service.test_e2e import opened

SECRET = "scale-secret"
APP_ID = 77


def repository(gh: FakeGitHub, name: str, installation: int, count: int) -> list[Any]:
    """A repository of its own installation with ``count`` submissions; their deliveries."""
    seed = (FIXTURES / "seed_README.md").read_text(encoding="utf-8")
    gh.create_repo(name, {"README.md": seed}).permissions.update({MEMBER: "triage"})
    gh.installations.add(installation)
    out = []
    for i in range(count):
        number = gh.create_issue(name, title="x", body=report_body(name=f"成员{i}"), login=MEMBER)[
            "number"
        ]
        body = copy.deepcopy(opened(number))
        body["repository"].update(full_name=name, name=name.split("/")[1])
        body["installation"] = {"id": installation}
        out.append((name, number, json.dumps(body).encode()))
    return out


async def deliver(urls: list[str], items: list[Any], sent: dict[Any, float]) -> None:
    """POST every delivery (8 in flight, alternating replicas); ``sent`` gets each 202's time."""
    queue: asyncio.Queue[tuple[int, Any]] = asyncio.Queue()
    for i, item in enumerate(items):
        queue.put_nowait((i, item))
    async with httpx.AsyncClient(timeout=30) as client:

        async def one() -> None:
            while not queue.empty():
                i, (repo, number, raw) = queue.get_nowait()
                headers = {
                    "X-GitHub-Event": "issues",
                    "X-GitHub-Delivery": f"scale-{repo}-{number}",
                    "X-Hub-Signature-256": sign(raw, SECRET.encode()),
                    "Content-Type": "application/json",
                }
                res = await client.post(urls[i % len(urls)], content=raw, headers=headers)
                res.raise_for_status()
                sent[(repo, number)] = time.monotonic()

        await asyncio.gather(*(one() for _ in range(8)))


def wait_for_prs(gh: FakeGitHub, small: list[Any], timeout: float) -> dict[Any, float]:
    """When each small submission's PR was first seen open (polled every 0.1 s)."""
    seen: dict[Any, float] = {}
    deadline = time.monotonic() + timeout
    while len(seen) < len(small) and time.monotonic() < deadline:
        for repo, number, _ in small:
            if (repo, number) in seen:
                continue
            with gh.lock:
                pulls = list(gh.repos[repo].pulls.values())
            if any(p["head"] == f"paperbot/issue-{number}" for p in pulls):
                seen[(repo, number)] = time.monotonic()
        time.sleep(0.1)
    return seen


def clear(url: str) -> None:
    """Drop the deployment's keys (Huey's queue ``paperbot``, the store's ``paperbot:``)."""
    conn = redis.Redis.from_url(url)
    for pattern in ("paperbot:*", "huey.*.paperbot", "huey.*.paperbot.*"):
        for key in conn.scan_iter(pattern):
            conn.delete(key)


def started(logs: list[Path], timeout: float = 120) -> None:
    """Wait until every worker has logged its start (recovered the store, ready for jobs)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(p.exists() and b'"started"' in p.read_bytes() for p in logs):
            return
        time.sleep(0.2)


def run(args: argparse.Namespace, tmp: Path, *, big: int) -> dict[str, Any]:
    clear(args.redis)
    private, public = keypair()
    with fake_github(tmp / f"gh-{big}") as gh:
        gh.apps[APP_ID] = public
        gh.latency = 0.05
        if args.secondary_gap and hasattr(gh, "secondary_gap"):
            gh.secondary_gap = args.secondary_gap
        spread = max(1, args.big_repos)
        items = [x for r in range(spread) for x in repository(gh, f"big/r{r}", 1, big // spread)]
        small = [
            x for r in range(args.repos) for x in repository(gh, f"g{r}/log", 100 + r, args.each)
        ]
        env = {
            **os.environ,
            "GITHUB_WEBHOOK_SECRET": SECRET,
            "GITHUB_APP_ID": str(APP_ID),
            "GITHUB_APP_PRIVATE_KEY": private,
            "GITHUB_API_URL": gh.base_url,
            "PAPERBOT_QUEUE": args.redis,
            "PAPERBOT_WRITE_INTERVAL": "1",
            "PAPERBOT_WORKERS": str(args.threads),
            "PAPERBOT_DATA_DIR": str(tmp / f"d{big}"),
        }
        ports = [free_port(), free_port()]
        logs = tmp / f"logs-{big}"
        logs.mkdir()
        workers = [
            subprocess.Popen(
                python("-m", "app", "worker"),
                env=env,
                stdout=(logs / f"w{i}.log").open("wb"),
                stderr=subprocess.STDOUT,
            )
            for i in range(args.workers)
        ]
        try:
            serve = lambda p: python("-m", "app", "serve", "--workers", "0", "--port", str(p))  # noqa: E731
            with (
                server(serve(ports[0]), port=ports[0], env=env, log=logs / "web0.log"),
                server(serve(ports[1]), port=ports[1], env=env, log=logs / "web1.log"),
            ):
                started([logs / f"w{i}.log" for i in range(args.workers)])
                urls = [f"http://127.0.0.1:{p}/webhook" for p in ports]
                sent: dict[Any, float] = {}
                asyncio.run(deliver(urls, items + small, sent))
                opened_at = wait_for_prs(gh, small, args.timeout)
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                w.wait(timeout=30)
        waits = [opened_at[k] - sent[k] for k in opened_at]
        missing = len(small) - len(waits)
        hits = getattr(gh, "secondary_hits", None)
        return {"waits": sorted(waits), "missing": missing, "secondary_hits": hits}


def noop() -> None:
    pass


def pickup(producer: PaperbotHuey, consumer: PaperbotHuey, rounds: int = 10) -> list[float]:
    """Seconds from an enqueue into an idle queue until a worker's dequeue returns it."""
    tasks = [h.task(name="idle")(noop) for h in {producer, consumer}]
    got: queue.Queue[float] = queue.Queue()
    stop = threading.Event()

    def work() -> None:  # Huey's worker loop: a blocking storage is never slept on
        while not stop.is_set():
            if consumer.dequeue() is not None:
                got.put(time.perf_counter())

    thread = threading.Thread(target=work)
    thread.start()
    waits = []
    for _ in range(rounds):
        time.sleep(1.5 + random.random())  # idle, past the 1 s read timeout, at any phase
        sent = time.perf_counter()
        producer.enqueue(tasks[0].s())
        waits.append(got.get(timeout=30) - sent)
    stop.set()
    thread.join()
    return waits


def idle(args: argparse.Namespace, tmp: Path) -> None:
    """Idle pick-up latency on each storage, within a process and across two."""
    clear(args.redis)
    make = lambda: make_huey(Settings(PAPERBOT_QUEUE=args.redis))  # noqa: E731
    local = lambda: make_huey(Settings(PAPERBOT_DATA_DIR=tmp / "idle"))  # noqa: E731
    one = local()
    for label, (a, b) in {
        "Redis, another process": (make(), make()),
        "SQLite, the same process": (one, one),
        "SQLite, another process": (local(), local()),
    }.items():
        w = pickup(a, b)
        ms = f"median {median(w) * 1000:5.0f} ms  max {max(w) * 1000:5.0f} ms"
        print(f"  idle pick-up, {label:<26} {ms}")
    clear(args.redis)


def show(label: str, out: dict[str, Any]) -> None:
    w = out["waits"]
    hits = out["secondary_hits"]
    print(
        f"  {label:<50} p50 {percentile(w, 50):6.1f} s  p95 {percentile(w, 95):6.1f} s"
        f"  max {max(w):6.1f} s  ({len(w)} PRs, {out['missing']} missing)"
        f"  secondary-limit answers: {'unavailable' if hits is None else hits}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--each", type=int, default=2)
    parser.add_argument("--big", type=int, default=100)
    parser.add_argument(
        "--big-repos", type=int, default=1, help="spread --big over this many repositories"
    )
    parser.add_argument("--skip-alone", action="store_true", help="only the run with --big")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8, help="job threads per worker")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--secondary-gap", type=float, default=0.9)
    parser.add_argument(
        "--redis", default=os.environ.get("PAPERBOT_BENCH_REDIS", "redis://127.0.0.1:6379/2")
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        alone = None if args.skip_alone else run(args, Path(tmp), big=0)
        beside = run(args, Path(tmp), big=args.big)
        report(args, alone, beside)
        print("an idle queue (10 rounds each):")
        idle(args, Path(tmp))


def report(args: argparse.Namespace, alone: dict[str, Any] | None, beside: dict[str, Any]) -> None:
    print(
        f"{args.repos} repositories (one App installation each) × {args.each} submissions;"
        f" 2 web replicas, {args.workers} workers × {args.threads} threads, one Redis;"
        " 50 ms per GitHub request, PAPERBOT_WRITE_INTERVAL=1"
    )
    print("delivery (202) → PR open, small repositories' submissions:")
    if alone is not None:
        show("alone", alone)
    where = f"{args.big_repos} repositories" if args.big_repos > 1 else "one repository"
    show(f"beside {args.big} in {where} of one installation", beside)


if __name__ == "__main__":
    main()

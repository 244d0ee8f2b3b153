"""Webhook acknowledgement: paperbot against the raw ASGI limit, bare FastAPI and Probot.

wrk (Debian's package; `make bench` installs it) sends signed `issues.opened` deliveries at
concurrency 32 from its own process, each with a new delivery id, so paperbot verifies,
claims and enqueues every one (`paperbot serve --workers 0`: the receiver alone, SQLite
queue). The peers: the raw receiver (plain ASGI under uvicorn: HMAC check, 202, nothing
stored; the limit for this job in Python), FastAPI that checks the signature and says 202,
and a Probot app with one handler that does nothing (npm `probot`, installed under
bench/.probot on first run; node 20). All four run for the whole benchmark, one process
each; the rounds interleave them, so a noisy moment on the machine hurts all alike. Figures
are medians over the rounds. Where paperbot's own time goes: bench/receiver.py. With
``--ceiling``, two more rows: bench/lean_app.py, the least work that keeps paperbot's
guarantees, appending the job or the raw body (the most any receiver on this stack can reach).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from app.service.inbox import backlog
from app.service.signature import sign
from bench.bare_app import SECRET
from bench.harness import free_port, peak_rss_mb, python, server
from bench.probot import probot_command

ROOT = Path(__file__).parents[1]
LUA = """
wrk.method = "POST"
wrk.body = [==[{body}]==]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-GitHub-Event"] = "issues"
wrk.headers["X-Hub-Signature-256"] = "{signature}"
local threads = 0
function setup(thread) threads = threads + 1; thread:set("tid", threads) end
function init(args) n = 0; prefix = "{run}-" .. tostring(tid) .. "-" end
function request()
  n = n + 1
  wrk.headers["X-GitHub-Delivery"] = prefix .. n
  return wrk.format()
end
"""
Figures = dict[str, float]


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(port: int, script: Path, *, seconds: int, concurrency: int) -> Figures:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{concurrency}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/webhook",
        ],
        capture_output=True,
        text=True,
    ).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"errors in the run:\n{out}")
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])}  # type: ignore[index]
    for q in ("50", "99"):
        figures[f"p{q}"] = _ms(re.search(rf"^\s+{q}%\s+(\S+)", out, re.M)[1])  # type: ignore[index]
    return figures


def script(tmp: Path, name: str, round_no: int) -> Path:
    raw = (ROOT / "tests/fixtures/webhooks/issues.opened.json").read_text("utf-8")
    body = json.dumps(json.loads(raw), separators=(",", ":"))
    path = tmp / f"{name}-{round_no}.lua"
    path.write_text(LUA.format(body=body, signature=sign(body.encode(), SECRET), run=path.stem))
    return path


Spec = Callable[[int], tuple[list[str], dict[str, str]]]  # port → command, environment


def bot_env(tmp: Path, queue: str) -> dict[str, str]:
    env = {"GITHUB_WEBHOOK_SECRET": SECRET.decode(), "GITHUB_TOKEN": "t"}
    return env | {"PAPERBOT_DATA_DIR": str(tmp)} | ({"PAPERBOT_QUEUE": queue} if queue else {})


def servers(tmp: Path, queue: str, *, ceiling: bool = False) -> dict[str, Spec]:
    secret = SECRET.decode()
    bot = python("-m", "app", "serve", "--host", "127.0.0.1", "--workers", "0", "--port")
    bare = python("-m", "uvicorn", "bench.bare_app:app", "--log-level", "warning", "--port")
    raw = python("-m", "uvicorn", "bench.raw_app:app", "--log-level", "warning", "--port")
    specs: dict[str, Spec] = {
        "paperbot serve": lambda port: ([*bot, str(port)], bot_env(tmp, queue)),
        "raw ASGI receiver": lambda port: ([*raw, str(port)], {}),
        "bare FastAPI baseline": lambda port: ([*bare, str(port)], {}),
        "Probot (minimal app)": probot_command(secret),
    }
    if ceiling:
        specs["lean: job appended"] = _lean(tmp, "job")
        specs["lean: raw body appended"] = _lean(tmp, "body")
    return specs


def _lean(tmp: Path, keep: str) -> Spec:
    lean = python("-m", "uvicorn", "bench.lean_app:app", "--log-level", "warning", "--port")
    return lambda port: ([*lean, str(port)], {"LEAN_DIR": str(tmp), "LEAN_KEEP": keep})


def measure(args: argparse.Namespace, tmp: Path) -> dict[str, list[Figures]]:
    """Start every server, then run the rounds, each server in turn; peak RSS at the end."""
    results: dict[str, list[Figures]] = {}
    with ExitStack() as stack:
        running = stack.enter_context(
            all_running(servers(tmp, args.queue, ceiling=args.ceiling), tmp)
        )
        if not args.queue:
            stack.enter_context(moving(tmp))
        for name, (port, _) in running.items():  # warm up
            load(port, script(tmp, _slug(name), 0), seconds=1, concurrency=args.concurrency)
        for round_no in range(1, args.rounds + 1):
            for name, (port, _) in running.items():
                path = script(tmp, _slug(name), round_no)
                figures = load(port, path, seconds=args.seconds, concurrency=args.concurrency)
                results.setdefault(name, []).append(figures)
        for name, (_, pid) in running.items():
            results[name][-1]["rss"] = peak_rss_mb(pid)
        if not args.queue:
            time.sleep(2)  # the last round's deliveries: closed, then moved
            print(f"paperbot's inbox after the last round: {backlog(tmp / 'inbox')} not moved")
    return results


@contextmanager
def moving(tmp: Path) -> Iterator[None]:
    """paperbot's inbox mover (bench/inbox_mover.py), as a worker process would run it."""
    with (tmp / "mover.log").open("wb") as out:
        command = python("-m", "bench.inbox_mover")
        proc = subprocess.Popen(
            command, env={**os.environ, **bot_env(tmp, "")}, stdout=out, stderr=out
        )
        try:
            yield
        finally:
            proc.terminate()
            proc.wait(timeout=30)


@contextmanager
def all_running(specs: dict[str, Spec], tmp: Path) -> Iterator[dict[str, tuple[int, int]]]:
    """Every server up for the whole run: name → (port, pid)."""
    with ExitStack() as stack:
        running = {}
        for name, spec in specs.items():
            port, log = free_port(), tmp / f"{_slug(name)}.log"
            command, env = spec(port)
            pid = stack.enter_context(server(command, port=port, env=env, log=log))
            running[name] = (port, pid)
        yield running


def _slug(name: str) -> str:
    return name.split()[0].lower()


def report(results: dict[str, list[Figures]], args: argparse.Namespace) -> None:
    med = {
        name: {k: statistics.median(r[k] for r in rounds) for k in ("rps", "p50", "p99")}
        for name, rounds in results.items()
    }
    print(
        f"wrk, 2 threads, concurrency {args.concurrency}; {args.rounds} interleaved rounds of "
        f"{args.seconds} s per server; medians over the rounds (worst p99 in brackets); "
        f"paperbot's queue: {args.queue or 'SQLite'}"
    )
    print(f"{'server':<24} {'req/s':>8} {'/ raw':>6} {'p50 ms':>8} {'p99 ms':>16} {'RSS MB':>7}")
    raw = med["raw ASGI receiver"]
    for name, m in med.items():
        worst = max(r["p99"] for r in results[name])
        p99 = f"{m['p99']:.1f} ({worst:.1f})"
        rss = results[name][-1]["rss"]
        share = m["rps"] / raw["rps"]
        print(f"{name:<24} {m['rps']:>8.0f} {share:>6.2f} {m['p50']:>8.2f} {p99:>16} {rss:>7.0f}")
    bot, peer = med["paperbot serve"], med["Probot (minimal app)"]
    print(
        f"paperbot / raw {bot['rps'] / raw['rps']:.2f} (goal ≥ 0.8); "
        f"paperbot / Probot {bot['rps'] / peer['rps']:.2f} (goal ≥ 1.5); "
        f"p99 paperbot / raw {bot['p99'] / raw['p99']:.2f} (goal ≤ 1.5)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--queue", default="", help="paperbot's PAPERBOT_QUEUE (default: SQLite)")
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also run bench/lean_app.py: the least work that keeps the guarantees",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench/webhook.py needs wrk: apt-get install wrk (make bench does)")
    with tempfile.TemporaryDirectory() as tmp:
        report(measure(args, Path(tmp)), args)


if __name__ == "__main__":
    main()

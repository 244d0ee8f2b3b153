"""Webhook acknowledgement: `paperbot serve` against a bare FastAPI app; prints a table.

wrk (Debian's package; `make bench` installs it) sends signed `issues.opened` deliveries at
concurrency 32 from its own process, each with a new delivery id, so every one is verified,
claimed in the queue's storage and enqueued. `paperbot serve --workers 0`, so the figure is
the receiver alone. Each server runs as one uvicorn process; both get the same load.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from app.service.signature import sign
from bench.bare_app import SECRET
from bench.harness import free_port, peak_rss_mb, python, server

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


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load(port: int, script: Path, *, seconds: int, concurrency: int) -> dict[str, float]:
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
        check=True,
    ).stdout
    figures = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        "total": float(re.search(r"(\d+) requests in", out)[1]),
    }  # type: ignore[index]
    for q in ("50", "99"):
        figures[f"p{q}"] = _ms(re.search(rf"^\s+{q}%\s+(\S+)", out, re.M)[1])  # type: ignore[index]
    if "Non-2xx" in out:
        raise SystemExit(f"errors in the run:\n{out}")
    return figures


def measure(
    name: str, command: list[str], env: dict[str, str], *, seconds: int, concurrency: int, tmp: Path
) -> dict[str, float]:
    port = free_port()
    raw = (ROOT / "tests/fixtures/webhooks/issues.opened.json").read_text("utf-8")
    body = json.dumps(json.loads(raw), separators=(",", ":"))
    script = tmp / f"{name}.lua"
    script.write_text(LUA.format(body=body, signature=sign(body.encode(), SECRET), run=name))
    with server(
        [*command, "--port", str(port)], port=port, env=env, log=tmp / f"{name}.log"
    ) as pid:
        load(port, script, seconds=1, concurrency=concurrency)  # warm up
        figures = load(port, script, seconds=seconds, concurrency=concurrency)
        figures["rss"] = peak_rss_mb(pid)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench/webhook.py needs wrk: apt-get install wrk (make bench does)")
    with tempfile.TemporaryDirectory() as tmp:
        bot = measure(
            "paperbot",
            python("-m", "app", "serve", "--host", "127.0.0.1", "--workers", "0"),
            {
                "GITHUB_WEBHOOK_SECRET": SECRET.decode(),
                "GITHUB_TOKEN": "unused",
                "PAPERBOT_DATA_DIR": tmp,
            },
            seconds=args.seconds,
            concurrency=args.concurrency,
            tmp=Path(tmp),
        )
        bare = measure(
            "bare",
            python("-m", "uvicorn", "bench.bare_app:app", "--log-level", "warning"),
            {},
            seconds=args.seconds,
            concurrency=args.concurrency,
            tmp=Path(tmp),
        )
    print(f"wrk, 2 threads, concurrency {args.concurrency}, {args.seconds} s per server")
    print(
        f"{'server':<24} {'deliveries':>10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'peak RSS MB':>12}"
    )
    for name, r in (("paperbot serve", bot), ("bare FastAPI baseline", bare)):
        print(
            f"{name:<24} {r['total']:>10.0f} {r['rps']:>8.0f} {r['p50']:>8.2f} "
            f"{r['p99']:>8.2f} {r['rss']:>12.0f}"
        )
    print(
        f"throughput ratio {bot['rps'] / bare['rps']:.2f} (target ≥ 0.80); "
        f"paperbot p99 {bot['p99']:.1f} ms (target ≤ 50)"
    )


if __name__ == "__main__":
    main()

"""Where the receiver's time goes: CPU per delivery, in process, with each stage taken out.

The ASGI apps are called directly (no sockets, no HTTP parsing: bench/webhook.py measures
those, the same for every server), 32 deliveries at a time like wrk's connections, each with
a new delivery id, on uvloop. CPU time (``process_time``), not wall time, so other load on
the machine moves the figures less; medians of several runs. A row without a stage is the
whole receiver with that stage replaced by nothing: the difference to the first row is what
the stage costs. With the embedded queue the receiver appends the signed body to its inbox
and parses nothing; the inbox's mover parses, routes and accepts beside the job workers.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import logging
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvloop

from app.service import logs, metrics
from app.service.inbox import Inbox
from app.service.signature import sign
from bench import raw_app
from bench.bare_app import SECRET

ROOT = Path(__file__).parents[1]
_RUNS = itertools.count()
App = Callable[..., Awaitable[None]]
Message = MutableMapping[str, Any]


def body() -> bytes:
    raw = (ROOT / "tests/fixtures/webhooks/issues.opened.json").read_text("utf-8")
    return json.dumps(json.loads(raw), separators=(",", ":")).encode()


async def _one(app: App, payload: bytes, headers: list[tuple[bytes, bytes]], n: int) -> None:
    scope: dict[str, Any] = {"type": "http", "method": "POST", "path": "/webhook"}
    scope["headers"] = [*headers, (b"x-github-delivery", b"d-%d" % n)]

    async def receive() -> Message:
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message: Message) -> None:
        pass

    await app(scope, receive, send)


async def _drive(app: App, total: int) -> float:
    start = next(_RUNS) * 10**8  # every delivery id new: each one claimed and enqueued
    payload = body()
    headers = [
        (b"host", b"127.0.0.1"),
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(payload)),
        (b"x-github-event", b"issues"),
        (b"x-hub-signature-256", sign(payload, SECRET).encode()),
    ]
    began = time.process_time()
    for n in range(start, start + total, 32):
        await asyncio.gather(*(_one(app, payload, headers, n + i) for i in range(32)))
    return (time.process_time() - began) / total * 1e6


def per_delivery(app: App, *, runs: int, count: int) -> float:
    """Median CPU µs per delivery over ``runs`` runs of ``count`` deliveries."""
    asyncio.run(_drive(app, 3200))  # warm up
    return statistics.median(asyncio.run(_drive(app, count)) for _ in range(runs))


def paperbot(data: Path) -> Any:
    from app.service import runtime
    from app.service.settings import get_settings

    os.environ.update(GITHUB_WEBHOOK_SECRET=SECRET.decode(), GITHUB_TOKEN="t")
    os.environ["PAPERBOT_DATA_DIR"] = str(data)
    logs.setup("json")
    logging.root.handlers[0].stream = open(os.devnull, "w")  # type: ignore[attr-defined]
    return runtime.build(get_settings().for_webhooks()).app()


@contextmanager
def without(stage: str) -> Iterator[None]:
    """The receiver with ``stage`` changed for the block."""
    swaps: dict[str, tuple[Any, str, Any]] = {
        "without the duplicate check (the store's state)": (Inbox, "seen", _unseen),
        "without the append to the inbox": (Inbox, "append", _kept),
        "without the metric": (metrics, "delivery", lambda *a: None),
    }
    if stage == "with young collections every 700 (Python's default)":
        before = gc.get_threshold()
        gc.set_threshold(700, *before[1:])
        try:
            yield
        finally:
            gc.set_threshold(*before)
        return
    owner, name, replacement = swaps[stage]
    original = getattr(owner, name)
    setattr(owner, name, replacement)
    try:
        yield
    finally:
        setattr(owner, name, original)


def _unseen(self: Inbox, delivery: str) -> bool:
    return False


def _kept(self: Inbox, delivery: str, event: str, body: bytes) -> None:
    return None


def paired(bot: App, stage: str, *, runs: int, count: int) -> tuple[float, float]:
    """The whole receiver and the delta of ``stage``, measured in alternation (a run's
    figure drifts with the queue file's growth): medians over ``runs`` pairs."""
    per_delivery(bot, runs=1, count=3200)
    wholes, deltas = [], []
    for _ in range(runs):
        whole = asyncio.run(_drive(bot, count))
        with without(stage):
            changed = asyncio.run(_drive(bot, count))
        wholes.append(whole)
        deltas.append(changed - whole)
    return statistics.median(wholes), statistics.median(deltas)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--count", type=int, default=16000)
    args = parser.parse_args()
    uvloop.install()
    with tempfile.TemporaryDirectory() as tmp:
        bot = paperbot(Path(tmp))
        gc.collect()
        gc.freeze()
        gc.set_threshold(20_000, *gc.get_threshold()[1:])  # as ``paperbot serve``
        raw = per_delivery(raw_app.app, runs=args.runs, count=args.count)
        stages = [
            "without the duplicate check (the store's state)",
            "without the append to the inbox",
            "without the metric",
            "with young collections every 700 (Python's default)",
        ]
        rows = {stage: paired(bot, stage, runs=args.runs, count=args.count) for stage in stages}
    wholes = [whole for whole, _ in rows.values()]
    print(f"CPU µs per delivery, in process (no HTTP); medians of {args.runs} runs or pairs")
    print(f"{'raw ASGI receiver':<52} {raw:8.1f}")
    print(f"{'paperbot receiver (median of every pair)':<52} {statistics.median(wholes):8.1f}")
    for stage, (_, delta) in rows.items():
        print(f"  {stage:<50} {delta:+8.1f}")


if __name__ == "__main__":
    main()

"""Core speed: insert into a 10 MB README, who already read a paper there, lint and normalise
10,000 entries; prints a table."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable

from app.core.already import earlier
from app.core.config import DEFAULT_MARKER, Config, Template
from app.core.entry import Report, Skip, key
from app.core.errors import DuplicateEntry
from app.core.lint import lint
from app.core.names import _names as names_in_readme
from app.core.normalize import normalize
from app.core.readme import insert
from app.core.render import render
from app.core.submission import apply

SUMMARY = "本文提出了一种新的方法，" * 40  # about 480 characters, like the seed's summaries
START = dt.date(2025, 7, 6)
BODY = "### 日期\n\n2025-07-06\n\n### 姓名\n\n新人\n\n### 论文标题\n\nT\n\n### 论文简述\n\nS"


def entry(i: int) -> Report | Skip:
    day = START - dt.timedelta(days=7 * (i // 8))
    if i % 5 == 4:
        return Skip(date=day, name=f"成员{i % 8}", reason="准备考试")
    return Report(
        date=day,
        name=f"成员{i % 8}",
        title=f"Paper number {i}",
        link=f"https://arxiv.org/abs/2401.{i:05d}",
        venue="CVPR 2025",
        figure=f"https://x.org/{i}.png",
        summary=SUMMARY,
    )


def readme(*, size: int = 0, count: int = 0) -> tuple[str, int]:
    parts, total, i = [f"# 周报\n\n> {DEFAULT_MARKER}\n> \n"], 0, 0
    while (size and total < size) or (count and i < count):
        block = render(entry(i), Template())
        parts.append(block)
        total += len(block.encode())
        i += 1
    return "".join(parts) + "\n归档。\n", i


def timed(func: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    big, n = readme(size=10 * 1024 * 1024)
    newest = Report(date=START + dt.timedelta(days=7), name="新人", title="Newest", summary="S")
    late = Report(date=START - dt.timedelta(days=7 * 600), name="新人", title="Late", summary="S")
    same = entry(n - 1)
    edited = same.model_copy(update={"summary": "改过的简述"})
    own = {"marker": DEFAULT_MARKER, "previous": key(same)}

    def refuse(text: str) -> None:
        try:
            insert(text, render(edited, Template()), entry=edited, marker=DEFAULT_MARKER)
        except DuplicateEntry:
            return
        raise AssertionError("a duplicate was not refused")

    def cold() -> None:
        names_in_readme.cache_clear()  # a README the worker has not read yet
        apply(big, BODY, config=Config(), today=START)

    rows: list[tuple[str, float, int | None]] = [
        (
            f"insert newest into {len(big.encode()) / 2**20:.1f} MB ({n} entries)",
            timed(
                lambda: insert(big, render(newest, Template()), entry=newest, marker=DEFAULT_MARKER)
            ),
            50,
        ),
        (
            "insert a late entry deep in the same README",
            timed(lambda: insert(big, render(late, Template()), entry=late, marker=DEFAULT_MARKER)),
            50,
        ),
        (
            "replace the last entry in place (its own previous key)",
            timed(lambda: insert(big, render(edited, Template()), entry=edited, **own)),
            50,
        ),
        ("refuse the same entry written differently (duplicate)", timed(lambda: refuse(big)), 50),
        (
            "apply an issue body: check, date against the README, insert",
            timed(lambda: apply(big, BODY, config=Config(), today=START)),
            50,
        ),
        ("the same, the README new to the process (its names read)", timed(cold), None),
    ]
    read = Report(date=START, name="新人", title="A Paper Nobody Read", link=same.link, summary="S")
    rows.append(
        (
            "who already read it (arXiv id, title) in the same README",
            timed(lambda: earlier(read, big, marker=DEFAULT_MARKER)),
            50,
        )
    )
    ten_k, _ = readme(count=10_000)
    rows.append(("lint 10,000 entries", timed(lambda: lint(ten_k, marker=DEFAULT_MARKER), 3), 1000))
    old = normalize(ten_k, config=Config()).text.replace("> > ", ">>")  # every entry to rewrite
    rows.append(
        ("normalise 10,000 entries", timed(lambda: normalize(old, config=Config()), 3), None)
    )
    print(f"{'measure':<58} {'median ms':>10} {'target ms':>10}")
    for name, ms, target in rows:
        verdict = "" if target is None else "ok" if ms <= target else "MISSED"
        print(f"{name:<58} {ms:>10.1f} {target or '—':>10} {verdict}")


if __name__ == "__main__":
    main()

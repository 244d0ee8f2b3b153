"""Delivery-to-PR time: a burst of 30 submissions against `paperbot serve` and the fake GitHub.

Every fake GitHub request takes 50 ms (a realistic round trip). Measured: seconds from the
first delivery until all 30 PRs are open, with pacing off and with GitHub's asked-for pacing
(1 s between writes), and the server's peak RSS after the burst. All 30 issues are in one
repository, whose work paperbot serialises (the per-repository lease), so this is the slowest
shape of a burst: its time is about submissions × requests per submission × (50 ms + the
fake's own time per request), which is why the GitHub requests per submission are printed.
Paced, every write of the installation is at least 1 s after the one before, so the floor is
(writes made until the last PR opened − 1) × 1 s; the measured time is printed beside it.
The paper lookups go to the fake metadata services (never the internet): every issue links
the same arXiv paper, looked up once and then remembered, as a real deployment does.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from app.lookup.fake.server import serve as fake_metadata
from bench.harness import deliveries, fire, free_port, peak_rss_mb, python, server
from tests.fakes import MEMBER, REPO, fake_github, report_body
from tests.service.test_e2e import opened

SECRET = b"burst-secret"
PACED = 1.0  # GitHub asks for about a second between content-creating requests
LINK = "https://arxiv.org/abs/1706.03762"  # known to the fake arXiv and DBLP


@dataclass(frozen=True)
class Burst:
    seconds: float  # first delivery → every PR open
    rss_mb: float
    requests: dict[str, int]  # every GitHub request of the run, by method and route
    writes: int  # GitHub writes made until the last PR opened


def writes_in(requests: dict[str, int]) -> int:
    return sum(n for k, n in requests.items() if not k.startswith("GET"))


def burst(count: int, write_interval: float, tmp: Path) -> Burst:
    with fake_github(tmp / f"gh-{write_interval}") as gh, fake_metadata() as papers:
        gh.latency = 0.05
        port = free_port()
        lookups = papers.settings()
        env = {
            "GITHUB_WEBHOOK_SECRET": SECRET.decode(),
            "GITHUB_TOKEN": "t",
            "GITHUB_API_URL": gh.base_url,
            "PAPERBOT_DATA_DIR": str(tmp / f"d{write_interval}"),
            "PAPERBOT_WRITE_INTERVAL": str(write_interval),
            "PAPERBOT_METADATA": "on",
            "PAPERBOT_ARXIV_API": lookups.arxiv_api,
            "PAPERBOT_DBLP_API": lookups.dblp_api,
            "PAPERBOT_CROSSREF_API": lookups.crossref_api,
            "PAPERBOT_OPENREVIEW_API": lookups.openreview_api,
        }
        body = [report_body(name=f"成员{i}", link=LINK) for i in range(count)]
        numbers = [gh.create_issue(REPO, title="x", body=b, login=MEMBER)["number"] for b in body]
        items = [item for n in numbers for item in deliveries(opened(n), SECRET, 1)]
        command = python("-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port))
        with server(command, port=port, env=env, log=tmp / f"serve-{write_interval}.log") as pid:
            started = time.monotonic()
            fire(f"http://127.0.0.1:{port}/webhook", items, 8)
            while sum(p["state"] == "open" for p in gh.repos[REPO].pulls.values()) < count:
                time.sleep(0.01)
            seconds, writes = time.monotonic() - started, writes_in(gh.requests)
            return Burst(seconds, peak_rss_mb(pid), dict(gh.requests), writes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--skip-paced", action="store_true", help="skip the slow paced run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fast = burst(args.count, 0, Path(tmp))
        paced = None if args.skip_paced else burst(args.count, PACED, Path(tmp))
    calls = fast.requests
    total, writes = sum(calls.values()), writes_in(calls)
    print(f"{args.count} submissions in one repository, 50 ms per GitHub request")
    print(f"  pacing off:                    all PRs open after {fast.seconds:6.1f} s")
    print(
        f"  GitHub requests:               {total} ({total / args.count:.1f} per submission,"
        f" {writes / args.count:.1f} writes); {fast.seconds / total * 1000:.0f} ms each,"
        " end to end"
    )
    floor = None if paced is None else (paced.writes - 1) * PACED
    if paced is not None and floor is not None:
        over = paced.seconds - floor
        print(f"  pacing 1 s between writes:     all PRs open after {paced.seconds:6.1f} s")
        print(
            f"  paced floor:                   {floor:6.1f} s ({paced.writes} writes until the"
            f" last PR opened, 1 s apart); measured {over:+.1f} s ({over / floor:+.1%})"
        )
    print(f"  peak RSS of paperbot serve:    {fast.rss_mb:6.0f} MB (target ≤ 150)")
    print(
        json.dumps(
            {
                "fast_s": round(fast.seconds, 1),
                "paced_s": paced and round(paced.seconds, 1),
                "paced_floor_s": floor,
                "rss_mb": round(fast.rss_mb),
                "requests": total,
            }
        )
    )


if __name__ == "__main__":
    main()

"""Delivery-to-PR time: a burst of 30 submissions against `paperbot serve` and the fake GitHub.

Every fake GitHub request takes 50 ms (a realistic round trip). Measured: seconds from the
first delivery until all 30 PRs are open, with pacing off and with GitHub's asked-for pacing
(1 s between writes), and the server's peak RSS after the burst. All 30 issues are in one
repository, whose work paperbot serialises (the per-repository lease), so this is the slowest
shape of a burst: its time is about submissions × requests per submission × (50 ms + the
fake's own time per request), which is why the GitHub requests per submission are printed.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from bench.harness import deliveries, fire, free_port, peak_rss_mb, python, server
from tests.fakes import MEMBER, REPO, fake_github, report_body
from tests.service.test_e2e import opened

SECRET = b"burst-secret"


def burst(count: int, write_interval: float, tmp: Path) -> tuple[float, float, dict[str, int]]:
    with fake_github(tmp / f"gh-{write_interval}") as gh:
        gh.latency = 0.05
        port = free_port()
        env = {
            "GITHUB_WEBHOOK_SECRET": SECRET.decode(),
            "GITHUB_TOKEN": "t",
            "GITHUB_API_URL": gh.base_url,
            "PAPERBOT_DATA_DIR": str(tmp / f"d{write_interval}"),
            "PAPERBOT_WRITE_INTERVAL": str(write_interval),
        }
        numbers = [
            gh.create_issue(REPO, title="x", body=report_body(name=f"成员{i}"), login=MEMBER)[
                "number"
            ]
            for i in range(count)
        ]
        items = [item for n in numbers for item in deliveries(opened(n), SECRET, 1)]
        command = python("-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port))
        with server(command, port=port, env=env, log=tmp / f"serve-{write_interval}.log") as pid:
            started = time.monotonic()
            fire(f"http://127.0.0.1:{port}/webhook", items, 8)
            while sum(p["state"] == "open" for p in gh.repos[REPO].pulls.values()) < count:
                time.sleep(0.05)
            return time.monotonic() - started, peak_rss_mb(pid), dict(gh.requests)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--skip-paced", action="store_true", help="skip the slow paced run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fast, rss, calls = burst(args.count, 0, Path(tmp))
        paced = None if args.skip_paced else burst(args.count, 1.0, Path(tmp))[0]
    total, writes = sum(calls.values()), sum(n for k, n in calls.items() if not k.startswith("GET"))
    print(f"{args.count} submissions in one repository, 50 ms per GitHub request")
    print(f"  pacing off:                    all PRs open after {fast:6.1f} s")
    print(
        f"  GitHub requests:               {total} ({total / args.count:.1f} per submission,"
        f" {writes / args.count:.1f} writes); {fast / total * 1000:.0f} ms each, end to end"
    )
    if paced is not None:
        print(f"  pacing 1 s between writes:     all PRs open after {paced:6.1f} s")
    print(f"  peak RSS of paperbot serve:    {rss:6.0f} MB (target ≤ 150)")
    print(
        json.dumps(
            {
                "fast_s": round(fast, 1),
                "paced_s": paced and round(paced, 1),
                "rss_mb": round(rss),
                "requests": total,
            }
        )
    )


if __name__ == "__main__":
    main()

"""The soak in CI's size: 500 mixed deliveries against `paperbot serve` (make soak: 10,000)."""

from __future__ import annotations

from pathlib import Path

from bench.soak import run


def test_500_mixed_deliveries_leave_every_submission_right(tmp_path: Path) -> None:
    report = run(500, seed=7, root=tmp_path)
    assert report["errors"] == [] and report["problems"] == []
    assert report["valid"] >= 30 and report["invalid"] >= 20
    assert set(report["statuses"]) == {200, 202, 401}
    first, last = report["rss_mb"][1], report["rss_mb"][-1]
    assert last <= first * 1.3, report["rss_mb"]  # memory stays flat

"""Soak: thousands of mixed deliveries against `paperbot serve` and the fake GitHub, then checks.

The mix: new reports and skips, invalid submissions, edits, redeliveries of earlier ids,
unrelated events, pings and bad signatures, over four repositories. Afterwards every valid
submission must have exactly one open PR holding its entry as the issue now reads, every
issue at most one status comment, the log no error, and the server's memory must stay flat.

    python -m bench.soak --count 10000      (make soak; CI runs 500 in tests/test_soak.py)
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from app.core.config import Config
from app.core.submission import build
from app.github.fake.server import FakeGitHub
from bench.harness import free_port, python, server
from tests.conftest import FIXTURES
from tests.fakes import MEMBER, fake_github, report_body
from tests.service.test_webhook import payload

SECRET = b"soak-secret"
REPOS = [f"group/log{i}" for i in range(4)]


@dataclass
class Soak:
    gh: FakeGitHub
    rng: random.Random
    url: str = ""
    sent: list[tuple[bytes, dict[str, str]]] = field(default_factory=list)
    valid: dict[tuple[str, int], str] = field(default_factory=dict)
    invalid: set[tuple[str, int]] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)

    def post(self, event: str, body: dict[str, Any], *, secret: bytes = SECRET) -> None:
        from app.service.signature import sign

        raw = json.dumps(body).encode()
        headers = {
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": f"soak-{len(self.sent)}",
            "X-Hub-Signature-256": sign(raw, secret),
            "Content-Type": "application/json",
        }
        self.send(raw, headers)

    def send(self, raw: bytes, headers: dict[str, str]) -> None:
        self.sent.append((raw, headers))
        res = httpx.post(self.url, content=raw, headers=headers, timeout=30)
        self.statuses[res.status_code] = self.statuses.get(res.status_code, 0) + 1

    def issue_event(self, repo: str, number: int, action: str) -> dict[str, Any]:
        body = json.loads(json.dumps(payload("issues.opened")))
        body["action"] = action
        body["repository"].update(full_name=repo, name=repo.split("/")[1], default_branch="main")
        body["issue"]["number"] = number
        return body

    def file(self, body: str) -> tuple[str, int]:
        repo = self.rng.choice(REPOS)
        number = self.gh.create_issue(repo, title="x", body=body, login=MEMBER)["number"]
        return repo, number

    def step(self) -> None:
        roll = self.rng.random()
        if roll < 0.15 or not self.valid:
            body = report_body(name=f"成员{len(self.valid)}", title=f"Paper {len(self.sent)}")
            if self.rng.random() < 0.3:
                body = f"[2025-07-06]-[成员{len(self.valid)}]-准备考试，本周未精读"
            key = self.file(body)
            self.valid[key] = body
            self.post("issues", self.issue_event(*key, "opened"))
        elif roll < 0.35:
            key = self.rng.choice(list(self.valid))
            body = report_body(name=f"改{key[1]}", title=f"Edited {len(self.sent)}")
            self.gh.repos[key[0]].issues[key[1]]["body"] = self.valid[key] = body
            self.post("issues", self.issue_event(*key, "edited"))
        elif roll < 0.45:
            key = self.file(report_body(date="someday"))
            self.invalid.add(key)
            self.post("issues", self.issue_event(*key, "opened"))
        elif roll < 0.6 and self.sent:
            self.send(*self.rng.choice(self.sent))  # a redelivery: same id
        elif roll < 0.75:
            event = self.rng.choice(["ping", "watch", "issues"])
            body = self.issue_event(self.rng.choice(REPOS), 999_999, "assigned")
            self.post(event, body)
        else:
            self.post(
                "issues", self.issue_event(self.rng.choice(REPOS), 1, "opened"), secret=b"wrong"
            )


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def drained(url: str) -> bool:
    """Nothing queued, and no job running (a job taken off the queue is still at work)."""
    page = httpx.get(url.replace("/webhook", "/metrics"), timeout=10).text
    names = ("paperbot_queue_depth ", "paperbot_jobs_running ")
    values = [float(x.split()[1]) for x in page.splitlines() if x.startswith(names)]
    return len(values) == 2 and not any(values)


def settled(url: str) -> bool:
    """Drained, and still so half a second later (a job's retry is queued as it ends)."""
    if not drained(url):
        return False
    time.sleep(0.5)
    return drained(url)


def verify(soak: Soak) -> list[str]:
    problems = []
    for (repo, number), body in soak.valid.items():
        r = soak.gh.repos[repo]
        heads = [p for p in r.pulls.values() if p["head"] == f"paperbot/issue-{number}"]
        if len([p for p in heads if p["state"] == "open"]) != 1:
            problems.append(f"{repo}#{number}: {len(heads)} PRs")
            continue
        got = r.git.read(f"paperbot/issue-{number}", "README.md")
        block = build(body, config=Config(), today=_today()).block
        if not got or block not in got[0].decode():
            problems.append(f"{repo}#{number}: branch lacks the current entry")
    for repo, number in soak.invalid:
        if any(p["head"] == f"paperbot/issue-{number}" for p in soak.gh.repos[repo].pulls.values()):
            problems.append(f"{repo}#{number}: an invalid submission got a PR")
    for repo in REPOS:
        counts: dict[int, int] = {}
        for c in soak.gh.repos[repo].comments.values():
            counts[c["issue"]] = counts.get(c["issue"], 0) + 1
        problems += [f"{repo}#{n}: {k} status comments" for n, k in counts.items() if k > 1]
    return problems


def _today() -> Any:
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def _drive(soak: Soak, count: int, pid: int) -> tuple[float, list[float]]:
    """Send ``count`` deliveries, wait until the queue is empty; seconds and RSS samples."""
    memory = []
    started = time.monotonic()
    for i in range(count):
        soak.step()
        if i % max(count // 10, 1) == 0:
            memory.append(rss_mb(pid))
    while not settled(soak.url):
        time.sleep(0.5)
    return time.monotonic() - started, [*memory, rss_mb(pid)]


def run(count: int, *, seed: int = 1, root: Path) -> dict[str, Any]:
    """The soak: ``count`` deliveries, then the checks; a report for people and tests."""
    with fake_github(root / "gh") as gh:
        seed_readme = (FIXTURES / "seed_README.md").read_text(encoding="utf-8")
        for repo in REPOS:
            gh.create_repo(repo, {"README.md": seed_readme}).permissions[MEMBER] = "triage"
        port, log = free_port(), root / "serve.log"
        env = {
            "GITHUB_WEBHOOK_SECRET": SECRET.decode(),
            "GITHUB_TOKEN": "t",
            "GITHUB_API_URL": gh.base_url,
            "PAPERBOT_DATA_DIR": str(root / "data"),
            "PAPERBOT_WRITE_INTERVAL": "0",
            "PAPERBOT_WORKERS": "4",
        }
        command = python("-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port))
        with server(command, port=port, env=env, log=log) as pid:
            soak = Soak(gh, random.Random(seed), url=f"http://127.0.0.1:{port}/webhook")
            elapsed, memory = _drive(soak, count, pid)
        text = log.read_text(encoding="utf-8")
        errors = [x for x in text.splitlines() if '"level": "ERROR"' in x or "Traceback" in x]
        return {
            "deliveries": count,
            "statuses": soak.statuses,
            "valid": len(soak.valid),
            "invalid": len(soak.invalid),
            "seconds": round(elapsed, 1),
            "rss_mb": [round(m) for m in memory],
            "errors": errors[:5],
            "problems": verify(soak)[:10],
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = run(args.count, root=Path(tmp))
    print(json.dumps(report, ensure_ascii=False, indent=1))
    ok = not report["errors"] and not report["problems"]
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()

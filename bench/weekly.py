"""GitHub writes per day for a 10-member group over one week, per PR mode; prints a table.

The week (Asia/Shanghai, Monday 2025-07-07 to Sunday): 8 members report a paper and one
skips, on Monday to Saturday evenings; two of them edit their issue the next day; one member
reports nothing and is reminded on Sunday at 20:00; on Sunday at 21:00 a maintainer merges
what is open (per submission: each PR in turn, each merge a push). The dashboard is on and
the scheduler ticks every 10 minutes, as the service runs it. Every flow runs through
paperbot's GitHub adapter against the fake GitHub, which counts the requests.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from app.core.batch import BRANCH
from app.flows.context import Context, MemoryLedger, clear_caches
from app.flows.lifecycle import issue_closed, pull_closed, regenerate
from app.flows.submission import process_issue
from app.flows.weekly import tick
from app.github.fake.pulls import merge_pull, push_file
from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from tests.fakes import REPO, fake_github, report_body, settings_for

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2025, 7, 7, tzinfo=SHANGHAI)
MEMBERS = [f"m{i}" for i in range(10)]
CONFIG = (
    'dashboard: true\nreminders: {{weekday: sunday, time: "20:00"}}\n{mode}members:\n'
    + "".join(f"  {m}: 成员{i}\n" for i, m in enumerate(MEMBERS))
)


class Week:
    """The clock, the flows' context and the fake GitHub's write counter, by category."""

    def __init__(self, gh: FakeGitHub, clients: Clients) -> None:
        self.gh, self.at = gh, MONDAY
        self.ctx = Context(
            port=clients.repo(REPO, None),
            base="main",
            clock=lambda zone: self.at.date(),
            now=lambda: self.at,
            ledger=MemoryLedger(),
        )
        self.writes: Counter[str] = Counter()

    def run(self, category: str, flow: Callable[[], object]) -> None:
        before = self._writes()
        flow()
        self.writes[category] += self._writes() - before

    def _writes(self) -> int:
        return sum(n for k, n in self.gh.requests.items() if not k.startswith("GET"))


def _events(week: Week) -> list[tuple[dt.datetime, str, Callable[[], object]]]:
    """The members' week: (when, category, what GitHub's webhook would start)."""
    gh, ctx, events = week.gh, week.ctx, []
    for i, login in enumerate(MEMBERS[:9]):
        when = MONDAY + dt.timedelta(days=i % 6, hours=21, minutes=i)
        day = when.date().isoformat()
        body = report_body(date=day, name="", title=f"Paper {i}", link=_link(i))
        if i == 8:
            body = f"[{day}]-[成员8]-组会准备，本周未精读"

        def submit(login: str = login, body: str = body) -> object:
            number = gh.create_issue(REPO, title="x", body=body, login=login)["number"]
            return process_issue(ctx, int(number))

        events.append((when, "submissions", submit))
    for i in (1, 3):
        when = MONDAY + dt.timedelta(days=i % 6 + 1, hours=12)
        events.append((when, "submissions", lambda i=i: _edit(week, i)))
    return events


def _edit(week: Week, member: int) -> object:
    issue = next(
        n for n, i in week.gh.repos[REPO].issues.items() if f"Paper {member}" in str(i["body"])
    )
    week.gh.repos[REPO].issues[issue]["body"] = report_body(
        date=(MONDAY + dt.timedelta(days=member % 6)).date().isoformat(),
        name="",
        title=f"Paper {member} (edited)",
        link=_link(member),
    )
    return process_issue(week.ctx, issue)


def _link(member: int) -> str:
    """A paper of one's own: the same paper twice would add "already read" notes."""
    return f"https://arxiv.org/abs/2401.{10000 + member}"


def _merge_all(week: Week) -> None:
    """Sunday 21:00: merge every open bot PR, one by one; each merge is a push to main."""
    repo = week.gh.repos[REPO]
    for number in sorted(n for n, p in repo.pulls.items() if p["state"] == "open"):
        pull = repo.pulls[number]
        merge_pull(week.gh, REPO, number=number)
        head = str(pull["head"])
        week.run(
            "merges",
            lambda h=head, n=number: pull_closed(week.ctx, branch=h, merged=True, pull=n),
        )
        for issue in _closed_by(pull):
            week.run("merges", lambda issue=issue: issue_closed(week.ctx, issue))
        week.at += dt.timedelta(minutes=1)
        week.run("merges", lambda: regenerate(week.ctx))


def _closed_by(pull: dict[str, object]) -> list[int]:
    return [
        int(x.split("#")[1]) for x in str(pull["body"]).splitlines() if x.startswith("Closes #")
    ]


def simulate(mode: str) -> Counter[str]:
    """One week in ``mode`` (per-submission or weekly); writes by category."""
    clear_caches()
    with tempfile.TemporaryDirectory() as tmp, fake_github(Path(tmp)) as gh:
        gh.repos[REPO].permissions.update(dict.fromkeys(MEMBERS, "triage"))
        line = "pull_requests: weekly\n" if mode == "weekly" else ""
        push_file(
            gh, REPO, branch="main", path=".github/paperbot.yml", text=CONFIG.format(mode=line)
        )
        clients = Clients(settings_for(gh))
        week = Week(gh, clients)
        events = sorted(_events(week), key=lambda e: e[0])
        merge_at = MONDAY + dt.timedelta(days=6, hours=21)
        while week.at < MONDAY + dt.timedelta(days=7):
            while events and events[0][0] <= week.at:
                _, category, flow = events.pop(0)
                week.run(category, flow)
            if week.at == merge_at:
                _merge_all(week)
            week.run("scheduler (dashboard, reminder)", lambda: tick(week.ctx))
            week.at += dt.timedelta(minutes=10)
        clients.close()
        return week.writes


def main() -> None:
    print(f"{'mode':<16} {'category':<34} {'writes/week':>11} {'writes/day':>10}")
    for mode in ("per-submission", "weekly"):
        writes = simulate(mode)
        for category, n in sorted(writes.items()):
            print(f"{mode:<16} {category:<34} {n:>11} {n / 7:>10.1f}")
        total = sum(writes.values())
        print(f"{mode:<16} {'total':<34} {total:>11} {total / 7:>10.1f}")
    print(f"(the rolling PR's branch: {BRANCH})")


if __name__ == "__main__":
    main()

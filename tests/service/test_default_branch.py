"""Each repository's own default branch, in every job the service runs: a repository whose
default branch is ``master`` (and one renamed) on the fake GitHub, through the real worker."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.flows.routing import Task
from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub
from app.service.jobs import Worker
from app.service.queue import JobQueue, make_huey
from app.service.routes import router
from app.service.settings import Settings
from app.service.tasks import register
from tests.cli.test_service import clean_env, run
from tests.conftest import TODAY
from tests.fakes import MEMBER, REPO, report_body, settings_for
from tests.flows.payloads import payload
from tests.flows.test_normalize import asking
from tests.flows.test_weekly import Clock
from tests.service.test_weekly_jobs import CONFIG, DUE, reminders

MAIN_GONE = "README.md"  # the status a wrong base gives names the README as missing


def rename(gh: FakeGitHub, to: str) -> None:
    """The repository's default branch renamed (GitHub moves the branch: the old name is gone)."""
    repo = gh.repos[REPO]
    head = repo.git.head(repo.default_branch)
    assert head is not None
    repo.git.set_ref(to, head)
    repo.git._git("update-ref", "-d", f"refs/heads/{repo.default_branch}")
    repo.default_branch = to


@pytest.fixture
def clock() -> Clock:
    return Clock(DUE)


@pytest.fixture
def worker(gh: FakeGitHub, tmp_path: Path, clock: Clock) -> Iterator[Worker]:
    rename(gh, "master")
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    w = Worker(settings_for(gh), huey, clock=lambda zone: TODAY, now=clock)
    yield w
    w.clients.close()


def known(worker: Worker) -> dict[str, object]:
    """The Huey tasks, with group/log known to the queue (as a delivery makes it)."""
    tasks = register(worker.huey, worker)
    args = {"repo": REPO, "installation": None, "number": 99}
    JobQueue(worker.huey, tasks).accept("d-0", Task("issue_closed", args))
    worker.huey.storage.flush_queue()
    return tasks


def run_pending(worker: Worker) -> list[str]:
    outcomes = []
    while (task := worker.huey.dequeue()) is not None:
        outcomes.append(str(worker.huey.execute(task)))
    return outcomes


def submitted_on_master(gh: FakeGitHub) -> None:
    (pull,) = gh.repos[REPO].pulls.values()
    assert pull["base"] == "master"
    (status,) = [c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == 1]
    assert MAIN_GONE not in status and "已通过检查" in status


def test_the_periodic_reconcile_uses_the_repositorys_default_branch(
    gh: FakeGitHub, worker: Worker
) -> None:
    tasks = known(worker)
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)  # its delivery was lost
    tasks["reconcile_all"].call_local()  # type: ignore[attr-defined]
    assert run_pending(worker) == ["checked 1 issue(s), 1 submitted"]
    submitted_on_master(gh)


def test_the_start_up_reconcile_uses_the_repositorys_default_branch(
    gh: FakeGitHub, worker: Worker
) -> None:
    known(worker)
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    for hook in worker.huey._startup.values():  # what every Huey worker thread runs at start
        hook()
    try:
        assert run_pending(worker) == ["checked 1 issue(s), 1 submitted"]
    finally:
        worker.heartbeat.stop()
    submitted_on_master(gh)


def test_the_weekly_tick_refreshes_the_dashboard_and_reminds_on_master(
    gh: FakeGitHub, worker: Worker
) -> None:
    push_file(gh, REPO, branch="master", path=".github/paperbot.yml", text=CONFIG)
    tasks = known(worker)
    tasks["weekly_all"].call_local()  # type: ignore[attr-defined]
    assert run_pending(worker) == ["dashboard created; reminded 2"]
    (text,) = reminders(gh)
    assert "@newbie" in text and "@lin" in text


def test_a_delivery_names_the_branch_and_a_rename_is_picked_up(
    gh: FakeGitHub, worker: Worker, clock: Clock
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert worker.run("reconcile", repo=REPO, installation=None).endswith("1 submitted")
    assert gh.requests["GET repo"] == 1  # no delivery named it: GitHub was asked
    assert worker.run("reconcile", repo=REPO, installation=None).startswith("checked")
    assert gh.requests["GET repo"] == 2  # each such job asks (a 304 while unchanged)
    rename(gh, "trunk")  # a delivery after the rename names the new branch
    number = gh.create_issue(REPO, title="y", body=report_body(title="B"), login=MEMBER)["number"]
    got = worker.run("process_issue", repo=REPO, installation=None, base="trunk", number=number)
    assert got == "submitted" and bases(gh)[-1] == "trunk"
    assert worker.run("reconcile", repo=REPO, installation=None).startswith("checked")
    rename(gh, "develop")  # no delivery since: the record is refreshed once it is stale
    clock.at += dt.timedelta(hours=2)
    gh.create_issue(REPO, title="z", body=report_body(title="C"), login=MEMBER)
    assert worker.run("reconcile", repo=REPO, installation=None).endswith(" submitted")
    assert bases(gh)[-1] == "develop"


def bases(gh: FakeGitHub) -> list[str]:
    """The base branch of each PR, oldest first."""
    return [str(p["base"]) for p in gh.repos[REPO].pulls.values()]


def test_actions_on_schedule_asks_github_for_the_default_branch(
    tmp_path: Path, gh: FakeGitHub
) -> None:
    rename(gh, "master")
    push_file(gh, REPO, branch="master", path=".github/paperbot.yml", text="dashboard: true\n")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"schedule": "17 * * * *"}), encoding="utf-8")
    env = clean_env(
        GITHUB_EVENT_NAME="schedule",
        GITHUB_EVENT_PATH=str(event),
        GITHUB_REPOSITORY=REPO,
        GITHUB_REF_NAME="feature",  # a run dispatched from another branch
        GITHUB_TOKEN="t",
        GITHUB_API_URL=gh.base_url,
        PAPERBOT_WRITE_INTERVAL="0",
    )
    got = run(["action"], env, tmp_path)
    assert got.stdout == "outcome: dashboard created\n", got.stderr


def delivered(worker: Worker, event: str, body: dict[str, object]) -> str:
    """Route a delivery as the webhook does, and run its task as the worker does."""
    task = router.route(event, body)
    assert task is not None
    return worker.run(task.name, **task.args)  # type: ignore[arg-type]


def test_normalize_and_a_push_run_on_the_delivered_default_branch(
    gh: FakeGitHub, worker: Worker
) -> None:
    push_file(gh, REPO, branch="master", path=".github/paperbot.yml", text="dashboard: true\n")
    ask = asking(gh)
    ask["repository"]["default_branch"] = "master"  # type: ignore[index]
    assert delivered(worker, "issue_comment", ask) == "opened"
    assert bases(gh) == ["master"]
    push = payload("push", ref="refs/heads/master", deleted=False)
    push["repository"]["default_branch"] = "master"
    assert delivered(worker, "push", push).endswith("dashboard created")


def test_a_rename_with_no_delivery_since_is_picked_up_by_the_next_reconcile(
    gh: FakeGitHub, worker: Worker
) -> None:
    """GitHub sends no delivery the bot routes for a rename: a restart's (or the hourly)
    reconcile right after it must not tell every open submission README.md is gone."""
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert worker.run("reconcile", repo=REPO, installation=None).endswith("1 submitted")
    rename(gh, "main")  # master → main, minutes after the record was made
    assert worker.run("reconcile", repo=REPO, installation=None).endswith("1 submitted")
    (status,) = [c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == 1]
    assert MAIN_GONE not in status and "已通过检查" in status


def test_a_job_queued_before_a_rename_runs_on_the_new_branch(
    gh: FakeGitHub, worker: Worker
) -> None:
    """Deliveries named master; the maintainer renamed it to main before their jobs ran: each
    opens its PR on main, and no member is told README.md is missing on master."""
    numbers = [
        gh.create_issue(REPO, title="x", body=report_body(title=f"P{i}"), login=MEMBER)["number"]
        for i in range(2)
    ]
    rename(gh, "main")
    for n in numbers:
        got = worker.run("process_issue", repo=REPO, installation=None, base="master", number=n)
        assert got == "submitted"
    assert bases(gh) == ["main", "main"]
    statuses = [c["body"] for c in gh.repos[REPO].comments.values()]
    assert len(statuses) == 2 and all(MAIN_GONE not in s and "已通过检查" in s for s in statuses)
    assert gh.requests["GET repo"] == 2  # one question to GitHub per job that met the rename

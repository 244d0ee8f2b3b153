"""The onboarding PR end to end: real installation payloads, the fake GitHub, PyGithub over HTTP."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from app.core.config import load_config
from app.core.forms import render_forms
from app.flows import FLOWS
from app.flows.context import Context, MemoryLedger, clear_caches
from app.flows.routing import Skip, Task
from app.github.fake.pulls import close_pull, merge_pull, push_file
from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from app.service.routes import router
from tests.conftest import FIXTURES, TODAY
from tests.fakes import REPO, settings_for, writes

BRANCH = "paperbot/setup"
OTHER = "group/notes"
FILES = (
    ".github/ISSUE_TEMPLATE/paper-report.yml",
    ".github/ISSUE_TEMPLATE/skip-week.yml",
    ".github/paperbot.yml",
)


def installed(*names: str, event: str = "installation.created") -> dict[str, Any]:
    """GitHub's example delivery for ``event``, listing the repositories ``names``."""
    data = json.loads((FIXTURES / "webhooks" / f"{event}.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    key = "repositories" if event.startswith("installation.") else "repositories_added"
    template = data[key][0]
    data[key] = [{**template, "full_name": n, "name": n.split("/")[1]} for n in names]
    return data


@pytest.fixture
def clients(gh: FakeGitHub) -> Iterator[Clients]:
    made = Clients(settings_for(gh))
    yield made
    made.close()


LEDGER = MemoryLedger()  # the queue's storage: it outlives a process (each test gets its own)


@pytest.fixture(autouse=True)
def ledger() -> None:
    global LEDGER
    LEDGER = MemoryLedger()


def context(clients: Clients, *, others: bool = True) -> Context:
    return Context(
        port=clients.repo(REPO, None),
        base="main",
        clock=lambda zone: TODAY,
        ledger=LEDGER,
        others=(lambda name: clients.repo(name, None)) if others else None,
    )


def deliver(
    clients: Clients, body: dict[str, Any], event: str = "installation", *, others: bool = True
) -> str:
    """Route the delivery as the webhook does and run its flow as a worker does."""
    task = router.route(event, body)
    assert task is not None
    return FLOWS[task.name](context(clients, others=others), repos=task.args["repos"])


def setup_pulls(gh: FakeGitHub, name: str = REPO) -> list[dict[str, Any]]:
    return [p for p in gh.repos[name].pulls.values() if p["head"] == BRANCH]


def on_branch(gh: FakeGitHub, path: str, name: str = REPO) -> str:
    got = gh.repos[name].git.read(BRANCH, path)
    assert got is not None, path
    return got[0].decode()


@pytest.mark.parametrize(
    ("event", "fixture", "expected"),
    [
        ("installation", "installation.created", "onboard"),
        ("installation_repositories", "installation_repositories.added", "onboard"),
        (
            "installation",
            "installation.deleted",
            "installation changes need no work: tokens are minted per job",
        ),
    ],
)
def test_installing_routes_to_the_onboarding(event: str, fixture: str, expected: str) -> None:
    data = json.loads((FIXTURES / "webhooks" / f"{fixture}.json").read_text(encoding="utf-8"))
    got = router.decide(event, data)
    if isinstance(got, Task):
        assert got.name == expected
        assert got.args["installation"] == data["installation"]["id"]
        listed = data.get("repositories") or data["repositories_added"]
        assert got.args["repos"] == " ".join(r["full_name"] for r in listed)
    else:
        assert got == Skip(expected)


def test_the_seed_readme_gets_one_setup_pr(gh: FakeGitHub, clients: Clients) -> None:
    assert deliver(clients, installed(REPO)) == f"onboarding: {REPO}: opened setup PR #1"
    (pull,) = setup_pulls(gh)
    assert pull["user"]["login"] == "group-bot" and pull["base"] == "main"
    assert pull["title"] == "配置 paperbot：精读报告表单与设置"
    body = pull["body"]
    assert "144 条记录（93 篇精读，51 次本周未精读），最近一条 2025-07-06" in body
    assert "10 位成员（记录数）：陈银 (20)、张雪松 (18)" in body
    assert "`paperbot lint` 发现 4 处可能的问题" in body
    assert "249: duplicate: 与第 214 行是同一条记录（陈银）" in body
    forms = f"{gh.base_url}/group/log/issues/new?template="
    assert f"({forms}paper-report.yml)" in body and f"({forms}skip-week.yml)" in body


def test_the_forms_are_valid_issue_forms(gh: FakeGitHub, clients: Clients) -> None:
    deliver(clients, installed(REPO))
    for name, text in render_forms("zh").items():
        shipped = on_branch(gh, f".github/ISSUE_TEMPLATE/{name}")
        assert shipped == text
        form = yaml.safe_load(shipped)
        assert {"name", "description", "body"} <= form.keys()
        ids = [e["id"] for e in form["body"] if e["type"] != "markdown"]
        assert len(ids) == len(set(ids)) and all(e["attributes"]["label"] for e in form["body"][1:])


def test_the_config_knows_the_group(gh: FakeGitHub, clients: Clients) -> None:
    deliver(clients, installed(REPO))
    text = on_branch(gh, ".github/paperbot.yml")
    config = load_config(text)
    assert (config.language, config.week_start, config.members) == ("zh", "monday", {})
    assert '#   LOGIN: "陈银"  # 20 条记录（18 篇精读），最近 2025-06-29' in text
    assert text.count("#   LOGIN: ") == 10
    assert '# reminders: {weekday: sunday, time: "20:00"}' in text
    lines = [
        line.removeprefix("# ") if line.startswith(("#   LOGIN", "# members:")) else line
        for line in text.splitlines()
    ]
    filled = [line.replace("LOGIN", f"login{i}") for i, line in enumerate(lines)]
    uncommented = load_config("\n".join(filled))  # what a maintainer does: logins, no #
    assert sorted(m.name for m in uncommented.members.values())[:2] == ["于洋晨", "何艺超"]
    assert len(uncommented.members) == 10


def test_redeliveries_and_restarts_write_nothing(gh: FakeGitHub, clients: Clients) -> None:
    deliver(clients, installed(REPO))
    before = writes(gh)
    assert deliver(clients, installed(REPO)) == f"onboarding: {REPO}: setup PR #1 is open"
    clear_caches()
    fresh = Clients(settings_for(gh))  # a new process
    try:
        assert deliver(
            fresh,
            installed(REPO, event="installation_repositories.added"),
            event="installation_repositories",
        ).endswith("setup PR #1 is open")
    finally:
        fresh.close()
    assert writes(gh) == before and len(setup_pulls(gh)) == 1


def test_a_setup_pr_closed_unmerged_is_never_reopened(gh: FakeGitHub, clients: Clients) -> None:
    deliver(clients, installed(REPO))
    close_pull(gh, REPO, number=1)
    before = writes(gh)
    got = deliver(clients, installed(REPO))
    assert got.endswith("setup PR #1 was closed unmerged; it is never reopened")
    assert writes(gh) == before and setup_pulls(gh)[0]["state"] == "closed"


def test_after_the_merge_nothing_more(gh: FakeGitHub, clients: Clients) -> None:
    deliver(clients, installed(REPO))
    merge_pull(gh, REPO, number=1)
    before = writes(gh)
    assert deliver(clients, installed(REPO)).endswith("setup PR #1 was merged")
    assert writes(gh) == before


@pytest.mark.parametrize(
    ("files", "why"),
    [
        (
            {".github/ISSUE_TEMPLATE/skip-week.yml": "name: x\n"},
            "already has the forms (.github/ISSUE_TEMPLATE/skip-week.yml)",
        ),
        (
            {"README.md": "# Our group\n\nNo log here.\n"},
            "no marker line: README.md 中找不到插入标记",
        ),
        ({"NOTES.md": "x\n"}, "no README.md"),
    ],
)
def test_no_pr_and_no_branch_and_the_log_says_why(
    gh: FakeGitHub, clients: Clients, seed: str, files: dict[str, str], why: str
) -> None:
    gh.create_repo(OTHER, {"README.md": seed, **files} if "NOTES.md" not in files else files)
    got = deliver(clients, installed(OTHER, REPO))
    assert got.startswith(f"onboarding: {OTHER}: {why}")
    assert got.endswith(f"{REPO}: opened setup PR #1")
    assert gh.repos[OTHER].git.head(BRANCH) is None and not gh.repos[OTHER].pulls


def test_a_config_written_by_hand_is_kept(gh: FakeGitHub, clients: Clients) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="language: en\n")
    deliver(clients, installed(REPO))
    assert on_branch(gh, ".github/paperbot.yml") == "language: en\n"
    form = on_branch(gh, ".github/ISSUE_TEMPLATE/paper-report.yml")
    assert form == render_forms("en")["paper-report.yml"]  # in the config's language
    assert setup_pulls(gh)[0]["title"] == "Set up paperbot: the report forms and settings"


AWESOME = "# Awesome papers\n\nA list.\n\n<!-- paperbot:insert -->\n- [A](https://a.example) — x\n"
MARKER_ONLY = 'marker: "<!-- paperbot:insert -->"\n'


def test_a_kept_config_that_sets_no_language_gets_the_readmes(
    gh: FakeGitHub, clients: Clients
) -> None:
    """An English awesome list's own config (its marker) set no language: the PR said
    'language: English' and brought English forms, yet the bot then wrote Chinese."""
    push_file(gh, REPO, branch="main", path="README.md", text=AWESOME)
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text=MARKER_ONLY)
    deliver(clients, installed(REPO))
    text = on_branch(gh, ".github/paperbot.yml")
    assert text.startswith(MARKER_ONLY) and text.endswith("\nlanguage: en\n")
    assert load_config(text).language == "en"
    body = setup_pulls(gh)[0]["body"]
    assert "- `.github/paperbot.yml`: yours, kept; `language: en` added at its end" in body


def test_the_owners_config_is_not_shadowed(gh: FakeGitHub, clients: Clients) -> None:
    """An organisation keeps one .github/paperbot.yml for its groups: the setup PR added a
    repository config, which replaces the owner's whole (its template, members, time zone)."""
    owner = 'language: en\ntimezone: America/New_York\nmarker: "<!-- paperbot:insert -->"\n'
    gh.create_repo("group/.github", {".github/paperbot.yml": owner})
    push_file(gh, REPO, branch="main", path="README.md", text=AWESOME)
    assert deliver(clients, installed(REPO)).endswith("opened setup PR #1")
    assert gh.repos[REPO].git.read(BRANCH, ".github/paperbot.yml") is None
    (pull,) = setup_pulls(gh)
    assert pull["title"] == "Set up paperbot: the report forms and settings"
    assert "the owner's `.github` repository's `.github/paperbot.yml` applies" in pull["body"]


def test_a_kept_config_is_not_said_to_be_added(gh: FakeGitHub, clients: Clients) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="language: zh\n")
    deliver(clients, installed(REPO))
    body = setup_pulls(gh)[0]["body"]
    assert "- `.github/paperbot.yml`：你的设置，保持不变" in body
    assert "上面推断的设置" not in body


@pytest.mark.parametrize(
    "message", ["a human edit", "Set up paperbot\n\nPaperbot-Setup: .github/paperbot.yml\n"]
)
def test_a_branch_someone_pushed_to_is_left_alone(
    gh: FakeGitHub, clients: Clients, message: str
) -> None:
    main = gh.repos[REPO].git.head("main")
    gh.repos[REPO].git.set_ref(BRANCH, main)
    push_file(gh, REPO, branch=BRANCH, path="mine.md", text="mine\n", message=message)
    got = deliver(clients, installed(REPO))  # a copied trailer proves nothing
    assert got.endswith(f"{BRANCH} holds commits paperbot did not write; it is left alone")
    assert on_branch(gh, "mine.md") == "mine\n" and not setup_pulls(gh)


def test_a_branch_that_adds_nothing_is_taken(gh: FakeGitHub, clients: Clients) -> None:
    gh.repos[REPO].git.set_ref(BRANCH, gh.repos[REPO].git.head("main"))
    assert deliver(clients, installed(REPO)).endswith("opened setup PR #1")


def test_a_run_that_reaches_one_repository_sets_up_only_that_one(
    gh: FakeGitHub, clients: Clients, seed: str
) -> None:
    gh.create_repo(OTHER, {"README.md": seed})
    got = deliver(clients, installed(OTHER, REPO), others=False)
    assert got == (
        f"onboarding: {OTHER}: not reached: this run acts on {REPO} only; "
        f"{REPO}: opened setup PR #1"
    )
    assert not gh.repos[OTHER].pulls


def test_an_invalid_config_is_said_and_stops_no_other(
    gh: FakeGitHub, clients: Clients, seed: str
) -> None:
    gh.create_repo(OTHER, {"README.md": seed, ".github/paperbot.yml": "language: fr\n"})
    got = deliver(clients, installed(OTHER, REPO))
    # the config cannot say its language (fr), so its error is in zh, the default
    assert got.startswith(f"onboarding: {OTHER}: not set up: .github/paperbot.yml 中有无效的选项")
    assert "\n" not in got  # one log line
    assert got.endswith(f"{REPO}: opened setup PR #1") and not gh.repos[OTHER].pulls


def test_a_crash_before_the_pr_is_finished_next_time(gh: FakeGitHub, clients: Clients) -> None:
    from app.github.fake.server import Fault
    from app.github.port import Transient

    gh.faults.append(Fault("pulls", 500, method="POST"))
    with pytest.raises(Transient):
        deliver(clients, installed(REPO))
    assert deliver(clients, installed(REPO)).endswith("opened setup PR #1")
    assert [on_branch(gh, path) for path in FILES]


def test_an_amended_setup_commit_is_left_alone(gh: FakeGitHub, clients: Clients) -> None:
    """The bot's try died before its PR; a maintainer then amended its last commit, which
    keeps the trailer: the next try must not reset the branch over the amend."""
    from app.github.fake.server import Fault
    from app.github.port import Transient

    gh.faults.append(Fault("pulls", 500, method="POST"))
    with pytest.raises(Transient):
        deliver(clients, installed(REPO))
    git = gh.repos[REPO].git
    head = git.head(BRANCH)
    assert head is not None
    message = git.message(head) or ""
    assert "Paperbot-Setup:" in message
    git.set_ref(BRANCH, git._git("rev-parse", f"{head}^"))
    push_file(
        gh, REPO, branch=BRANCH, path=".github/paperbot.yml", text="language: en\n", message=message
    )
    got = deliver(clients, installed(REPO))
    assert got.endswith(f"{BRANCH} holds commits paperbot did not write; it is left alone")
    assert on_branch(gh, ".github/paperbot.yml") == "language: en\n" and not setup_pulls(gh)


def pushed(*paths: str, name: str = REPO) -> dict[str, Any]:
    """GitHub's push delivery to ``name``'s default branch, one commit changing ``paths``."""
    data = json.loads((FIXTURES / "webhooks" / "push.json").read_text(encoding="utf-8"))
    data.update(ref="refs/heads/main", deleted=False, created=False)
    data["repository"].update(full_name=name, name=name.split("/")[1], default_branch="main")
    commit = {"id": "1" * 40, "message": "edit", "added": [], "removed": [], "modified": paths}
    data["commits"], data["head_commit"] = [commit], commit
    return data


def push(clients: Clients, body: dict[str, Any]) -> str:
    """Route a push as the webhook does and run its task as a worker does."""
    task = router.route("push", body)
    assert task is not None and task.name == "regenerate"
    args = {k: v for k, v in task.args.items() if k in ("setup",)}
    return FLOWS[task.name](context(clients), **args)


@pytest.mark.parametrize(
    ("paths", "setup"),
    [
        (("README.md",), True),
        (("docs/log.MD",), True),
        ((".github/paperbot.yml",), True),
        ((".github/workflows/paperbot.yml",), True),  # Actions: the push adding the workflow
        (("src/main.py", "LICENSE"), False),
        ((), False),
    ],
)
def test_a_push_that_may_ready_a_repository_asks_for_its_setup(
    paths: tuple[str, ...], setup: bool
) -> None:
    task = router.route("push", pushed(*paths))
    assert task is not None and task.name == "regenerate"
    assert bool(task.args.get("setup")) is setup


def test_a_marker_added_after_installing_gets_the_setup_pr(
    gh: FakeGitHub, clients: Clients, seed: str
) -> None:
    """A new group installs the App first, then writes its README: nothing could ever set
    it up before (installing was the only trigger, and found no marker)."""
    push_file(gh, REPO, branch="main", path="README.md", text="# 论文精读小组\n")
    assert "no marker line" in deliver(clients, installed(REPO))
    assert push(clients, pushed("NOTES.md")).startswith("onboarding: no marker line")
    marker = "# 论文精读小组\n\n> ==> 时间倒序，本次更新插入位置 <==\n"
    push_file(gh, REPO, branch="main", path="README.md", text=marker)
    got = push(clients, pushed("README.md"))
    assert got.startswith("onboarding: opened setup PR #1;")
    (pull,) = setup_pulls(gh)
    assert pull["title"] == "配置 paperbot：精读报告表单与设置"
    before = writes(gh)
    assert push(clients, pushed("README.md")).startswith("onboarding: done before;")
    assert writes(gh) == before and len(setup_pulls(gh)) == 1


def test_an_awesome_list_whose_config_comes_after_installing(
    gh: FakeGitHub, clients: Clients
) -> None:
    readme = "\ufeff# Awesome\r\n\r\n<!-- paperbot:insert -->\r\n- [A](https://a.example) — x\r\n"
    git = gh.repos[REPO].git
    git.set_ref(
        "main",
        git.commit_file(
            parent=git.head("main"), path="README.md", data=readme.encode(), message="awesome"
        ),
    )
    assert "no marker line" in deliver(clients, installed(REPO))
    config = 'language: en\nmarker: "<!-- paperbot:insert -->"\n'
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text=config)
    assert push(clients, pushed(".github/paperbot.yml")).startswith("onboarding: opened setup PR")
    (pull,) = setup_pulls(gh)
    assert pull["title"] == "Set up paperbot: the report forms and settings"
    assert on_branch(gh, ".github/paperbot.yml") == config  # kept as the maintainer wrote it


def test_a_repository_set_up_before_is_settled_by_the_first_push(
    gh: FakeGitHub, clients: Clients
) -> None:
    deliver(clients, installed(REPO))
    merge_pull(gh, REPO, number=1)
    assert push(clients, pushed("README.md")).startswith("onboarding: setup PR #1 was merged;")
    cost = []
    for paths in (("src/app.py",), ("README.md",)):
        gh.requests.clear()
        push(clients, pushed(*paths))
        cost.append(sum(gh.requests.values()))
    assert cost[0] == cost[1]  # a settled repository's pushes cost nothing more

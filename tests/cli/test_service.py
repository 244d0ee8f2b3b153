"""receive (replay, dry run, offline), action and demo, run as a user runs them."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.github.fake.server import FakeGitHub, Fault
from app.service.queue import make_huey
from app.service.settings import Settings
from tests.conftest import FIXTURES
from tests.fakes import MEMBER, REPO, report_body
from tests.service import mounts
from tests.service.test_webhook import payload


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PAPERBOT_"))}
    return {**env, **extra}


def action_env(gh: FakeGitHub, event: str, path: Path, **extra: str) -> dict[str, str]:
    """What a workflow step running ``paperbot action`` for ``event`` has in its environment."""
    return clean_env(
        GITHUB_EVENT_NAME=event,
        GITHUB_EVENT_PATH=str(path),
        GITHUB_REPOSITORY=REPO,
        GITHUB_TOKEN="t",
        GITHUB_API_URL=gh.base_url,
        PAPERBOT_WRITE_INTERVAL="0",
        **extra,
    )


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def delivery(tmp_path: Path, number: int = 1, body: str | None = None) -> Path:
    data = copy.deepcopy(payload("issues.opened"))
    data["repository"].update(full_name=REPO, name="log", default_branch="main")
    data["issue"].update(number=number, body=body or report_body())
    data["issue"]["user"]["login"] = MEMBER
    path = tmp_path / "delivery.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_receive_offline_needs_no_github(tmp_path: Path) -> None:
    got = run(
        [
            "receive",
            "--event",
            "issues",
            str(delivery(tmp_path)),
            "--readme",
            str(FIXTURES / "seed_README.md"),
        ],
        clean_env(),
        tmp_path,
    )
    assert got.returncode == 0, got.stderr
    out = got.stdout
    assert out.startswith("outcome: submitted\n")
    assert "== 将创建分支: paperbot/issue-1" in out
    assert "+> > [2025-07-06]-[新人]-[A Paper](https://arxiv.org/abs/2401.00001)" in out
    assert "== 将打开 PR: paperbot/issue-1 → main\n周报: 2025-07-06 新人 — A Paper" in out
    assert "== 将评论: #1" in out and "would" not in out


def test_the_dry_run_text_follows_the_config_language(tmp_path: Path) -> None:
    config = tmp_path / "paperbot.yml"
    config.write_text("language: en\n", encoding="utf-8")
    seed = str(FIXTURES / "seed_README.md")
    args = ["receive", "--event", "issues", str(delivery(tmp_path)), "--readme", seed]
    got = run([*args, "--config", str(config)], clean_env(), tmp_path)
    assert got.returncode == 0, got.stderr
    assert "== would open pull request: paperbot/issue-1 → main\nReading log: " in got.stdout
    assert "== would comment: #1" in got.stdout and "将" not in got.stdout


def test_receive_dry_run_reads_github_and_writes_nothing(tmp_path: Path, gh: FakeGitHub) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    env = clean_env(GITHUB_TOKEN="t", GITHUB_API_URL=gh.base_url)
    got = run(["receive", "--event", "issues", str(delivery(tmp_path)), "--dry-run"], env, tmp_path)
    assert got.returncode == 0, got.stderr
    assert "outcome: submitted" in got.stdout and "== 将打开 PR" in got.stdout
    assert gh.requests and all(k.startswith("GET") for k in gh.requests)
    assert not gh.repos[REPO].pulls


def test_receive_for_real_replays_a_saved_delivery(tmp_path: Path, gh: FakeGitHub) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    env = clean_env(GITHUB_TOKEN="t", GITHUB_API_URL=gh.base_url, PAPERBOT_WRITE_INTERVAL="0")
    got = run(["receive", "--event", "issues", str(delivery(tmp_path))], env, tmp_path)
    assert got.stdout == "outcome: submitted\n" and len(gh.repos[REPO].pulls) == 1


def test_action_mode_runs_once_against_github(tmp_path: Path, gh: FakeGitHub) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    env = action_env(gh, "issues", delivery(tmp_path))
    got = run(["action"], env, tmp_path)
    assert got.returncode == 0, got.stderr
    assert got.stdout == "outcome: submitted\n" and len(gh.repos[REPO].pulls) == 1
    gh.faults.append(Fault("issue", 503, times=10))
    failed = run(["action"], env, tmp_path)
    assert failed.returncode == 1 and "503" in failed.stderr


def test_action_mode_with_a_machine_users_token_regenerates_after_a_merge(
    tmp_path: Path, gh: FakeGitHub
) -> None:
    from app.github.fake.pulls import merge_pull

    gh.token_user = "lab-bot"  # the workflow runs with a machine user's token
    env = clean_env(
        GITHUB_ACTIONS="true",
        GITHUB_EVENT_NAME="issues",
        GITHUB_REPOSITORY=REPO,
        GITHUB_TOKEN="t",
        GITHUB_API_URL=gh.base_url,
        PAPERBOT_WRITE_INTERVAL="0",
    )
    numbers = []
    for n in (1, 2):
        body = report_body(name=f"成员{n}")
        numbers.append(gh.create_issue(REPO, title="x", body=body, login=MEMBER)["number"])
        event = delivery(tmp_path, numbers[-1], body=body)
        got = run(["action"], {**env, "GITHUB_EVENT_PATH": str(event)}, tmp_path)
        assert got.stdout == "outcome: submitted\n", got.stderr
    (first,) = [
        p
        for p in gh.repos[REPO].pulls
        if gh.repos[REPO].pulls[p]["head"].endswith(f"-{numbers[0]}")
    ]
    merge_pull(gh, REPO, number=first)
    push = copy.deepcopy(payload("push"))
    push.update(ref="refs/heads/main", deleted=False)
    push["repository"].update(full_name=REPO, name="log", default_branch="main")
    path = tmp_path / "push.json"
    path.write_text(json.dumps(push), encoding="utf-8")
    got = run(
        ["action"], {**env, "GITHUB_EVENT_NAME": "push", "GITHUB_EVENT_PATH": str(path)}, tmp_path
    )
    assert got.returncode == 0, got.stderr
    assert got.stdout.startswith(f"outcome: #{numbers[1]}: "), got.stdout


def test_action_mode_sets_the_repository_up_at_the_push_adding_the_workflow(
    tmp_path: Path, gh: FakeGitHub
) -> None:
    """Actions has no installation event: the workflow's first run (the push that adds it,
    with GitHub's own token) opens the setup PR, as installing the App does."""
    from app.github.fake.pulls import push_file

    gh.user_forbidden, gh.token_user = True, "github-actions[bot]"  # Actions' GITHUB_TOKEN
    workflow = (ROOT / "deploy" / "workflows" / "paperbot.yml").read_text(encoding="utf-8")
    push_file(gh, REPO, branch="main", path=".github/workflows/paperbot.yml", text=workflow)
    push = copy.deepcopy(payload("push"))
    push.update(ref="refs/heads/main", deleted=False)
    push["repository"].update(full_name=REPO, name="log", default_branch="main")
    added = {"id": "2" * 40, "added": [".github/workflows/paperbot.yml"], "modified": []}
    push["commits"], push["head_commit"] = [added], added
    path = tmp_path / "push.json"
    path.write_text(json.dumps(push), encoding="utf-8")
    env = action_env(gh, "push", path, GITHUB_ACTIONS="true")
    got = run(["action"], env, tmp_path)
    assert got.returncode == 0, got.stderr
    assert got.stdout.startswith("outcome: onboarding: opened setup PR #1;"), got.stdout
    (pull,) = gh.repos[REPO].pulls.values()
    assert pull["head"] == "paperbot/setup" and pull["user"]["login"] == "github-actions[bot]"
    again = run(["action"], env, tmp_path)  # a new run, a new process: the PR is found
    assert again.stdout.startswith("outcome: onboarding: setup PR #1 is open;"), again.stdout
    assert len(gh.repos[REPO].pulls) == 1


def test_action_mode_on_schedule_keeps_one_dashboard(tmp_path: Path, gh: FakeGitHub) -> None:
    from app.github.fake.pulls import push_file

    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="dashboard: true\n")
    event = tmp_path / "event.json"
    event.write_text('{"schedule": "17 * * * *"}', encoding="utf-8")
    env = clean_env(
        GITHUB_EVENT_NAME="schedule",
        GITHUB_EVENT_PATH=str(event),
        GITHUB_REPOSITORY=REPO,
        GITHUB_REF_NAME="main",
        GITHUB_TOKEN="t",
        GITHUB_API_URL=gh.base_url,
        PAPERBOT_WRITE_INTERVAL="0",
    )
    first, second = run(["action"], env, tmp_path), run(["action"], env, tmp_path)
    assert first.stdout == "outcome: dashboard created\n", first.stderr
    assert second.stdout == "outcome: dashboard unchanged\n", second.stderr
    (board,) = [i for i in gh.repos[REPO].issues.values() if i["title"] == "📚 精读看板"]
    assert board["body"].startswith("<!-- paperbot:dashboard -->")


def test_action_mode_outside_actions_says_what_is_missing(tmp_path: Path) -> None:
    got = run(["action"], clean_env(), tmp_path)
    assert got.returncode == 2
    assert got.stderr.startswith("paperbot: error: GITHUB_EVENT_NAME: is required")


def test_receive_rejects_a_file_that_is_not_a_delivery(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[1]", encoding="utf-8")
    got = run(
        ["receive", "--event", "issues", "x.json", "--readme", "x.json"], clean_env(), tmp_path
    )
    assert got.returncode == 2 and "not a GitHub webhook payload" in got.stderr


def test_demo_tells_the_story_in_the_repository_language(tmp_path: Path) -> None:
    got = run(["demo"], clean_env(), tmp_path)
    assert got.returncode == 0, got.stderr
    out = got.stdout
    story = [
        "=== @zhangyu 用表单提交了 issue #1：[周报] Attention Is All You Need\n### 日期",
        "=== paperbot 在 issue #1 的回复\n已通过检查，PR：https://github.com/demo/reading-group/pull/2。",
        "论文信息：\n- **来源**: 已根据 arXiv + DBLP 填写：NIPS 2017",  # the bundled stand-ins
        "=== pull request #2：周报: 2025-07-13 张宇 — Attention Is All You Need\nCloses #1\n\n"
        "由 @zhangyu 在 #1 中提交",
        "+> > [2025-07-13]-[张宇]-[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
        "-[NIPS 2017]",
        "=== @lisi 用表单提交了 issue #3：[周报] Deep Residual Learning for Image Recognition",
        "=== paperbot 在 issue #3 的回复\n请修改 issue 中的以下字段",
        "- **日期**: 日期格式应为 YYYY-MM-DD",
        "完成：issue #1 成为 pull request #2",
    ]
    places = [out.find(part) for part in story]
    assert -1 not in places and places == sorted(places), places
    assert out.rstrip().endswith("README 中的「Running the bot」一节。")
    assert "运行 paperbot setup --webhook-url" in out  # what comes next: the setup page
    assert "<!--" not in out and "127.0.0.1" not in out and "paperbot:" not in out
    assert "未能查到" not in out


def test_demo_in_english_writes_every_message_in_english(tmp_path: Path) -> None:
    got = run(["demo", "--language", "en"], clean_env(), tmp_path)
    assert got.returncode == 0, got.stderr
    out = got.stdout
    assert "=== pull request #2: Reading log: 2025-07-13 Zhang Yu — Attention" in out
    assert "Closes #1\n\nSubmitted by @zhangyu in #1; generated by paperbot" in out
    assert "All fields check out; pull request: https://github.com/demo/reading-group/pull/2" in out
    assert "- **Date**: should be a date as YYYY-MM-DD" in out
    assert "About the paper:\n- **Venue**: filled in from arXiv + DBLP: NIPS 2017" in out
    assert "Done: issue #1 became pull request #2" in out
    assert not [w for w in ("周报", "请修改", "已通过", "完成") if w in out]
    assert "<!--" not in out and "127.0.0.1" not in out


def test_weekly_demo_shows_a_week_in_fast_forward(tmp_path: Path) -> None:
    got = run(["demo", "--weekly"], clean_env(), tmp_path)
    assert got.returncode == 0, got.stderr
    out = got.stdout
    story = [
        "##### 周一 07-07 09:00  定时任务（每日刷新）\n(paperbot: dashboard created)",
        "=== 看板 issue #1：📚 精读看板\n## 本周 · 2025-07-07 至 2025-07-13",
        "=== 合并 PR #3：周报：2025-07-07 周（1 篇）",
        "=== 合并 PR #3：周报：2025-07-07 周（3 篇）",
        "- 2025-07-11 **李四** — 本周未精读 (#5)",
        "(paperbot: dashboard updated; reminded 1)",
        "- ⏳ **张宇** 已提交，待合并：[PR 3]",
        "⏰ 本周（2025-07-07 起）还没有记录：@wangwu。",
        "(paperbot: merged; rolling pull: 0 pending; dashboard updated)",
        "- ✅ **张宇** [Attention Is All You Need](https://arxiv.org/abs/1706.03762)",
        "一周结束：4 次提交和编辑只用了一个 PR（#3，合并后关闭了 3 个 issue），看板 issue #1",
    ]
    places = [out.find(part) for part in story]
    assert -1 not in places and places == sorted(places), places
    assert "@zhaoliu" not in out and "赵六、" not in out  # remind: false
    assert "@何艺超" not in out and "何艺超" in out.split("⏰")[1]  # no login: named only
    assert out.count("=== 看板 issue #1") == 3 and "看板 issue #2" not in out
    assert "<!--" not in out and "127.0.0.1" not in out


SEED = (FIXTURES / "seed_README.md").read_text(encoding="utf-8")
LATE = SEED.replace("[2025-06-29]-[贾朋]", "[2025-10-01]-[贾朋]", 1)
TAKEN = SEED.replace("[2025-06-29]-[贾朋]", "[2025-07-13]-[张宇]", 1)


@pytest.mark.parametrize(("readme", "day"), [(LATE, "2025-10-02"), (TAKEN, "2025-07-14")])
def test_demo_dates_its_entry_after_the_readme_newest(
    tmp_path: Path, readme: str, day: str
) -> None:
    (tmp_path / "R.md").write_text(readme, encoding="utf-8")
    got = run(["demo", "--readme", "R.md"], clean_env(), tmp_path)
    assert got.returncode == 0, got.stderr
    assert f"+> > [{day}]-[张宇]-[Attention Is All You Need]" in got.stdout
    assert "完成：issue #1 成为 pull request #2" in got.stdout


def test_demo_with_a_readme_it_cannot_insert_into_says_why(tmp_path: Path) -> None:
    (tmp_path / "R.md").write_text("# Notes\n\nno marker here\n", encoding="utf-8")
    got = run(["demo", "--readme", "R.md"], clean_env(), tmp_path)
    assert got.returncode == 1 and "Traceback" not in got.stderr, got.stderr
    assert "README.md 中找不到插入标记" in got.stdout
    assert "演示到此为止：这份 README 收不下演示的记录" in got.stdout


ROOT = Path(__file__).parents[2]
NO_CREDENTIALS = (
    "paperbot: error: GITHUB_TOKEN: no GitHub credentials; set GITHUB_TOKEN, "
    "or GITHUB_APP_ID with GITHUB_APP_PRIVATE_KEY_PATH"
)


@pytest.mark.parametrize("command", ["serve", "worker", "action"])
def test_service_commands_refuse_to_start_without_credentials(tmp_path: Path, command: str) -> None:
    env = clean_env(
        GITHUB_WEBHOOK_SECRET="s",
        GITHUB_EVENT_NAME="issues",
        GITHUB_EVENT_PATH=str(delivery(tmp_path)),
        GITHUB_REPOSITORY=REPO,
    )
    got = run([command], env, tmp_path)
    assert (got.returncode, got.stderr.splitlines(), got.stdout) == (2, [NO_CREDENTIALS], "")


def test_serve_with_env_example_copied_names_each_variable_to_fix(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text((ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    got = run(["serve"], clean_env(), tmp_path)
    assert got.returncode == 2 and got.stderr.splitlines() == [
        "paperbot: error: GITHUB_WEBHOOK_SECRET: is still .env.example's placeholder "
        "'change-me'; set the secret you gave the App or webhook"
    ]
    env_file.write_text(
        env_file.read_text(encoding="utf-8").replace("change-me", "a-real-secret"),
        encoding="utf-8",
    )
    got = run(["serve"], clean_env(), tmp_path)
    assert got.returncode == 2 and got.stderr.splitlines() == [
        "paperbot: error: GITHUB_APP_PRIVATE_KEY_PATH: cannot read paperbot.private-key.pem "
        "(No such file or directory)"
    ]
    (tmp_path / "paperbot.private-key.pem").write_text("ssh-rsa AAAA… me@laptop\n")
    got = run(["worker"], clean_env(), tmp_path)
    assert got.returncode == 2 and got.stderr.splitlines() == [
        "paperbot: error: GITHUB_APP_PRIVATE_KEY_PATH: not a PEM private key "
        "(the App's .pem starts with -----BEGIN)"
    ]


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_a_data_dir_on_a_read_only_mount_stops_serve_and_worker_in_one_line(
    tmp_path: Path, command: str
) -> None:
    """A data dir that served before, now mounted read-only: not a start with a traceback
    per worker thread and a /healthz saying up, but one line naming the variable."""
    make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path / "data")).storage.close()  # served before
    with mounts.read_only(tmp_path / "data", at=tmp_path / "ro") as ro:
        env = clean_env(GITHUB_WEBHOOK_SECRET="s", GITHUB_TOKEN="t", PAPERBOT_DATA_DIR=str(ro))
        got = run([command, "--port", "0"] if command == "serve" else [command], env, tmp_path)
    assert (got.returncode, got.stderr.splitlines()) == (
        2,
        [
            f"paperbot: error: PAPERBOT_DATA_DIR: cannot write in {ro} (Read-only file system);"
            " the embedded queue keeps its jobs there"
        ],
    )


def test_serve_logs_its_auth_mode_queue_and_api_url_but_no_secret(tmp_path: Path) -> None:
    env = clean_env(
        GITHUB_WEBHOOK_SECRET="hook-hunter2",
        GITHUB_TOKEN="ghp_hunter2",
        GITHUB_API_URL="http://127.0.0.1:9/api/v3",
        PAPERBOT_DATA_DIR=str(tmp_path / "data"),
    )
    command = [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", "0"]
    proc = subprocess.Popen(command, env=env, cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        first = json.loads(proc.stderr.readline())
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    assert first["message"] == "paperbot serve"
    assert (first["auth"], first["api_url"], first["workers"]) == (
        "token",
        "http://127.0.0.1:9/api/v3",
        2,
    )
    assert first["queue"] == f"sqlite {tmp_path / 'data' / 'queue.db'}"
    assert "hunter2" not in json.dumps(first)


def _saved(tmp_path: Path, data: object) -> str:
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _issue_from_bot() -> dict[str, object]:
    data = payload("issues.opened")
    data["sender"] = {"login": "paperbot[bot]", "type": "Bot"}
    return data


def _closed_bot_pull() -> dict[str, object]:
    data = payload("pull_request.closed")
    data["pull_request"]["head"]["ref"] = "paperbot/issue-5"
    return data


@pytest.mark.parametrize(
    ("event", "data", "code", "says"),
    [
        ("ping", payload("ping"), 0, "outcome: ignored: no route for ping"),
        (
            "push",
            payload("push"),
            0,
            "outcome: ignored: push to refs/tags/simple-tag, not to the default branch master",
        ),
        (
            "pull_request",
            payload("pull_request.closed"),
            0,
            "outcome: ignored: pull request from changes,"
            " not a paperbot/issue-N or paperbot/batch branch",
        ),
        (
            "pull_request",
            _closed_bot_pull(),
            1,
            "paperbot: issue #5 is not in this delivery (offline, only its issue is known)",
        ),
        (
            "installation",
            payload("installation.deleted"),
            0,
            "outcome: ignored: installation changes need no work: tokens are minted per job",
        ),
        (
            "issue_comment",
            payload("issue_comment.created"),
            0,
            "outcome: ignored: not a submission: no form headings and no entry line",
        ),
        ("issues", _issue_from_bot(), 0, "outcome: ignored: sender paperbot[bot] is a bot"),
        ("star", {"action": "created"}, 0, "outcome: ignored: no route for star.created"),
        (
            "issues",
            {"action": "opened", "repository": {"full_name": "a/b"}},
            0,
            "outcome: ignored: the issues payload has no 'issue', which GitHub always sends",
        ),
        (
            "issues",
            {"action": "opened", "issue": [], "repository": {"full_name": "a/b"}},
            0,
            "outcome: ignored: the issues payload has a malformed field, which GitHub always sends",
        ),
        (
            "issues",
            {
                "action": "opened",
                "issue": {"number": "x", "body": 5},
                "repository": {"full_name": "a/b"},
            },
            0,
            "outcome: ignored: the issues payload has a malformed field, which GitHub always sends",
        ),
        (
            "issues",
            {},
            0,
            "outcome: ignored: the issues payload has no 'action', which GitHub always sends",
        ),
        (
            "push",
            {"repository": {"full_name": "a/b", "default_branch": "main"}},
            0,
            "outcome: ignored: the push payload has no 'ref', which GitHub always sends",
        ),
        (
            "push",
            {
                "ref": "refs/heads/main",
                "repository": {"full_name": "a/b", "default_branch": "main"},
            },
            0,
            "outcome: no open paperbot PRs; dashboard off",
        ),
    ],
)
def test_receive_says_what_it_did_with_any_event(
    tmp_path: Path, event: str, data: object, code: int, says: str
) -> None:
    readme = str(FIXTURES / "seed_README.md")
    got = run(
        ["receive", "--event", event, _saved(tmp_path, data), "--readme", readme],
        clean_env(),
        tmp_path,
    )
    assert "Traceback" not in got.stderr and "already matches" not in got.stdout
    assert got.returncode == code and says in (got.stdout + got.stderr).splitlines()


def test_receive_dry_run_without_credentials_names_the_variable(tmp_path: Path) -> None:
    got = run(
        ["receive", "--event", "issues", str(delivery(tmp_path)), "--dry-run"],
        clean_env(),
        tmp_path,
    )
    assert got.returncode == 2 and got.stderr.splitlines() == [
        f"{NO_CREDENTIALS}; or replay with no GitHub: --readme README.md"
    ]

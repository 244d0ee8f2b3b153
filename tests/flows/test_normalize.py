"""``/paperbot normalize`` end to end: real payloads, the fake GitHub, PyGithub over HTTP."""

from __future__ import annotations

import pytest

from app.core.config import Config
from app.core.normalize import normalize
from app.flows.context import Context
from app.flows.routing import Task
from app.github.fake.pulls import merge_pull, push_file
from app.github.fake.server import FakeGitHub
from app.service.routes import router
from tests.fakes import MEMBER, REPO, writes
from tests.flows.payloads import commented, deliver, payload

BRANCH = "paperbot/normalize"


def command(gh: FakeGitHub, ctx: Context, *, by: str = "maintainer", text: str = "") -> str:
    """A comment asking for the normalisation on a fresh issue; the run's outcome."""
    return deliver(ctx, "issue_comment", asking(gh, by=by, text=text))


def asking(gh: FakeGitHub, *, by: str = "maintainer", text: str = "") -> dict[str, object]:
    """A real comment asking for the normalisation on a fresh issue, and its delivery."""
    number = gh.create_issue(REPO, title="格式", body="请统一格式", login=by)["number"]
    return commented(gh, number, by, text or "/paperbot normalize\n\n谢谢")


def last_reply(gh: FakeGitHub) -> str:
    """The newest comment, which must be the bot's."""
    last = list(gh.repos[REPO].comments.values())[-1]
    assert last["user"]["login"] == "group-bot"  # type: ignore[index]
    return str(last["body"])


def readme(gh: FakeGitHub, ref: str) -> str:
    got = gh.repos[REPO].git.read(ref, "README.md")
    assert got is not None
    return got[0].decode()


def normalisation_pull(gh: FakeGitHub) -> dict[str, object]:
    (pull,) = [p for p in gh.repos[REPO].pulls.values() if p["head"] == BRANCH]
    return pull


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("/paperbot normalize", "normalize"),
        ("  /PaperBot   Normalize\r\nplease", "normalize"),
        ("/paperbot normalize the dates", "process_issue"),
        ("please /paperbot normalize", "process_issue"),
        ("/paperbot retry", "process_issue"),
    ],
)
def test_only_the_command_routes_to_the_normalisation(text: str, task: str) -> None:
    got = router.route("issue_comment", payload("issue_comment.created", comment__body=text))
    assert isinstance(got, Task) and got.name == task


def test_a_maintainer_gets_one_pull_request(gh: FakeGitHub, ctx: Context, seed: str) -> None:
    assert command(gh, ctx) == "opened"
    pull = normalisation_pull(gh)
    assert readme(gh, BRANCH) == normalize(seed, config=Config()).text
    assert pull["title"] == "README：135 条历史记录统一格式"
    body = str(pull["body"])
    assert "| 日期写成 YYYY-MM-DD（补零） | 25 |" in body and "已是当前格式：9 条。" in body
    assert "由 @\u2060maintainer 以 `/paperbot normalize` 请求" in body
    assert last_reply(gh) == f"已开启格式统一的 PR：{gh.base_url}/group/log/pull/{pull['number']}"
    assert pull["user"]["login"] == "group-bot"  # type: ignore[index]


def test_asking_again_changes_nothing_but_the_reply(gh: FakeGitHub, ctx: Context) -> None:
    command(gh, ctx)
    head = gh.repos[REPO].git.head(BRANCH)
    before = writes(gh)
    assert command(gh, ctx) == "updated"
    assert gh.repos[REPO].git.head(BRANCH) == head
    assert writes(gh) == before + 1  # the reply: no branch or PR write


def test_a_moved_base_rebuilds_the_branch(gh: FakeGitHub, ctx: Context) -> None:
    command(gh, ctx)
    push_file(gh, REPO, branch="main", path="NEWS.md", text="news\n", message="news")
    assert command(gh, ctx) == "updated"
    assert gh.repos[REPO].git.read(BRANCH, "NEWS.md") is not None


def test_after_the_merge_there_is_nothing_to_change(gh: FakeGitHub, ctx: Context) -> None:
    command(gh, ctx)
    merge_pull(gh, REPO, number=int(normalisation_pull(gh)["number"]))  # type: ignore[call-overload]
    pulls = len(gh.repos[REPO].pulls)
    assert command(gh, ctx) == "nothing to change"
    assert "中的 144 条记录都已是当前格式，无需改动" in last_reply(gh)
    assert len(gh.repos[REPO].pulls) == pulls


def test_an_open_one_no_longer_needed_is_closed(gh: FakeGitHub, ctx: Context, seed: str) -> None:
    command(gh, ctx)
    tidy = normalize(seed, config=Config()).text
    push_file(gh, REPO, branch="main", path="README.md", text=tidy)  # normalised by hand
    assert command(gh, ctx) == "nothing to change"
    assert normalisation_pull(gh)["state"] == "closed"


@pytest.mark.parametrize("login", [MEMBER, "reader"])
def test_only_maintainers(gh: FakeGitHub, ctx: Context, login: str) -> None:
    assert command(gh, ctx, by=login) == "not allowed"
    assert "maintain 或 admin" in last_reply(gh) and not gh.repos[REPO].pulls


def test_a_branch_someone_pushed_to_is_left_alone(gh: FakeGitHub, ctx: Context) -> None:
    command(gh, ctx)
    push_file(gh, REPO, branch=BRANCH, path="README.md", text="mine\n")
    push_file(gh, REPO, branch="main", path="NEWS.md", text="news\n")
    assert command(gh, ctx) == "human-touched"
    assert readme(gh, BRANCH) == "mine\n" and "不再覆盖" in last_reply(gh)


def test_english(gh: FakeGitHub, ctx: Context) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="language: en\n")
    assert command(gh, ctx) == "opened"
    assert normalisation_pull(gh)["title"] == "README: 135 historic entries in house style"
    assert last_reply(gh).startswith("Opened the normalisation pull request: ")


@pytest.mark.parametrize("then", ["deleted", "edited", "kept"])
def test_a_replayed_command_acts_only_while_its_comment_still_asks(
    gh: FakeGitHub, ctx: Context, then: str
) -> None:
    """A captured delivery re-sent under a new delivery id after the maintainer closed the PR:
    whether the comment is gone, says something else or still stands (a comment acts once),
    nothing is opened or said again."""
    captured = asking(gh)
    assert deliver(ctx, "issue_comment", captured) == "opened"
    pull = normalisation_pull(gh)
    pull["state"] = "closed"
    comment = gh.repos[REPO].comments[captured["comment"]["id"]]  # type: ignore[index]
    if then == "deleted":
        del gh.repos[REPO].comments[comment["id"]]
    elif then == "edited":
        comment["body"] = "never mind"
    before = writes(gh)
    got = deliver(ctx, "issue_comment", captured)
    assert writes(gh) == before and pull["state"] == "closed", got


def test_a_readme_with_many_entries_left_alone_still_gets_its_pull_request(
    gh: FakeGitHub, ctx: Context, seed: str
) -> None:
    """GitHub refuses a PR body over 65,536 characters: the list of entries left alone is cut,
    saying how many more there are."""
    marker = "> ==> 时间倒序，本次更新插入位置 <=="
    odd = "".join(
        f"> > [2025-02-30]-[成员{i}]-[T{i}](https://example.org/{i})\n>\n" for i in range(900)
    )
    push_file(
        gh, REPO, branch="main", path="README.md", text=seed.replace(marker, f"{marker}\n{odd}")
    )
    command(gh, ctx)
    body = str(normalisation_pull(gh)["body"])
    assert len(body) < 20_000
    assert "成员0" in body and "成员899" not in body

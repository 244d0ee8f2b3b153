"""The bot touches only what it wrote: its own status comment (never a copy of its marker),
its own PRs, and never an event it caused itself, whatever the sender's type."""

from __future__ import annotations

from app.core import messages
from app.flows.context import Context
from app.flows.submission import process_issue
from app.github.fake.server import FakeGitHub
from app.github.pygithub import Clients
from tests.fakes import (
    MEMBER,
    REPO,
    comments_on,
    context_for,
    pull_of,
    report_body,
    settings_for,
    submit,
    writes,
)
from tests.flows.payloads import deliver, payload

COPY = f"{messages.STATUS_MARK}\n我复制了机器人的标记\n"


def test_a_comment_copying_the_marker_is_never_edited(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(date="next week"), login=MEMBER)
    gh.add_comment(REPO, 1, login="reader", body=COPY)
    assert process_issue(ctx, 1) == "invalid"
    gh.repos[REPO].issues[1]["body"] = report_body()
    assert process_issue(ctx, 1) == "submitted"
    copy, status = comments_on(gh, 1)
    assert copy["body"] == COPY and copy["user"]["login"] == "reader"  # type: ignore[index]
    assert status["user"]["login"] == "group-bot" and "已通过检查" in str(status["body"])  # type: ignore[index]


def test_the_bots_own_events_are_dropped_even_from_a_user_sender(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    before = sum(gh.requests.values())
    # a repository webhook under token auth: the bot's status comment, sent by a `User`
    own = payload(
        "issue_comment.created",
        issue__number=number,
        comment__user__login="group-bot",
        comment__body=f"{messages.STATUS_MARK}\n已通过检查",
        sender__login="group-bot",
        sender__type="User",
    )
    assert deliver(ctx, "issue_comment", own) == "own event"
    assert sum(gh.requests.values()) == before
    member = payload("issue_comment.created", issue__number=number, sender__login=MEMBER)
    assert deliver(ctx, "issue_comment", member) == "submitted"


def test_the_bots_login_is_asked_once_per_process(gh: FakeGitHub) -> None:
    clients = Clients(settings_for(gh))
    first, second = clients.repo(REPO, None), clients.repo("group/other", None)
    assert first.known_login() is None
    assert first.bot_login() == second.bot_login() == "group-bot"
    assert gh.requests["GET user"] == 1 and second.known_login() == "group-bot"
    clients.close()


def test_what_the_bot_writes_teaches_it_its_login(gh: FakeGitHub) -> None:
    clients = Clients(settings_for(gh))
    ctx = context_for(clients)
    submit(gh, ctx)
    assert ctx.port.known_login() == "group-bot" and gh.requests["GET user"] == 0
    clients.close()


def test_an_open_pr_someone_else_opened_on_the_branch_is_left_alone(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    pull_of(gh, number)["user"] = {"login": MEMBER, "type": "User"}
    gh.repos[REPO].issues[number]["body"] = report_body(title="Changed")
    before = writes(gh)
    assert process_issue(ctx, number) == "human-touched"
    assert writes(gh) == before + 1  # only the status comment says why

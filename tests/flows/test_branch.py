"""One ownership rule for every branch the bot writes: it moves a branch only from the commit it
last wrote there (or one adding nothing to the default branch). An amend keeps the trailer, so a
trailer proves nothing; a person's commit is left alone and the open PR is told once."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable

import pytest

from app.core.batch import BRANCH as ROLLING
from app.flows.context import Context, clear_caches
from app.flows.submission import process_issue
from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub
from app.github.port import Conflict, RepoPort, Transient
from app.lookup.fake.server import FakeMetadata
from app.lookup.resolve import HttpLookup, pacings
from tests.fakes import MEMBER, REPO, report_body, submit
from tests.flows.test_normalize import command
from tests.service.test_e2e import wait_for

NOTE = "不是 paperbot 写入的"
Touch = Callable[[FakeGitHub, str], str]


def _commit(gh: FakeGitHub, branch: str, *, parent: str | None, message: str) -> str:
    """A person's commit of a README of their own on ``parent``, moved onto ``branch``."""
    git = gh.repos[REPO].git
    sha = git.commit_file(parent=parent, path="README.md", data=b"by hand\n", message=message)
    git.set_ref(branch, sha)
    return sha


def amend(gh: FakeGitHub, branch: str) -> str:
    """``git commit --amend`` of the bot's commit: same parent, same message and trailer."""
    git = gh.repos[REPO].git
    head = git.head(branch)
    assert head is not None
    parent = git._git("rev-parse", f"{head}^")
    return _commit(gh, branch, parent=parent, message=git.message(head) or "")


def on_top(gh: FakeGitHub, branch: str) -> str:
    """A commit on top of the bot's, its message copying the bot's (trailer included)."""
    git = gh.repos[REPO].git
    head = git.head(branch)
    assert head is not None
    return _commit(gh, branch, parent=head, message=git.message(head) or "")


def force_push(gh: FakeGitHub, branch: str) -> str:
    """The branch force-pushed to a new commit on the default branch, with the bot's message."""
    git = gh.repos[REPO].git
    head = git.head(branch)
    assert head is not None
    return _commit(gh, branch, parent=git.head("main"), message=git.message(head) or "")


TOUCHES = [pytest.param(t, id=t.__name__) for t in (amend, on_top, force_push)]


def notes_on(gh: FakeGitHub, branch: str) -> list[str]:
    """The comments on the open PR of ``branch`` saying the bot leaves it alone."""
    (pull,) = [p for p in gh.repos[REPO].pulls.values() if p["head"] == branch]
    found = [c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == pull["number"]]
    return [str(b) for b in found if NOTE in str(b)]


def weekly(gh: FakeGitHub) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="pull_requests: weekly\n")


@pytest.mark.parametrize("touch", TOUCHES)
def test_a_persons_commit_on_a_submission_branch_is_left_alone(
    gh: FakeGitHub, ctx: Context, touch: Touch
) -> None:
    number = submit(gh, ctx)
    theirs = touch(gh, "paperbot/issue-1")
    gh.repos[REPO].issues[number]["body"] = report_body(title="Changed")
    for _ in range(2):
        assert process_issue(ctx, number) == "human-touched"
    assert gh.repos[REPO].git.head("paperbot/issue-1") == theirs
    assert len(notes_on(gh, "paperbot/issue-1")) == 1


@pytest.mark.parametrize("touch", TOUCHES)
def test_a_persons_commit_on_the_rolling_branch_is_left_alone(
    gh: FakeGitHub, ctx: Context, touch: Touch
) -> None:
    weekly(gh)
    submit(gh, ctx)
    theirs = touch(gh, ROLLING)
    for title in ("Paper B", "Paper C"):
        number = gh.create_issue(REPO, title="x", body=report_body(title=title), login=MEMBER)
        assert process_issue(ctx, int(number["number"])) == "human-touched"
    assert gh.repos[REPO].git.head(ROLLING) == theirs
    assert len(notes_on(gh, ROLLING)) == 1


@pytest.mark.parametrize("touch", TOUCHES)
def test_a_persons_commit_on_the_normalisation_branch_is_left_alone(
    gh: FakeGitHub, ctx: Context, touch: Touch
) -> None:
    assert command(gh, ctx) == "opened"
    theirs = touch(gh, "paperbot/normalize")
    push_file(gh, REPO, branch="main", path="NEWS.md", text="news\n")  # the base moved
    for _ in range(2):
        assert command(gh, ctx) == "human-touched"
    assert gh.repos[REPO].git.head("paperbot/normalize") == theirs
    assert len(notes_on(gh, "paperbot/normalize")) == 1


def _by_hand(gh: FakeGitHub, branch: str, trailer: str) -> str:
    return _commit(gh, branch, parent=gh.repos[REPO].git.head("main"), message=f"x\n\n{trailer}")


def test_a_submission_branch_made_by_hand_before_any_pr(gh: FakeGitHub, ctx: Context) -> None:
    theirs = _by_hand(gh, "paperbot/issue-1", "Paperbot-Issue: #1")
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "human-touched"
    assert gh.repos[REPO].git.head("paperbot/issue-1") == theirs and not gh.repos[REPO].pulls


def test_a_rolling_branch_made_by_hand_before_any_pr(gh: FakeGitHub, ctx: Context) -> None:
    weekly(gh)
    theirs = _by_hand(gh, ROLLING, "Paperbot-Issue: #1")
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "human-touched"
    assert gh.repos[REPO].git.head(ROLLING) == theirs and not gh.repos[REPO].pulls


def test_a_normalisation_branch_made_by_hand_before_any_pr(gh: FakeGitHub, ctx: Context) -> None:
    theirs = _by_hand(gh, "paperbot/normalize", "Paperbot-Normalize: 3")
    assert command(gh, ctx) == "human-touched"
    assert gh.repos[REPO].git.head("paperbot/normalize") == theirs and not gh.repos[REPO].pulls


def test_the_bots_own_commit_without_a_pr_is_reused_from_the_ledger(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    ours = gh.repos[REPO].git.head("paperbot/issue-1")
    gh.repos[REPO].pulls.clear()  # the job died after its commit, before the PR was opened
    gh.repos[REPO].comments.clear()
    clear_caches()
    gh.repos[REPO].issues[number]["body"] = report_body(title="Changed")
    assert process_issue(ctx, number) == "submitted"
    assert gh.repos[REPO].git.head("paperbot/issue-1") != ours


def test_a_branch_adding_nothing_to_the_default_branch_is_moved(
    gh: FakeGitHub, ctx: Context
) -> None:
    weekly(gh)
    main = gh.repos[REPO].git.head("main")
    assert main is not None
    gh.repos[REPO].git.set_ref(ROLLING, main)  # made by hand, holding nothing
    push_file(gh, REPO, branch="main", path="NEWS.md", text="news\n")
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "submitted"


class AnswerLost:
    """The repository's real port, except that GitHub's answer to the commit never arrives
    (the job dies between GitHub writing the commit and paperbot learning its sha)."""

    def __init__(self, port: RepoPort) -> None:
        self.port = port

    def __getattr__(self, name: str) -> object:
        return getattr(self.port, name)

    def commit_file(self, **args: str) -> str:
        self.port.commit_file(**args)
        raise Transient("the connection dropped before GitHub answered")


def _die_mid_commit(gh: FakeGitHub, ctx: Context) -> int:
    number = int(gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)["number"])
    dying = dataclasses.replace(ctx, port=AnswerLost(ctx.port))  # type: ignore[arg-type]
    with pytest.raises(Transient):
        process_issue(dying, number)
    return number


def test_a_commit_whose_answer_was_lost_is_known_as_the_bots(gh: FakeGitHub, ctx: Context) -> None:
    number = _die_mid_commit(gh, ctx)
    assert gh.repos[REPO].git.head("paperbot/issue-1") != gh.repos[REPO].git.head("main")
    gh.repos[REPO].issues[number]["body"] = report_body(title="Changed")  # and it changed since
    assert process_issue(ctx, number) == "submitted" and len(gh.repos[REPO].pulls) == 1


def test_an_amend_of_a_commit_whose_answer_was_lost_is_left_alone(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = _die_mid_commit(gh, ctx)
    theirs = amend(gh, "paperbot/issue-1")
    assert process_issue(ctx, number) == "human-touched"
    assert gh.repos[REPO].git.head("paperbot/issue-1") == theirs


def test_an_amend_adding_a_file_to_a_commit_whose_answer_was_lost_is_left_alone(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = _die_mid_commit(gh, ctx)
    git = gh.repos[REPO].git
    lost = git.head("paperbot/issue-1")
    assert lost is not None
    parent = git._git("rev-parse", f"{lost}^")
    extra = git.commit_file(parent=lost, path="notes.md", data=b"mine\n", message="x")
    # ``git commit --amend`` with a new file: the parent and the README stay the bot's
    theirs = git._git("commit-tree", f"{extra}^{{tree}}", "-p", parent, "-m", git.message(lost))
    git.set_ref("paperbot/issue-1", theirs)
    assert process_issue(ctx, number) == "human-touched"
    assert git.head("paperbot/issue-1") == theirs


def test_a_persons_commit_pushed_while_the_bot_looks_the_paper_up_is_left_alone(
    gh: FakeGitHub, ctx: Context, services: FakeMetadata
) -> None:
    """The bot read the branch's head, then spent seconds on the paper's metadata; a
    maintainer pushed meanwhile: that commit is not force-reset away."""
    number = submit(gh, ctx)
    lookup = HttpLookup(services.settings(), budget=3.0, pacing=pacings({}))
    slow = dataclasses.replace(ctx, lookup=lookup)
    services.fail("arxiv", delay=1.0)
    pushed: list[str] = []

    def push_during_the_lookup() -> None:
        wait_for(lambda: services.count("arxiv") > 0, what="the bot's lookup")
        pushed.append(on_top(gh, "paperbot/issue-1"))

    person = threading.Thread(target=push_during_the_lookup)
    person.start()
    link = "https://arxiv.org/abs/1706.03762"
    gh.repos[REPO].issues[number]["body"] = report_body(title="Changed", link=link)
    try:
        assert process_issue(slow, number) == "human-touched"
    finally:
        person.join()
        lookup.close()
    assert gh.repos[REPO].git.head("paperbot/issue-1") == pushed[0]


class PushedFirst:
    """The repository's real port, except that a maintainer pushes to the branch just after
    the bot reset it, just before its commit (between two paced writes, a second apart)."""

    def __init__(self, port: RepoPort, gh: FakeGitHub) -> None:
        self.port, self.gh = port, gh

    def __getattr__(self, name: str) -> object:
        return getattr(self.port, name)

    def commit_file(self, **args: str) -> str:
        push_file(self.gh, REPO, branch=args["branch"], path="NOTES.md", text="mine\n")
        return self.port.commit_file(**args)


def test_a_persons_commit_pushed_between_the_reset_and_the_commit_is_left_alone(
    gh: FakeGitHub, ctx: Context
) -> None:
    number = submit(gh, ctx)
    gh.repos[REPO].issues[number]["body"] = report_body(title="Changed")
    racing = dataclasses.replace(ctx, port=PushedFirst(ctx.port, gh))  # type: ignore[arg-type]
    try:
        process_issue(racing, number)
    except Conflict:
        pass  # the job is tried again
    gh.repos[REPO].issues[number]["body"] = report_body(title="Changed again")
    assert process_issue(ctx, number) == "human-touched"
    assert gh.repos[REPO].git.read("paperbot/issue-1", "NOTES.md") is not None

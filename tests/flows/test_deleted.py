"""An issue deleted by an admin, or transferred to another repository: its open PR is closed at
once, with a note on the PR, as GitHub's ``issues.deleted`` or ``issues.transferred`` delivery
arrives (not an hour later by the reconcile, which cannot tell a transfer: GitHub redirects the
issue's old address to the new one)."""

from __future__ import annotations

from typing import Any

from app.core import messages
from app.flows import FLOWS
from app.flows.context import Context
from app.flows.routing import Skip
from app.flows.submission import process_issue
from app.github.fake.server import FakeGitHub
from app.service.routes import router
from tests.fakes import MEMBER, REPO, report_body
from tests.service.test_webhook import payload


def deleted(number: int) -> dict[str, Any]:
    body = payload("issues.opened")
    body["action"] = "deleted"
    body["repository"].update(full_name=REPO, name="log", default_branch="main")
    body["issue"]["number"] = number
    body["sender"].update(login="maintainer", type="User")
    return body


def run(ctx: Context, event: str, body: dict[str, Any]) -> str:
    """The delivery's task run as a worker runs it."""
    task = router.route(event, body)
    assert task is not None, router.decide(event, body)
    args = {k: v for k, v in task.args.items() if k not in ("repo", "installation", "base")}
    return FLOWS[task.name](ctx, **args)


def submitted_then_gone(gh: FakeGitHub, ctx: Context) -> tuple[int, dict[str, Any]]:
    """A submission with its open PR, then its issue gone from the repository."""
    number = gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)["number"]
    assert process_issue(ctx, number) == "submitted"
    (pull,) = gh.repos[REPO].pulls.values()
    gh.delete_issue(REPO, number)
    return number, pull


def test_deleting_a_submission_closes_its_pr_at_once_with_a_note(
    gh: FakeGitHub, ctx: Context
) -> None:
    number, pull = submitted_then_gone(gh, ctx)
    assert run(ctx, "issues", deleted(number)) == "closed: issue deleted"
    assert pull["state"] == "closed"
    notes = [c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == pull["number"]]
    assert notes == [messages.status("issue_gone", "zh", number=str(number))]
    assert run(ctx, "issues", deleted(number)) == "nothing open"  # a redelivery writes nothing


def test_deleting_an_issue_with_no_pr_writes_nothing(gh: FakeGitHub, ctx: Context) -> None:
    number = gh.create_issue(REPO, title="q", body="How do I submit?", login=MEMBER)["number"]
    gh.delete_issue(REPO, number)
    before = sum(n for k, n in gh.requests.items() if not k.startswith("GET"))
    assert run(ctx, "issues", deleted(number)) == "nothing open"
    assert sum(n for k, n in gh.requests.items() if not k.startswith("GET")) == before


def transferred(number: int, *, to: str, new_number: int) -> dict[str, Any]:
    body = payload("issues.transferred")
    body["repository"].update(full_name=REPO, name="log", default_branch="main")
    body["issue"]["number"] = number
    body["changes"]["new_repository"]["full_name"] = to
    body["changes"]["new_issue"]["number"] = new_number
    return body


def test_transferring_a_submission_closes_its_pr_with_a_note_naming_where_it_went(
    gh: FakeGitHub, ctx: Context
) -> None:
    number, pull = submitted_then_gone(gh, ctx)  # on GitHub: a redirect to where it went
    moved = transferred(number, to="group/other", new_number=7)
    assert run(ctx, "issues", moved) == "closed: issue transferred to group/other#7"
    assert pull["state"] == "closed"
    notes = [c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == pull["number"]]
    assert notes == [messages.status("issue_moved", "zh", number=str(number), to="group/other#7")]
    assert messages.pr_state(pull["body"])["closed"] == "transferred"  # not a maintainer's "no"
    assert run(ctx, "issues", moved) == "nothing open"  # a redelivery writes nothing


def test_a_transfer_that_does_not_say_where_the_issue_went_is_ignored_with_why() -> None:
    moved = transferred(1, to="group/other", new_number=7)
    del moved["changes"]["new_issue"]
    decided = router.decide("issues", moved)
    assert isinstance(decided, Skip) and decided.why.startswith("a transfer that does not say")

"""The bad-input and fault list, end to end. Items tested closer to their code are listed here
with where they live, so the whole list can be read in one place.

Elsewhere: wrong secret, missing or sha1-only signature, malformed hex, escapes/♥/CRLF over raw
bytes, form-encoded body, one delivery twice and two at once, bot's own events
(tests/service/test_webhook.py, tests/service/test_signature.py); edited before opened and
rapid edits, SIGKILL (tests/service/test_e2e.py); a web process killed after its 202s, a
record cut short, a disk taking part of a write, a segment moved twice, an unsafe delivery id
(tests/service/test_inbox.py); 5xx that created the PR, stale sha 409, human
pushes, reopen (tests/flows/test_submission.py, tests/service/test_jobs.py); 403/429 with and
without Retry-After, 403 with x-ratelimit-remaining 0 (tests/service/test_jobs.py); token
expiring mid-job, app uninstalled (tests/github/test_app_auth.py); _No response_, dropdown None,
### Fake label, CRLF (tests/core/test_issue_form.py, test_entry.py); backticks, HTML comments,
<script>, <img onerror>, javascript:/data: links, bidi/zero-width/tag characters
(tests/core/test_render.py, test_entry.py).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.core.config import DEFAULT_MARKER
from app.core.text import WORD_JOINER as WJ
from app.flows.context import Context
from app.flows.submission import process_issue
from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub, Fault
from app.service.queue import PaperbotHuey, make_huey
from app.service.settings import Settings
from app.service.signature import sign
from app.service.web import create_app
from tests.fakes import MEMBER, REPO, report_body
from tests.service.test_webhook import make_queue, payload


def status(gh: FakeGitHub, number: int = 1) -> str:
    return "".join(c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == number)


def deliver(tmp_path: Path, body: bytes) -> tuple[int, float, PaperbotHuey]:
    """POST one signed delivery to a receiver with default settings: status, seconds, queue."""
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    client = TestClient(
        create_app(settings=Settings(GITHUB_WEBHOOK_SECRET="s"), queue=make_queue(huey))
    )
    headers = {
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": "d",
        "Content-Type": "application/json",
        "X-Hub-Signature-256": sign(body, b"s"),
    }
    started = time.monotonic()
    status = client.post("/webhook", content=body, headers=headers).status_code
    return status, time.monotonic() - started, huey


def test_a_body_over_25_mb_is_refused_without_reading_it(tmp_path: Path) -> None:
    status, seconds, huey = deliver(tmp_path, b"{" + b" " * (25 * 1024 * 1024 + 10) + b"}")
    assert status == 413 and seconds < 5 and huey.pending_count() == 0


def test_the_webhook_answers_while_github_hangs(tmp_path: Path, gh: FakeGitHub) -> None:
    gh.latency = 5.0  # every GitHub call would take 5 s; the receiver makes none
    status, seconds, huey = deliver(tmp_path, json.dumps(payload("issues.opened")).encode())
    assert status == 202 and seconds < 1 and huey.pending_count() == 1


@pytest.mark.parametrize("route", ["pulls", "comments"])
def test_a_crash_after_the_branch_or_the_pr_resumes_without_duplicates(
    gh: FakeGitHub, ctx: Context, route: str
) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault(route, 500, method="POST"))  # the job dies at that write
    with pytest.raises(Exception, match="500"):
        process_issue(ctx, 1)
    assert process_issue(ctx, 1) == "submitted"
    repo = gh.repos[REPO]
    assert len(repo.pulls) == 1 and len(repo.comments) == 1


def test_missing_sha_422_fails_the_job_and_the_retry_succeeds(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    gh.faults.append(Fault("contents", 422, method="PUT"))
    with pytest.raises(Exception, match="422"):
        process_issue(ctx, 1)
    assert process_issue(ctx, 1) == "submitted"


def test_base_branch_moved_between_submissions(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    process_issue(ctx, 1)
    readme = gh.repos[REPO].git.read("main", "README.md")
    assert readme
    moved = readme[0].decode().replace("# ", "# (edited) ", 1)
    push_file(gh, REPO, branch="main", path="README.md", text=moved)
    assert process_issue(ctx, 1) == "submitted"  # regenerated on the new head
    branch = gh.repos[REPO].git.read("paperbot/issue-1", "README.md")
    assert branch and branch[0].decode().startswith(moved.split("\n", 1)[0])


def test_a_readme_over_1_mb_is_read_through_the_blob_api(gh: FakeGitHub, ctx: Context) -> None:
    filler = "".join(f"> > [2024-01-{i % 28 + 1:02d}]-[旧]-本周未精读\n>\n" for i in range(40_000))
    push_file(
        gh, REPO, branch="main", path="README.md", text=f"# Log\n\n> {DEFAULT_MARKER}\n> \n{filler}"
    )
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "submitted"
    assert gh.requests["GET blob"] >= 1


@pytest.mark.parametrize("body", [None, "", "no headings here, just text"])
def test_a_form_issue_without_its_fields_is_told(
    gh: FakeGitHub, ctx: Context, body: str | None
) -> None:
    gh.create_issue(REPO, title="[周报]", body=body, login=MEMBER)
    gh.repos[REPO].issues[1]["labels"] = ["paper-report"]  # filed from the form, body emptied
    assert process_issue(ctx, 1) == "problem"
    assert "没有找到表单字段" in status(gh) and not gh.repos[REPO].pulls


def test_an_api_created_issue_without_headings_or_label_is_ignored(
    gh: FakeGitHub, ctx: Context
) -> None:
    gh.create_issue(REPO, title="bug", body=None, login=MEMBER)
    outcome = process_issue(ctx, 1)
    assert outcome == "ignored: not a submission: no form headings and no entry line"
    assert status(gh) == ""


def test_a_10000_character_line_and_a_65536_character_body(gh: FakeGitHub, ctx: Context) -> None:
    gh.create_issue(REPO, title="x", body=report_body(summary="a" * 10_000), login=MEMBER)
    assert process_issue(ctx, 1) == "invalid"
    assert "过长" in status(gh)
    huge = report_body(summary="字 " * 32_700)[:65_536]
    gh.repos[REPO].issues[1]["body"] = huge
    started = time.monotonic()
    assert process_issue(ctx, 1) == "invalid" and time.monotonic() - started < 5
    assert "最多 1000 个" in status(gh)


def test_shell_and_markdown_metacharacters_stay_inert(gh: FakeGitHub, ctx: Context) -> None:
    title = 'A"; rm -rf / #1 $(whoami) `id` @octocat <b>x</b> fixes #1'
    gh.create_issue(REPO, title="x", body=report_body(title=title), login=MEMBER)
    assert process_issue(ctx, 1) == "submitted"
    repo = gh.repos[REPO]
    (pull,) = repo.pulls.values()
    assert pull["head"] == "paperbot/issue-1" and pull["title"].replace(WJ, "").endswith(title)
    assert "@octocat" not in pull["title"] and "#1" not in pull["title"]  # reads as typed, quiet
    preview = pull["body"].split("\n\n", 2)[2]
    assert "@octocat" not in preview and "fixes #1" not in preview and "<b>" not in preview
    assert pull["body"].count("Closes #1") == 1
    message = repo.git.message(repo.git.head("paperbot/issue-1") or "")
    assert message and title in message.replace(WJ, "") and "@octocat" not in message

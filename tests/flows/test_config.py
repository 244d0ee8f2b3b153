"""Per-repository config read from GitHub: its effects, its fallback and its errors."""

from __future__ import annotations

import pytest

from app.flows.context import Context
from app.flows.submission import process_issue
from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub
from tests.fakes import MEMBER, REPO, report_body


def config(gh: FakeGitHub, text: str, repo: str = REPO) -> None:
    if repo not in gh.repos:
        gh.create_repo(repo, {".github/paperbot.yml": text})
    else:
        push_file(gh, repo, branch="main", path=".github/paperbot.yml", text=text)


def only_comment(gh: FakeGitHub) -> str:
    (comment,) = gh.repos[REPO].comments.values()
    return str(comment["body"])


def test_a_bad_config_is_explained_on_the_issue(gh: FakeGitHub, ctx: Context) -> None:
    config(gh, "limits:\n  summary_max: -5\nlanguage: fr\n")
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "problem"
    body = only_comment(gh)
    assert "limits.summary_max" in body and "language" in body and not gh.repos[REPO].pulls


@pytest.mark.parametrize("member", ["外部成员", "{name: 外部成员, remind: false}"])
def test_members_fill_the_name_and_may_submit_without_a_role(
    gh: FakeGitHub, ctx: Context, member: str
) -> None:
    config(gh, f"members:\n  outsider: {member}\nauthors: members\nreviewers: [maintainer]\n")
    gh.create_issue(REPO, title="x", body=report_body(name="_No response_"), login="outsider")
    assert process_issue(ctx, 1) == "submitted"
    (pull,) = gh.repos[REPO].pulls.values()
    assert "外部成员" in pull["title"] and pull["reviewers"] == ["maintainer"]
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    # a collaborator, but not a listed member
    assert process_issue(ctx, 3) == "not allowed: zhangyu is not in members (authors: members)"


def test_english_messages_and_custom_labels(gh: FakeGitHub, ctx: Context) -> None:
    config(gh, "language: en\nlabels: {needs_fix: fix-me}\n")
    gh.create_issue(REPO, title="x", body=report_body(date="soon"), login=MEMBER)
    assert process_issue(ctx, 1) == "invalid"
    assert "**Date**: should be a date as YYYY-MM-DD" in only_comment(gh)
    assert gh.repos[REPO].issues[1]["labels"] == ["fix-me"]


def test_owner_wide_config_is_the_fallback(gh: FakeGitHub, ctx: Context) -> None:
    config(gh, "language: en\n", repo="group/.github")
    gh.create_issue(REPO, title="x", body=report_body(date="soon"), login=MEMBER)
    process_issue(ctx, 1)
    assert "Please fix these fields" in only_comment(gh)


def test_another_path_and_marker(gh: FakeGitHub, ctx: Context) -> None:
    push_file(gh, REPO, branch="main", path="papers.md", text="# Papers\n\n<!-- new -->\n")
    config(gh, 'path: papers.md\nmarker: "<!-- new -->"\n')
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "submitted"
    got = gh.repos[REPO].git.read("paperbot/issue-1", "papers.md")
    assert got and b"> > [2025-07-06]-[\xe6\x96\xb0\xe4\xba\xba]" in got[0]


def test_a_missing_marker_is_told_not_crashed(gh: FakeGitHub, ctx: Context) -> None:
    config(gh, 'marker: "NOT THERE"\n')
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    assert process_issue(ctx, 1) == "problem"
    assert "NOT THERE" in only_comment(gh) and not gh.repos[REPO].pulls


def test_an_unchanged_config_is_read_with_a_free_conditional_request(
    gh: FakeGitHub, ctx: Context
) -> None:
    config(gh, "language: zh\n")
    gh.create_issue(REPO, title="x", body=report_body(), login=MEMBER)
    process_issue(ctx, 1)
    before = gh.not_modified
    process_issue(ctx, 1)
    assert gh.not_modified > before

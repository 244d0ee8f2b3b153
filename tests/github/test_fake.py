"""The fake GitHub has tests of its own, through PyGithub's real HTTP stack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from github import Auth, Github, GithubException

from app.github.fake.server import FakeGitHub, Fault
from app.github.fake.start import serve


@pytest.fixture
def gh(tmp_path: Path) -> Iterator[FakeGitHub]:
    fake = FakeGitHub(tmp_path)
    server = serve(fake)
    fake.create_repo("group/log", {"README.md": "# log\n> marker\n"})
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(gh: FakeGitHub) -> Iterator[Github]:
    api = Github(
        auth=Auth.Token("t"),
        base_url=gh.base_url,
        seconds_between_requests=0,
        seconds_between_writes=0,
        retry=None,
    )
    yield api
    api.close()


def test_branch_commit_and_contents_round_trip(gh: FakeGitHub, client: Github) -> None:
    repo = client.get_repo("group/log")
    assert repo.default_branch == "main"
    readme = repo.get_contents("README.md")
    assert not isinstance(readme, list) and readme.decoded_content == b"# log\n> marker\n"
    base = repo.get_git_ref("heads/main").object.sha
    repo.create_git_ref("refs/heads/paperbot/issue-1", base)
    got = repo.update_file(
        "README.md", "add entry", "# log\n> marker\nentry\n", readme.sha, branch="paperbot/issue-1"
    )
    assert repo.get_contents("README.md", ref="paperbot/issue-1").decoded_content.endswith(
        b"entry\n"
    )  # type: ignore[union-attr]
    assert repo.get_git_ref("heads/paperbot/issue-1").object.sha == got["commit"].sha
    assert gh.requests["POST refs"] == 1 and gh.requests["PUT contents"] == 1


def test_github_errors_are_reproduced(gh: FakeGitHub, client: Github) -> None:
    repo = client.get_repo("group/log")
    base = repo.get_git_ref("heads/main").object.sha
    with pytest.raises(GithubException) as exists:
        repo.create_git_ref("refs/heads/main", base)
    assert exists.value.status == 422
    with pytest.raises(GithubException) as stale:
        repo.update_file("README.md", "m", "x", "0" * 40)
    assert stale.value.status == 409
    with pytest.raises(GithubException) as missing:
        repo.get_contents("nope.md")
    assert missing.value.status == 404


def test_injected_fault_then_recovery(gh: FakeGitHub, client: Github) -> None:
    gh.faults.append(Fault("repo", 503, times=1))
    with pytest.raises(GithubException) as info:
        client.get_repo("group/log")
    assert info.value.status == 503
    assert client.get_repo("group/log").name == "log"


def test_issues_comments_and_labels(gh: FakeGitHub, client: Github) -> None:
    gh.create_issue("group/log", title="[周报] x", body="### 日期\n\n2025-07-06", login="octo")
    issue = client.get_repo("group/log").get_issue(1)
    assert issue.user.login == "octo" and issue.body.startswith("### 日期")
    comment = issue.create_comment("status")
    comment.edit("status, edited")
    client.requester.requestJsonAndCheck(
        "POST", f"{issue.url}/labels", input={"labels": ["needs-fix"]}
    )
    assert [c.body for c in issue.get_comments()] == ["status, edited"]
    assert [label.name for label in client.get_repo("group/log").get_issue(1).labels] == [
        "needs-fix"
    ]


@pytest.mark.parametrize(
    ("verb", "path", "body", "says"),
    [
        # GitHub's current description takes {"labels": [...]}, not a bare list
        ("POST", "/repos/group/log/issues/1/labels", ["needs-fix"], "is not of type 'object'"),
        ("POST", "/repos/group/log/git/refs", {"ref": "refs/heads/x"}, "'sha' is a required"),
        ("POST", "/repos/group/log/pulls", {"head": "x"}, "'base' is a required"),
        ("PATCH", "/repos/group/log/pulls/1", {"state": "merged"}, "is not one of"),
        ("GET", "/repos/group/log/pulls?state=merged", None, "must be one of"),
        ("GET", "/repos/group/log/pulls?colour=red", None, "unknown query parameter"),
        ("POST", "/repos/group/log/merges", {"base": "main", "head": "x"}, "not an operation"),
    ],
)
def test_requests_must_match_githubs_openapi_description(
    gh: FakeGitHub, client: Github, verb: str, path: str, body: object, says: str
) -> None:
    gh.create_issue("group/log", title="t", body="b", login="octo")
    with pytest.raises(GithubException) as info:
        client.requester.requestJsonAndCheck(verb, gh.base_url + path, input=body)
    assert info.value.status in (400, 422) and says in str(info.value.data)
    assert gh.rejected and sum(gh.requests.values()) == 0

"""The fake GitHub has tests of its own, through PyGithub's real HTTP stack."""

from __future__ import annotations

import sys
import time
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


def test_an_outage_answers_every_request_and_writes_nothing_until_it_ends(
    gh: FakeGitHub, client: Github
) -> None:
    repo = client.get_repo("group/log")
    gh.outage = 502
    with pytest.raises(GithubException) as read:
        client.get_repo("group/log")
    with pytest.raises(GithubException) as write:
        repo.create_issue(title="x", body="y")
    with pytest.raises(GithubException) as user:
        client.get_user().update()
    assert [read.value.status, write.value.status, user.value.status] == [502] * 3
    assert gh.outage_answers == 3 and gh.repos["group/log"].issues == {}
    gh.outage = 0
    assert repo.create_issue(title="x", body="y").number == 1


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


def test_lists_are_paged_by_per_page_with_a_link_header(gh: FakeGitHub, client: Github) -> None:
    gh.create_issue("group/log", title="t", body="b", login="octo")
    for i in range(250):
        gh.add_comment("group/log", 1, login="octo", body=f"c{i}")
    issue = client.get_repo("group/log").get_issue(1)
    gh.requests.clear()
    assert [c.body for c in issue.get_comments()] == [f"c{i}" for i in range(250)]
    assert gh.requests["GET comments"] == 9  # GitHub's default: 30 a page
    headers, page = client.requester.requestJsonAndCheck(
        "GET", f"{issue.url}/comments", parameters={"per_page": 100, "page": 2}
    )
    assert len(page) == 100 and page[0]["body"] == "c100"
    rels = dict(reversed(part.split(">; ")) for part in headers["link"].split(", "))
    assert "page=3" in rels['rel="next"'] and "page=1" in rels['rel="prev"']
    _, last = client.requester.requestJsonAndCheck(
        "GET", f"{issue.url}/comments", parameters={"per_page": 500, "page": 3}
    )
    assert len(last) == 50  # per_page is at most 100


def test_comments_are_authored_by_the_callers_identity(gh: FakeGitHub, client: Github) -> None:
    gh.create_issue("group/log", title="t", body="b", login="octo")
    gh.token_user = "reading-group-bot"
    comment = client.get_repo("group/log").get_issue(1).create_comment("hello")
    assert comment.user.login == "reading-group-bot" and comment.user.type == "User"
    assert client.get_user().login == "reading-group-bot"


def test_a_deleted_issue_answers_410(gh: FakeGitHub, client: Github) -> None:
    gh.create_issue("group/log", title="t", body="b", login="octo")
    gh.add_comment("group/log", 1, login="octo", body="hi")
    gh.delete_issue("group/log", 1)
    repo = client.get_repo("group/log")
    for call in (lambda: repo.get_issue(1), lambda: list(repo.get_issue(1).get_comments())):
        with pytest.raises(GithubException) as info:
            call()
        assert info.value.status == 410
    assert list(repo.get_issues()) == []


def test_a_pr_reopens_only_on_the_head_it_was_closed_with(gh: FakeGitHub, client: Github) -> None:
    repo = client.get_repo("group/log")
    base = repo.get_git_ref("heads/main").object.sha
    repo.create_git_ref("refs/heads/x", base)
    readme = repo.get_contents("README.md")
    assert not isinstance(readme, list)
    repo.update_file("README.md", "m", "changed\n", readme.sha, branch="x")
    pull = repo.create_pull(base="main", head="x", title="t", body="b")
    pull.edit(state="closed")
    pull.edit(state="open")  # nothing moved: fine
    pull.edit(state="closed")
    repo.get_git_ref("heads/x").edit(base, force=True)
    with pytest.raises(GithubException) as info:
        pull.edit(state="open")
    assert info.value.status == 422 and "force-pushed or recreated" in str(info.value.data)


def test_the_fake_refuses_to_start_without_jsonschema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # as if it were not installed
    with pytest.raises(ImportError, match="jsonschema"):
        FakeGitHub(tmp_path / "strict")
    assert FakeGitHub(tmp_path / "demo", schemas=False).spec  # the demo's choice, made aloud


def test_writes_too_close_together_get_a_secondary_rate_limit(
    gh: FakeGitHub, client: Github
) -> None:
    gh.secondary_gap = 30.0
    gh.create_issue("group/log", title="x", body="y", login="octo")
    issue = client.get_repo("group/log").get_issue(1)
    issue.create_comment("first")
    with pytest.raises(GithubException) as limited:
        issue.create_comment("too soon")
    assert limited.value.status == 403 and limited.value.headers["retry-after"] == "60"
    assert "secondary rate limit" in limited.value.data["message"]
    assert gh.secondary_hits == 1 and len(gh.write_times[None]) == 1
    assert [c["body"] for c in gh.repos["group/log"].comments.values()] == ["first"]
    assert client.get_repo("group/log").get_issue(1).title == "x"  # reads are not limited
    gh.secondary_gap = 0.0
    gh.secondary_until.clear()  # Retry-After has passed
    issue.create_comment("later")
    assert gh.secondary_hits == 1 and len(gh.write_times[None]) == 2


@pytest.mark.parametrize(
    ("arrivals", "refused"),
    [
        ([10.0, 11.0, 12.0], []),
        ([10.0, 11.0, 10.5], [10.5]),  # arrived between two, timed after both (a slow thread)
        ([10.0, 12.0, 11.0], []),  # exactly a second from each
        ([10.0, 10.95, 11.9], [10.95]),  # 11.9 is 1.9 s after the last accepted one
    ],
)
def test_a_write_is_timed_when_it_arrived(
    tmp_path: Path, arrivals: list[float], refused: list[float]
) -> None:
    gh = FakeGitHub(tmp_path / "gh", schemas=False)
    gh.secondary_gap, gh.secondary_wait = 1.0, 0  # the spacing alone: no pause after a refusal
    got = [t for t in arrivals if gh.secondary_limited("any", arrived=t)]
    assert got == refused and gh.secondary_hits == len(refused)
    assert gh.write_times[None] == sorted(set(arrivals) - set(refused))


def test_a_secondary_limit_holds_the_installations_writes_until_retry_after(
    gh: FakeGitHub, client: Github
) -> None:
    """As on GitHub: a client that writes again before Retry-After is refused again, however
    far its writes are apart (a fake that only spaced writes let it through)."""
    gh.secondary_gap, gh.secondary_wait = 0.2, 2
    gh.create_issue("group/log", title="x", body="y", login="octo")
    issue = client.get_repo("group/log").get_issue(1)
    issue.create_comment("first")
    with pytest.raises(GithubException):
        issue.create_comment("too soon")
    time.sleep(0.5)  # past the gap, not past Retry-After
    with pytest.raises(GithubException) as again:
        issue.create_comment("still too soon")
    assert again.value.status == 403 and 0 < int(again.value.headers["retry-after"]) <= 2
    assert gh.secondary_hits == 2 and client.get_repo("group/log").get_issue(1).title == "x"
    time.sleep(2.0)
    issue.create_comment("after the wait")
    written = [c["body"] for c in gh.repos["group/log"].comments.values()]
    assert written == ["first", "after the wait"]

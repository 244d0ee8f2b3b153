"""The fake GitHub's REST routes (a subset, shaped like GitHub's answers)."""

from __future__ import annotations

import base64
import re
from typing import Any

from app.github.fake.server import FakeGitHub, HttpError, Json, Repo, b64, now, route

Query = dict[str, list[str]]


def _repo_json(gh: FakeGitHub, repo: Repo) -> Json:
    url = f"{gh.base_url}/repos/{repo.owner}/{repo.name}"
    return {
        "node_id": f"R_{repo.owner}_{repo.name}",
        "id": abs(hash(repo.name)) % 10**8,
        "name": repo.name,
        "private": False,
        "full_name": f"{repo.owner}/{repo.name}",
        "owner": {"login": repo.owner},
        "default_branch": repo.default_branch,
        "url": url,
        "html_url": f"{gh.base_url}/{repo.owner}/{repo.name}",
    }


@route("GET", "", name="repo")
def get_repo(gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query) -> tuple[int, Any]:
    return 200, _repo_json(gh, repo)


def _content_json(gh: FakeGitHub, repo: Repo, *, path: str, data: bytes, sha: str) -> Json:
    url = f"{gh.base_url}/repos/{repo.owner}/{repo.name}/contents/{path}"
    large = len(data) > 1024 * 1024  # GitHub sends no content for files over 1 MB
    return {
        "type": "file",
        "encoding": "none" if large else "base64",
        "content": "" if large else b64(data),
        "sha": sha,
        "path": path,
        "name": path.rsplit("/", 1)[-1],
        "size": len(data),
        "url": url,
    }


@route("GET", "/contents/(?P<path>.+)", name="contents")
def get_contents(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    ref = q.get("ref", [repo.default_branch])[0]
    got = repo.git.read(ref, m["path"])
    if got is None:
        raise HttpError(404, "Not Found")
    data, sha = got
    return 200, _content_json(gh, repo, path=m["path"], data=data, sha=sha)


@route("PUT", "/contents/(?P<path>.+)", name="contents")
def put_contents(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    branch, path = body.get("branch") or repo.default_branch, m["path"]
    head = repo.git.head(branch)
    if head is None:
        raise HttpError(404, f"Branch {branch} not found")
    current = repo.git.read(head, path)
    if current and not body.get("sha"):
        raise HttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.')
    if current and body["sha"] != current[1]:
        raise HttpError(409, f"{path} does not match {body['sha']}")
    data = base64.b64decode(body["content"])
    commit = repo.git.commit_file(parent=head, path=path, data=data, message=body["message"])
    repo.git.set_ref(branch, commit)
    blob = repo.git.read(commit, path)
    assert blob is not None
    return (200 if current else 201), {
        "content": _content_json(gh, repo, path=path, data=blob[0], sha=blob[1]),
        "commit": {"sha": commit, "message": body["message"], "parents": [{"sha": head}]},
    }


def _ref_json(gh: FakeGitHub, repo: Repo, *, branch: str, sha: str) -> Json:
    url = f"{gh.base_url}/repos/{repo.owner}/{repo.name}/git/refs/heads/{branch}"
    return {"ref": f"refs/heads/{branch}", "url": url, "object": {"sha": sha, "type": "commit"}}


@route("GET", "/git/ref/heads/(?P<branch>.+)", name="ref")
def get_ref(gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query) -> tuple[int, Any]:
    head = repo.git.head(m["branch"])
    if head is None:
        raise HttpError(404, "Not Found")
    return 200, _ref_json(gh, repo, branch=m["branch"], sha=head)


@route("POST", "/git/refs", name="refs")
def create_ref(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    ref = body.get("ref", "")
    if not ref.startswith("refs/heads/"):
        raise HttpError(422, "Reference name must start with refs/heads/")
    branch = ref.removeprefix("refs/heads/")
    if repo.git.head(branch):
        raise HttpError(422, "Reference already exists")
    repo.git.set_ref(branch, body["sha"])
    return 201, _ref_json(gh, repo, branch=branch, sha=body["sha"])


@route("PATCH", "/git/refs/heads/(?P<branch>.+)", name="ref")
def update_ref(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    head = repo.git.head(m["branch"])
    if head is None:
        raise HttpError(422, "Reference does not exist")
    if not body.get("force") and not repo.git.is_ancestor(head, body["sha"]):
        raise HttpError(422, "Update is not a fast forward")
    repo.git.set_ref(m["branch"], body["sha"])
    return 200, _ref_json(gh, repo, branch=m["branch"], sha=body["sha"])


def _issue(repo: Repo, number: str) -> Json:
    if int(number) in repo.deleted:
        raise HttpError(410, "This issue was deleted")
    issue = repo.issues.get(int(number))
    if issue is None:
        raise HttpError(404, "Not Found")
    return issue


@route("GET", "/issues", name="issues")
def list_issues(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    state, since = q.get("state", ["open"])[0], q.get("since", [""])[0]
    creator = q.get("creator", [""])[0]
    found = [
        i
        for i in repo.issues.values()
        if (state == "all" or i["state"] == state)
        and i.get("updated_at", "") >= since
        and creator in ("", i["user"]["login"])
        and i["number"] not in repo.unlisted
    ]
    found.sort(key=lambda i: i["number"], reverse=q.get("direction", ["desc"])[0] == "desc")
    return 200, gh.paged(m.string, q, items=[gh.issue_json(repo, i) for i in found])


@route("POST", "/issues", name="issues")
def create_issue(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    full_name, me = f"{repo.owner}/{repo.name}", gh.caller()
    issue = gh.create_issue(
        full_name, title=body["title"], body=body.get("body"), login=me["login"]
    )
    repo.issues[issue["number"]]["user"] = me
    return 201, gh.issue_json(repo, repo.issues[issue["number"]])


@route("PATCH", r"/issues/(?P<n>\d+)", name="issue")
def edit_issue(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    issue = _issue(repo, m["n"])
    for key in ("title", "body", "state"):
        if key in body:
            issue[key] = body[key]
    issue["updated_at"] = now()
    return 200, gh.issue_json(repo, issue)


@route("GET", r"/issues/(?P<n>\d+)", name="issue")
def get_issue(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    return 200, gh.issue_json(repo, _issue(repo, m["n"]))


def _comment_json(gh: FakeGitHub, repo: Repo, *, comment: Json) -> Json:
    url = f"{gh.base_url}/repos/{repo.owner}/{repo.name}/issues/comments/{comment['id']}"
    return {**comment, "url": url, "html_url": url}


@route("GET", r"/issues/(?P<n>\d+)/comments", name="comments")
def list_comments(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    n = _issue(repo, m["n"])["number"]
    found = [_comment_json(gh, repo, comment=c) for c in repo.comments.values() if c["issue"] == n]
    return 200, gh.paged(m.string, q, items=found)


def _comment(repo: Repo, m: re.Match[str]) -> Json:
    comment = repo.comments.get(int(m["id"]))
    if comment is None:
        raise HttpError(404, "Not Found")
    return comment


@route("GET", r"/issues/comments/(?P<id>\d+)", name="comment")
def get_comment(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    return 200, _comment_json(gh, repo, comment=_comment(repo, m))


@route("POST", r"/issues/(?P<n>\d+)/comments", name="comments")
def create_comment(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    n = _issue(repo, m["n"])["number"]
    comment = {
        "id": gh.next_comment,
        "issue": n,
        "body": body["body"],
        "user": gh.caller(),
    }
    gh.next_comment += 1
    repo.comments[comment["id"]] = comment
    return 201, _comment_json(gh, repo, comment=comment)


@route("PATCH", r"/issues/comments/(?P<id>\d+)", name="comment")
def edit_comment(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    comment = _comment(repo, m)
    comment["body"] = body["body"]
    return 200, _comment_json(gh, repo, comment=comment)


@route("POST", r"/issues/(?P<n>\d+)/labels", name="labels")
def add_labels(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    issue = _issue(repo, m["n"])
    names = body.get("labels", body) if isinstance(body, dict) else body
    issue["labels"] = sorted(set(issue["labels"]) | set(names))
    return 200, [{"name": n} for n in issue["labels"]]

"""The fake GitHub's pull requests, commits, blobs, labels and permissions; merge helpers."""

from __future__ import annotations

import re
from typing import Any

from app.github.fake.server import FakeGitHub, HttpError, Json, Repo, b64, now, route

Query = dict[str, list[str]]
_CLOSES = re.compile(r"(?i)\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s+#(\d+)")


def pull_json(gh: FakeGitHub, repo: Repo, *, pull: Json) -> Json:
    url = f"{gh.base_url}/repos/{repo.owner}/{repo.name}/pulls/{pull['number']}"
    head_sha = repo.git.head(pull["head"]) or pull.get("merged_sha", "")
    return {
        "number": pull["number"],
        "state": pull["state"],
        "title": pull["title"],
        "body": pull["body"],
        "merged_at": pull.get("merged_at"),
        "updated_at": pull.get("updated_at", ""),
        "url": url,
        "html_url": f"{gh.base_url}/{repo.owner}/{repo.name}/pull/{pull['number']}",
        "user": pull["user"],
        "head": {"ref": pull["head"], "sha": head_sha, "label": f"{repo.owner}:{pull['head']}"},
        "base": {"ref": pull["base"]},
    }


@route("GET", "/pulls", name="pulls")
def list_pulls(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    state = q.get("state", ["open"])[0]
    head = q.get("head", [""])[0].split(":", 1)[-1]
    found = [
        p
        for p in repo.pulls.values()
        if (state == "all" or p["state"] == state) and (not head or p["head"] == head)
    ]
    order = "updated_at" if q.get("sort") == ["updated"] else "number"
    found.sort(key=lambda p: (p.get(order, ""), p["number"]), reverse=True)
    return 200, gh.paged(m.string, q, items=[pull_json(gh, repo, pull=p) for p in found])


@route("POST", "/pulls", name="pulls")
def create_pull(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    head, base = body["head"], body["base"]
    head_sha, base_sha = repo.git.head(head), repo.git.head(base)
    if head_sha is None or base_sha is None:
        raise HttpError(422, "Validation Failed: head or base does not exist")
    if any(p["head"] == head and p["state"] == "open" for p in repo.pulls.values()):
        raise HttpError(422, f"A pull request already exists for {repo.owner}:{head}.")
    if repo.git.is_ancestor(head_sha, base_sha):
        raise HttpError(422, f"No commits between {base} and {head}")
    number, repo.next_number = repo.next_number, repo.next_number + 1
    pull = {
        "number": number,
        "state": "open",
        "title": body["title"],
        "body": body.get("body") or "",
        "head": head,
        "base": base,
        "reviewers": [],
        "user": gh.caller(),
        "updated_at": now(),
    }
    repo.pulls[number] = pull
    repo.issues[number] = {
        "number": number,
        "title": body["title"],
        "body": pull["body"],
        "state": "open",
        "user": pull["user"],
        "labels": [],
        "pull_request": {"url": ""},
    }
    return 201, pull_json(gh, repo, pull=pull)


def close_pull(gh: FakeGitHub, full_name: str, *, number: int) -> None:
    """Close PR ``number`` unmerged, as a maintainer rejecting it would."""
    repo = gh.repos[full_name]
    with gh.lock:
        pull = repo.pulls[number]
        pull.update(state="closed", updated_at=now(), closed_sha=repo.git.head(pull["head"]))
        repo.issues[number]["state"] = "closed"


def _check_reopen(repo: Repo, pull: Json) -> None:
    """GitHub reopens a PR only if its branch still holds the head it was closed with (or
    a descendant): not after a force-push or the branch's deletion."""
    if pull.get("merged_at"):
        raise HttpError(422, "Cannot reopen a merged pull request")
    head = repo.git.head(pull["head"])
    closed = pull.get("closed_sha")
    if head is None or (closed and not repo.git.is_ancestor(closed, head)):
        raise HttpError(
            422,
            f"state cannot be changed. The {pull['head']} branch was force-pushed or recreated.",
        )


@route("GET", r"/compare/(?P<base>[0-9a-f]{40})\.\.\.(?P<head>[0-9a-f]{40})", name="compare")
def compare(gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query) -> tuple[int, Any]:
    ahead, behind = repo.git.count(m["base"], m["head"]), repo.git.count(m["head"], m["base"])
    if ahead is None or behind is None:
        raise HttpError(404, "Not Found")
    status = {(0, 0): "identical", (0, 1): "behind", (1, 0): "ahead"}
    return 200, {
        "status": status.get((min(ahead, 1), min(behind, 1)), "diverged"),
        "ahead_by": ahead,
        "behind_by": behind,
        "total_commits": ahead,
        "files": [
            {"sha": sha, "filename": path, "status": status}
            for path, sha, status in repo.git.changed(m["base"], m["head"])
        ],
    }


def _pull(repo: Repo, number: str) -> Json:
    pull = repo.pulls.get(int(number))
    if pull is None:
        raise HttpError(404, "Not Found")
    return pull


@route("PATCH", r"/pulls/(?P<n>\d+)", name="pull")
def edit_pull(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    pull = _pull(repo, m["n"])
    if body.get("state") == "open" and pull["state"] == "closed":
        _check_reopen(repo, pull)
    if body.get("state") == "closed" and pull["state"] == "open":
        pull["closed_sha"] = repo.git.head(pull["head"])
    for key in ("title", "body", "state"):
        if key in body:
            pull[key] = body[key]
    pull["updated_at"] = now()
    return 200, pull_json(gh, repo, pull=pull)


@route("POST", r"/pulls/(?P<n>\d+)/requested_reviewers", name="reviewers")
def request_reviewers(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    pull = _pull(repo, m["n"])
    pull["reviewers"] = sorted(set(pull["reviewers"]) | set(body.get("reviewers", [])))
    return 201, pull_json(gh, repo, pull=pull)


@route("GET", r"/git/commits/(?P<sha>[0-9a-f]{40})", name="commit")
def get_commit(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    message = repo.git.message(m["sha"])
    if message is None:
        raise HttpError(404, "Not Found")
    return 200, {"sha": m["sha"], "message": message}


@route("GET", r"/git/blobs/(?P<sha>[0-9a-f]{40})", name="blob")
def get_blob(gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query) -> tuple[int, Any]:
    data = repo.git.blob_by_sha(m["sha"])
    if data is None:
        raise HttpError(404, "Not Found")
    return 200, {"sha": m["sha"], "encoding": "base64", "content": b64(data), "size": len(data)}


@route("DELETE", r"/issues/(?P<n>\d+)/labels/(?P<label>[^/]+)", name="label")
def remove_label(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    from urllib.parse import unquote

    issue = repo.issues.get(int(m["n"]))
    label = unquote(m["label"])
    if issue is None or label not in issue["labels"]:
        raise HttpError(404, "Label does not exist")
    issue["labels"].remove(label)
    return 200, [{"name": n} for n in issue["labels"]]


@route("GET", r"/collaborators/(?P<login>[^/]+)/permission", name="permission")
def permission(
    gh: FakeGitHub, repo: Repo, m: re.Match[str], body: Json, q: Query
) -> tuple[int, Any]:
    role = repo.permissions.get(m["login"], "none")
    legacy = {"maintain": "write", "triage": "read"}.get(role, role)
    return 200, {"permission": legacy, "role_name": role, "user": {"login": m["login"]}}


def merge_pull(gh: FakeGitHub, full_name: str, *, number: int) -> str:
    """Merge PR ``number`` as a maintainer would; closes the issues its body says it closes."""
    repo = gh.repos[full_name]
    with gh.lock:
        pull = repo.pulls[number]
        base, head = repo.git.head(pull["base"]), repo.git.head(pull["head"])
        assert base and head and pull["state"] == "open", "only open PRs merge"
        merged = repo.git.merge(base, head, message=f"Merge pull request #{number}")
        if merged is None:
            raise HttpError(405, "Pull Request is not mergeable")
        repo.git.set_ref(pull["base"], merged)
        pull.update(state="closed", merged_at=now(), merged_sha=head, updated_at=now())
        repo.issues[number]["state"] = "closed"
        for closes in _CLOSES.findall(pull["body"]):
            if int(closes) in repo.issues:
                repo.issues[int(closes)].update(state="closed", updated_at=now())
    return merged


def push_file(
    gh: FakeGitHub,
    full_name: str,
    *,
    branch: str,
    path: str,
    text: str,
    message: str = "a human edit",
) -> str:
    """Commit directly to a branch, as a person pushing would."""
    repo = gh.repos[full_name]
    with gh.lock:
        sha = repo.git.commit_file(
            parent=repo.git.head(branch), path=path, data=text.encode(), message=message
        )
        repo.git.set_ref(branch, sha)
    return sha

"""RepoPort over GitHub's REST API, given one function that makes a call: every list paged.

Rules:
- Each method is one REST call, except lists, which follow the ``Link`` header's next page
  (100 items a page) to the end, and a file over 1 MB, which needs its blob.
- Small GET answers are made conditional on their cached ETag (a 304 costs no rate limit);
  a file read at a commit sha never changes, so it is kept and not asked again.
- The bot's login is shared by every repository of a process (``Identity``).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import quote

from app.github.port import (
    Comment,
    Comparison,
    Conflict,
    FileText,
    Gone,
    Issue,
    Pull,
    Repository,
)
from app.github.shapes import (
    EtagCache,
    Identity,
    ShaCache,
    comment_from,
    issue_from,
    next_link,
    pull_from,
)

Headers = dict[str, str]
_SHA = re.compile(r"[0-9a-f]{40}")


class Call(Protocol):
    """One REST call: (response headers, decoded JSON); raises the port's errors."""

    def __call__(
        self,
        verb: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        headers: Headers | None = None,
    ) -> tuple[Headers, Any]: ...


class RestRepo:
    """One repository, through ``call``; what each method asks is GitHub's REST API."""

    def __init__(
        self,
        call: Call,
        full_name: str,
        *,
        etags: EtagCache,
        identity: Identity,
        at_commits: ShaCache | None = None,
    ) -> None:
        self._call = call
        self._at_commits = ShaCache() if at_commits is None else at_commits
        self.full_name = full_name
        self.owner = full_name.split("/")[0]
        self._url = f"/repos/{full_name}"
        self._etags = etags
        self._identity = identity

    def _get_cached(self, url: str, params: dict[str, Any] | None) -> Any:
        """A GET made conditional on the answer cached for it; 304 means the cache holds."""
        key = url + "?" + "&".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
        hit = self._etags.get(key)
        conditional = {"If-None-Match": hit[0]} if hit else None
        headers, data = self._call("GET", url, params=params, headers=conditional)
        if hit and not data:
            return hit[1]
        size = int(data.get("size", 0)) if isinstance(data, dict) else 0
        self._etags.put(key, headers.get("etag"), data=data, size=size)
        return data

    def _do(
        self, verb: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any:
        url = self._url + path if not path.startswith("/repos/") else path
        return self._call(verb, url, params=params, body=body)[1]

    def _list(
        self, path: str, params: dict[str, Any], *, until: Callable[[Any], bool] | None = None
    ) -> list[Any]:
        """Every item of a list, page after page (``Link: rel="next"``), or up to ``until``."""
        url: str | None = self._url + path
        query: dict[str, Any] | None = {**params, "per_page": 100}
        found: list[Any] = []
        while url:
            headers, page = self._call("GET", url, params=query)
            for item in page:
                if until and until(item):
                    return found
                found.append(item)
            url, query = next_link(headers.get("link", "")), None
        return found

    def repository(self) -> Repository:
        d = self._do("GET", "")
        return Repository(str(d["default_branch"]), str(d["html_url"]))

    def get_issue(self, number: int) -> Issue:
        return issue_from(self._do("GET", f"/issues/{number}"))

    def open_issues(self) -> list[Issue]:
        return self._issues({"state": "open"})

    def closed_issues(self, since: str) -> list[Issue]:
        return self._issues({"state": "closed", "since": since})

    def _issues(self, params: dict[str, Any]) -> list[Issue]:
        return [issue_from(d) for d in self._list("/issues", params) if not d.get("pull_request")]

    def read_file(self, path: str, ref: str) -> FileText | None:
        if _SHA.fullmatch(ref):
            key = (self.full_name, path, ref)
            got: FileText | None = self._at_commits.get(
                key, lambda: self._read(self._url, path, ref=ref)
            )
            return got
        return self._read(self._url, path, ref=ref)

    def read_org_file(self, path: str) -> FileText | None:
        return self._read(f"/repos/{self.owner}/.github", path, ref=None)

    def _read(self, repo_url: str, path: str, *, ref: str | None) -> FileText | None:
        try:
            d = self._get_cached(f"{repo_url}/contents/{path}", {"ref": ref} if ref else None)
        except Gone:
            return None
        if not isinstance(d, dict) or d.get("type") != "file":
            return None
        if d.get("encoding") != "base64":  # files over 1 MB come without content
            d = self._do("GET", f"{repo_url}/git/blobs/{d['sha']}")
        return FileText(base64.b64decode(d["content"]).decode("utf-8"), d["sha"])

    def branch_sha(self, branch: str) -> str | None:
        try:
            return str(self._do("GET", f"/git/ref/heads/{branch}")["object"]["sha"])
        except Gone:
            return None

    def create_branch(self, branch: str, sha: str) -> None:
        self._do("POST", "/git/refs", body={"ref": f"refs/heads/{branch}", "sha": sha})

    def reset_branch(self, branch: str, sha: str) -> None:
        self._do("PATCH", f"/git/refs/heads/{branch}", body={"sha": sha, "force": True})

    def commit_file(
        self, *, branch: str, path: str, text: str, sha: str, message: str, parent: str = ""
    ) -> str:
        content = base64.b64encode(text.encode()).decode()
        body = {"message": message, "content": content, "branch": branch}
        body.update({"sha": sha} if sha else {})  # no sha: a new file
        made = self._do("PUT", f"/contents/{path}", body=body)["commit"]
        on = [p.get("sha") for p in made.get("parents") or []]
        if parent and on and on != [parent]:  # GitHub's answer names its parents
            raise Conflict(f"{branch} moved: the commit went on {on[0]}")
        return str(made["sha"])

    def pulls_for(self, branch: str) -> list[Pull]:
        params = {"state": "all", "head": f"{self.owner}:{branch}", "sort": "created"}
        return [pull_from(p) for p in self._list("/pulls", {**params, "direction": "desc"})]

    def open_pulls(self) -> list[Pull]:
        return [pull_from(p) for p in self._list("/pulls", {"state": "open"})]

    def closed_pulls(self, since: str) -> list[Pull]:
        params = {"state": "closed", "sort": "updated", "direction": "desc"}
        old = self._list("/pulls", params, until=lambda p: (p.get("updated_at") or "") < since)
        return [pull_from(p) for p in old]

    def open_pull(self, *, branch: str, base: str, title: str, body: str) -> Pull:
        made = self._do(
            "POST", "/pulls", body={"head": branch, "base": base, "title": title, "body": body}
        )
        self._identity.learn(made.get("user", {}).get("login"))
        return pull_from(made)

    def edit_pull(
        self,
        number: int,
        *,
        title: str | None = None,
        body: str | None = None,
        state: str | None = None,
    ) -> None:
        changes = {k: v for k, v in {"title": title, "body": body, "state": state}.items() if v}
        self._do("PATCH", f"/pulls/{number}", body=changes)

    def commit_message(self, sha: str) -> str:
        return str(self._do("GET", f"/git/commits/{sha}")["message"])

    def compare(self, base: str, head: str) -> Comparison:
        got = self._do("GET", f"/compare/{base}...{head}")
        files = {str(f["filename"]): str(f.get("sha") or "") for f in got.get("files") or []}
        return Comparison(int(got["ahead_by"]), int(got["behind_by"]), files)

    def comments(self, number: int) -> list[Comment]:
        return [comment_from(c) for c in self._list(f"/issues/{number}/comments", {})]

    def get_comment(self, comment_id: int) -> Comment | None:
        try:
            return comment_from(self._do("GET", f"/issues/comments/{comment_id}"))
        except Gone:
            return None

    def add_comment(self, number: int, body: str) -> Comment:
        made = comment_from(self._do("POST", f"/issues/{number}/comments", body={"body": body}))
        self._identity.learn(made.author)
        return made

    def edit_comment(self, comment_id: int, body: str) -> None:
        self._do("PATCH", f"/issues/comments/{comment_id}", body={"body": body})

    def add_labels(self, number: int, labels: list[str]) -> None:
        self._do("POST", f"/issues/{number}/labels", body={"labels": labels})

    def remove_label(self, number: int, label: str) -> None:
        try:
            self._do("DELETE", f"/issues/{number}/labels/{quote(label, safe='')}")
        except Gone:
            pass

    def request_reviewers(self, number: int, logins: list[str]) -> None:
        self._do("POST", f"/pulls/{number}/requested_reviewers", body={"reviewers": logins})

    def role(self, login: str) -> str:
        d = self._do("GET", f"/collaborators/{quote(login, safe='')}/permission")
        return str(d.get("role_name") or d.get("permission") or "none")

    def bot_login(self) -> str:
        return self._identity.get()

    def known_login(self) -> str | None:
        return self._identity.known()

    def issues_by(self, login: str, *, page: int = 1) -> list[Issue]:
        params = {"creator": login, "state": "all", "sort": "created", "direction": "asc"}
        data = self._do("GET", "/issues", params={**params, "per_page": 100, "page": page})
        return [issue_from(d) for d in data]

    def create_issue(self, *, title: str, body: str) -> Issue:
        return issue_from(self._do("POST", "/issues", body={"title": title, "body": body}))

    def edit_issue(self, number: int, *, title: str | None = None, body: str | None = None) -> None:
        changes = {k: v for k, v in {"title": title, "body": body}.items() if v is not None}
        self._do("PATCH", f"/issues/{number}", body=changes)

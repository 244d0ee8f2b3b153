"""The one PyGithub adapter: auth (token or App), pacing, retries and error translation.

Rules:
- Nothing else in paperbot imports ``github``.
- PyGithub's default retry re-sends POSTs on 5xx (which can duplicate a created object) and
  sleeps through rate limits in the worker thread; here only reads are retried, on 5xx, and
  every create is made safe by the flows (look up, create, 422 = exists).
- Reads are not paced; writes are paced ``write_interval`` seconds apart per client, one
  client per installation (or token) per process.
- 403/429 rate limits become ``RateLimited`` with the wait from ``Retry-After``, else from
  ``x-ratelimit-reset``, else 60 s.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from typing import Any, Protocol
from urllib.parse import quote

from github import Auth, Github, GithubException, GithubIntegration
from requests.exceptions import RequestException
from urllib3.util.retry import Retry

from app.github.port import (
    Comment,
    Conflict,
    FileText,
    Forbidden,
    GitHubError,
    Gone,
    Issue,
    Pull,
    RateLimited,
    Transient,
    Unprocessable,
)
from app.github.shapes import EtagCache, issue_from, pull_from, rate_limited, wait_from

ACTIONS_BOT = "github-actions[bot]"


class Secret(Protocol):
    def get_secret_value(self) -> str: ...


class Credentials(Protocol):
    """What the adapter needs of the service's settings (kept structural: no upward import)."""

    @property
    def api_url(self) -> str: ...
    @property
    def write_interval(self) -> float: ...
    @property
    def app_id(self) -> int | None: ...
    @property
    def token(self) -> Secret | None: ...
    def private_key(self) -> str | None: ...


OnRequest = Callable[[str, str, int, "str | None"], None]


def _uncounted(method: str, path: str, status: int, remaining: str | None) -> None:
    return None


def _retry() -> Retry:
    """Retry reads on 5xx only; rate limits are the job's to wait for, not a blocked thread's."""
    return Retry(
        total=3,
        backoff_factor=0.2,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=False,
        raise_on_status=False,
    )


class Clients:
    """One PyGithub client per installation (App) or one for the token, reused by jobs."""

    def __init__(self, settings: Credentials, *, on_request: OnRequest = _uncounted) -> None:
        self.settings = settings
        self.on_request = on_request
        self._clients: dict[int | None, Github] = {}
        self._lock = threading.Lock()
        self.etags = EtagCache()
        self._login: str | None = None

    def _kwargs(self) -> dict[str, Any]:
        return {
            "base_url": self.settings.api_url,
            "retry": _retry(),
            "timeout": 15,
            "seconds_between_requests": None,
            "seconds_between_writes": self.settings.write_interval or None,
            "user_agent": "paperbot",
        }

    def client(self, installation: int | None) -> Github:
        key = installation if self.settings.app_id else None
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._make(key)
            return self._clients[key]

    def _make(self, installation: int | None) -> Github:
        key = self.settings.private_key()
        if self.settings.app_id and key:
            if installation is None:
                raise Forbidden("a GitHub App needs the installation id from the delivery")
            auth = Auth.AppAuth(self.settings.app_id, key).get_installation_auth(installation)
            return Github(auth=auth, **self._kwargs())
        if self.settings.token is None:
            raise Forbidden("no GitHub credentials: set GITHUB_TOKEN or GITHUB_APP_ID")
        return Github(auth=Auth.Token(self.settings.token.get_secret_value()), **self._kwargs())

    def repo(self, full_name: str, installation: int | None) -> PyGithubRepo:
        client = self.client(installation)
        return PyGithubRepo(
            client, full_name, self.etags, self.on_request, login=lambda: self.login(installation)
        )

    def login(self, installation: int | None) -> str:
        """The login paperbot writes as, asked of GitHub once per process."""
        with self._lock:
            known = self._login
        if known is None:
            known = self._ask_login(installation)
            with self._lock:
                self._login = known
        return known

    def _ask_login(self, installation: int | None) -> str:
        key = self.settings.private_key()
        try:
            if self.settings.app_id and key:
                auth = Auth.AppAuth(self.settings.app_id, key)
                app = GithubIntegration(auth=auth, base_url=self.settings.api_url).get_app()
                return f"{app.slug}[bot]"
            return str(self.client(installation).get_user().login)
        except GithubException as exc:
            if exc.status == 403:  # an Actions GITHUB_TOKEN may not ask who it is
                return ACTIONS_BOT
            raise translate(exc) from exc
        except RequestException as exc:
            raise translate(exc) from exc

    def close(self) -> None:
        for client in self._clients.values():
            client.close()


def translate(exc: Exception) -> Exception:
    """The port error for a PyGithub or transport exception."""
    if isinstance(exc, RequestException):
        return Transient(f"GitHub unreachable: {type(exc).__name__}")
    if not isinstance(exc, GithubException):
        return exc
    status = exc.status
    text = str(exc.data.get("message", "")) if isinstance(exc.data, dict) else ""
    headers = {k.lower(): v for k, v in (exc.headers or {}).items()}
    if status == 429 or (status == 403 and rate_limited(text, headers)):
        wait = wait_from(headers)
        return RateLimited(f"rate limited ({status})", wait or 60.0, told=wait is not None)
    kinds: dict[int, type[GitHubError]] = {
        404: Gone,
        410: Gone,
        409: Conflict,
        422: Unprocessable,
        401: Forbidden,
        403: Forbidden,
    }
    kind = kinds.get(status, Transient if status >= 500 else GitHubError)
    return kind(f"GitHub answered {status}: {text[:200]}")


class PyGithubRepo:
    """RepoPort over PyGithub: each method is exactly one REST call."""

    def __init__(
        self,
        gh: Github,
        full_name: str,
        etags: EtagCache | None = None,
        on_request: OnRequest = _uncounted,
        *,
        login: Callable[[], str] | None = None,
    ) -> None:
        self.on_request = on_request
        self._login = login
        self.full_name = full_name
        self.owner = full_name.split("/")[0]
        self._gh = gh
        self._url = f"/repos/{full_name}"
        self._etags = etags or EtagCache()

    def _get_cached(self, url: str, params: dict[str, Any] | None) -> Any:
        """A GET made conditional on the answer cached for it; 304 means the cache holds."""
        key = url + "?" + "&".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
        hit = self._etags.get(key)
        conditional = {"If-None-Match": hit[0]} if hit else None
        headers, data = self._request("GET", url, params=params, headers=conditional)
        if hit and not data:
            return hit[1]
        self._etags.put(
            key,
            headers.get("etag"),
            data,
            int(data.get("size", 0)) if isinstance(data, dict) else 0,
        )
        return data

    def _do(
        self, verb: str, path: str, *, params: dict[str, Any] | None = None, body: Any = None
    ) -> Any:
        url = self._url + path if not path.startswith("/repos/") else path
        _, data = self._request(verb, url, params=params, body=body)
        return data

    def _request(
        self,
        verb: str,
        url: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[Any, Any]:
        """One REST call, counted for /metrics and the job's log line, errors translated."""
        requester = self._gh.requester
        try:
            got = requester.requestJsonAndCheck(
                verb, url, parameters=params, input=body, headers=headers
            )
        except GithubException as exc:
            self.on_request(
                verb,
                url,
                exc.status,
                {k.lower(): v for k, v in (exc.headers or {}).items()}.get("x-ratelimit-remaining"),
            )
            raise translate(exc) from exc
        except RequestException as exc:
            self.on_request(verb, url, 0, None)
            raise translate(exc) from exc
        self.on_request(
            verb, url, 304 if headers and not got[1] else 200, got[0].get("x-ratelimit-remaining")
        )
        return got

    def get_issue(self, number: int) -> Issue:
        return issue_from(self._do("GET", f"/issues/{number}"))

    def open_issues(self) -> list[Issue]:
        data = self._do("GET", "/issues", params={"state": "open", "per_page": 100})
        return [issue_from(d) for d in data if not d.get("pull_request")]

    def read_file(self, path: str, ref: str) -> FileText | None:
        return self._read(self._url, path, ref)

    def read_org_file(self, path: str) -> FileText | None:
        return self._read(f"/repos/{self.owner}/.github", path, None)

    def _read(self, repo_url: str, path: str, ref: str | None) -> FileText | None:
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

    def commit_file(self, *, branch: str, path: str, text: str, sha: str, message: str) -> str:
        body = {
            "message": message,
            "content": base64.b64encode(text.encode()).decode(),
            "sha": sha,
            "branch": branch,
        }
        return str(self._do("PUT", f"/contents/{path}", body=body)["commit"]["sha"])

    def pulls_for(self, branch: str) -> list[Pull]:
        params = {
            "state": "all",
            "head": f"{self.owner}:{branch}",
            "sort": "created",
            "direction": "desc",
        }
        return [pull_from(p) for p in self._do("GET", "/pulls", params=params)]

    def open_pulls(self) -> list[Pull]:
        return [
            pull_from(p)
            for p in self._do("GET", "/pulls", params={"state": "open", "per_page": 100})
        ]

    def open_pull(self, *, branch: str, base: str, title: str, body: str) -> Pull:
        return pull_from(
            self._do(
                "POST", "/pulls", body={"head": branch, "base": base, "title": title, "body": body}
            )
        )

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

    def comments(self, number: int) -> list[Comment]:
        data = self._do("GET", f"/issues/{number}/comments", params={"per_page": 100})
        return [Comment(c["id"], c.get("body") or "", c["user"]["login"]) for c in data]

    def add_comment(self, number: int, body: str) -> None:
        self._do("POST", f"/issues/{number}/comments", body={"body": body})

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
        return self._login() if self._login else str(self._request("GET", "/user")[1]["login"])

    def issues_by(self, login: str, *, page: int = 1) -> list[Issue]:
        params = {"creator": login, "state": "all", "sort": "created", "direction": "asc"}
        data = self._do("GET", "/issues", params={**params, "per_page": 100, "page": page})
        return [issue_from(d) for d in data]

    def create_issue(self, *, title: str, body: str) -> Issue:
        return issue_from(self._do("POST", "/issues", body={"title": title, "body": body}))

    def edit_issue(self, number: int, *, title: str | None = None, body: str | None = None) -> None:
        changes = {k: v for k, v in {"title": title, "body": body}.items() if v is not None}
        self._do("PATCH", f"/issues/{number}", body=changes)

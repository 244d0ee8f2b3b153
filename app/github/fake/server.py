"""The fake GitHub's HTTP side: GitHub-shaped JSON for the REST endpoints paperbot uses.

Rules:
- State is kept per repository: git objects in a bare repo, issues, PRs and comments in
  memory; every request is counted by (method, route) so tests can assert API cost.
- Faults are injected per route: a status (with headers and an optional "but do it anyway"
  for 5xx-after-success), and a latency for every request.
- What a request writes is authored by its caller: a token's user, or ``<slug>[bot]`` for an
  App installation token. Lists honour ``per_page`` (30 by default, at most 100) and
  ``page``, and link the next page in a ``Link`` header, as GitHub does.
- A deleted issue answers 410 Gone.
- An outage (``outage``, a status such as 502; 0 = off) answers every REST request with that
  status and changes nothing, until it is set back to 0; each such answer is counted in
  ``outage_answers``. With ``latency`` above the client's timeout it is a GitHub that hangs.
- Secondary rate limits (``secondary_gap`` seconds, 0 = off): a write that arrived less than
  that from an accepted write of the same installation (or the personal token) is answered
  403 with ``Retry-After: 60`` (``secondary_wait``) and GitHub's message, and counted in
  ``secondary_hits``; as on GitHub, every write of that installation until then is refused
  too, with the seconds left (reads go on). A
  write is timed when it arrives, before the simulated ``latency``, as GitHub's front end
  would time it (the sleep's own wake-up jitter is this server's, not the client's).
  Accepted writes' arrival times are kept per installation in ``write_times``, in order
  (None: the token).
"""

from __future__ import annotations

import base64
import bisect
import datetime as dt
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.github.fake import openapi
from app.github.fake.git import GitRepo
from app.github.fake.manifest import Registry
from app.github.fake.pages import Paged, paged

Json = dict[str, Any]
CALLER = threading.local()  # the user the request being served authenticated as


class HttpError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Fault:
    route: str
    status: int
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)
    after_success: bool = False
    method: str | None = None


@dataclass
class Repo:
    owner: str
    name: str
    git: GitRepo
    default_branch: str = "main"
    issues: dict[int, Json] = field(default_factory=dict)
    pulls: dict[int, Json] = field(default_factory=dict)
    comments: dict[int, Json] = field(default_factory=dict)
    permissions: dict[str, str] = field(default_factory=dict)
    next_number: int = 1
    deleted: set[int] = field(default_factory=set)
    unlisted: set[int] = field(default_factory=set)  # issues the lists do not show yet (lag)


@dataclass
class FakeGitHub:
    """All fake repositories and the bookkeeping tests read."""

    root: Path
    base_url: str = ""
    repos: dict[str, Repo] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)
    faults: list[Fault] = field(default_factory=list)
    latency: float = 0.0
    spec: list[openapi.Operation] = field(default_factory=openapi.load)
    tokens: dict[str, float] = field(default_factory=dict)  # token → expiry (epoch seconds)
    apps: dict[int, str] = field(default_factory=dict)  # app id → public key PEM
    installations: set[int] = field(default_factory=set)
    token_lifetime: float = 3600.0
    issued: int = 0
    not_modified: int = 0
    rejected: list[str] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)
    next_comment: int = 1
    token_user: str = "group-bot"  # whom a personal token belongs to
    slugs: dict[int, str] = field(default_factory=dict)  # app id → slug ("paperbot")
    token_apps: dict[str, int] = field(default_factory=dict)  # installation token → app id
    schemas: bool = True  # check request bodies with jsonschema (a hard test dependency)
    user_forbidden: bool = False  # GET /user answers 403, as for an Actions GITHUB_TOKEN
    clock_skew: float = 0.0  # seconds GitHub's clock runs ahead of this machine's (App JWTs)
    registry: Registry = field(default_factory=Registry)  # Apps made by the manifest flow
    pending_keys: dict[int, str] = field(default_factory=dict)  # app id → key, until converted
    token_installs: dict[str, int] = field(default_factory=dict)  # token → installation id
    secondary_gap: float = 0.0  # seconds a write must follow its installation's last one
    secondary_hits: int = 0  # writes answered with a secondary rate limit
    secondary_wait: int = 60  # seconds a secondary limit holds its installation's writes
    secondary_until: dict[int | None, float] = field(default_factory=dict)  # ... until (epoch)
    write_times: dict[int | None, list[float]] = field(default_factory=dict)
    outage: int = 0  # status every REST request is answered with (502: GitHub down); 0 = off
    outage_answers: int = 0

    def __post_init__(self) -> None:
        if self.schemas:
            openapi.require_jsonschema()

    def caller(self) -> Json:
        """The user the current request authenticated as."""
        app = getattr(CALLER, "app", None)
        if app is not None:
            slug = self.slugs.get(app, "paperbot")
            return {"login": f"{slug}[bot]", "id": 9000 + app, "type": "Bot"}
        return {"login": self.token_user, "id": 4242, "type": "User"}

    def secondary_limited(self, token: str, *, arrived: float) -> int | None:
        """The Retry-After (counted) when this write arrived too close to an accepted write
        of its installation, or while that installation waits out a secondary limit; else
        None, its arrival time recorded."""
        installation = self.token_installs.get(token)
        with self.lock:
            left = self.secondary_until.get(installation, 0.0) - arrived
            times = self.write_times.setdefault(installation, [])
            at = bisect.bisect(times, arrived)
            near = times[max(at - 1, 0) : at + 1]  # the accepted writes on either side
            if left <= 0 and any(abs(arrived - t) < self.secondary_gap for t in near):
                self.secondary_until[installation] = arrived + self.secondary_wait
                left = max(self.secondary_wait, 1)
            elif left <= 0:
                times.insert(at, arrived)
                return None
            self.secondary_hits += 1
            return max(1, round(left))

    def add_comment(self, full_name: str, number: int, *, login: str, body: str) -> Json:
        """A comment written by ``login`` (a person, or anyone copying the bot)."""
        repo = self.repos[full_name]
        with self.lock:
            comment: Json = {
                "id": self.next_comment,
                "issue": number,
                "body": body,
                "user": {"login": login, "id": 1000 + len(login), "type": "User"},
            }
            self.next_comment += 1
            repo.comments[comment["id"]] = comment
        return comment

    def delete_issue(self, full_name: str, number: int) -> None:
        """Delete an issue as an admin would: it and its comments answer 410 from now on."""
        repo = self.repos[full_name]
        with self.lock:
            repo.issues.pop(number, None)
            repo.deleted.add(number)
            for cid in [k for k, c in repo.comments.items() if c["issue"] == number]:
                del repo.comments[cid]

    def create_repo(self, full_name: str, files: dict[str, str]) -> Repo:
        owner, name = full_name.split("/")
        repo = Repo(owner, name, GitRepo(self.root / f"{owner}__{name}.git"))
        head = None
        for path, text in files.items():
            head = repo.git.commit_file(parent=head, path=path, data=text.encode(), message=path)
        if head:
            repo.git.set_ref(repo.default_branch, head)
        self.repos[full_name] = repo
        return repo

    def create_issue(self, full_name: str, *, title: str, body: str | None, login: str) -> Json:
        repo = self.repos[full_name]
        with self.lock:
            number, repo.next_number = repo.next_number, repo.next_number + 1
        issue = {
            "number": number,
            "title": title,
            "body": body,
            "state": "open",
            "user": {"login": login, "id": 1000 + len(login), "type": "User"},
            "author_association": "COLLABORATOR" if login in repo.permissions else "NONE",
            "labels": [],
            "pull_request": None,
            "updated_at": now(),
        }
        repo.issues[number] = issue
        return self.issue_json(repo, issue)

    def paged(self, path: str, query: dict[str, list[str]], *, items: list[Any]) -> Paged:
        """One page of ``items`` as GitHub pages lists, with its ``Link`` header."""
        return paged(self.base_url, path, query=query, items=items)

    def issue_json(self, repo: Repo, issue: Json) -> Json:
        url = f"{self.base_url}/repos/{repo.owner}/{repo.name}/issues/{issue['number']}"
        comments = sum(c["issue"] == issue["number"] for c in repo.comments.values())
        labels = [{"name": n} for n in issue["labels"]]
        return {
            **issue,
            "id": issue["number"],
            "url": url,
            "html_url": f"{self.base_url}/{repo.owner}/{repo.name}/issues/{issue['number']}",
            "comments": comments,
            "labels": labels,
        }


Route = Callable[["FakeGitHub", Repo, re.Match[str], Json, dict[str, list[str]]], tuple[int, Any]]
ROUTES: list[tuple[str, re.Pattern[str], str, Route]] = []


SECONDARY_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try"
    " again. If you reach out to GitHub Support for help, please include the request ID"
    " 0000:0000:0000000:0000000:00000000."
)
SECONDARY_DOCS = (
    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"
)


def route(method: str, pattern: str, *, name: str) -> Callable[[Route], Route]:
    def add(func: Route) -> Route:
        ROUTES.append(
            (method, re.compile(rf"^/repos/(?P<o>[^/]+)/(?P<r>[^/]+){pattern}$"), name, func)
        )
        return func

    return add


def now() -> str:
    """GitHub's timestamp format, to the second."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()

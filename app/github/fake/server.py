"""The fake GitHub's HTTP side: GitHub-shaped JSON for the REST endpoints paperbot uses.

Rules:
- State is kept per repository: git objects in a bare repo, issues, PRs and comments in
  memory; every request is counted by (method, route) so tests can assert API cost.
- Faults are injected per route: a status (with headers and an optional "but do it anyway"
  for 5xx-after-success), and a latency for every request.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.github.fake import apps, openapi
from app.github.fake.git import GitRepo

Json = dict[str, Any]


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
    user_forbidden: bool = False  # GET /user answers 403, as for an Actions GITHUB_TOKEN

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
        }
        repo.issues[number] = issue
        return self.issue_json(repo, issue)

    def issue_json(self, repo: Repo, issue: Json) -> Json:
        url = f"{self.base_url}/repos/{repo.owner}/{repo.name}/issues/{issue['number']}"
        comments = sum(c["issue"] == issue["number"] for c in repo.comments.values())
        labels = [{"name": n} for n in issue["labels"]]
        return {
            **issue,
            "id": issue["number"],
            "url": url,
            "html_url": url,
            "comments": comments,
            "labels": labels,
        }


Route = Callable[["FakeGitHub", Repo, re.Match[str], Json, dict[str, list[str]]], tuple[int, Any]]
ROUTES: list[tuple[str, re.Pattern[str], str, Route]] = []


def route(method: str, pattern: str, name: str) -> Callable[[Route], Route]:
    def add(func: Route) -> Route:
        ROUTES.append(
            (method, re.compile(rf"^/repos/(?P<o>[^/]+)/(?P<r>[^/]+){pattern}$"), name, func)
        )
        return func

    return add


def _inject(gh: FakeGitHub, method: str, name: str) -> Fault | None:
    with gh.lock:
        for fault in gh.faults:
            if fault.route == name and fault.times > 0 and fault.method in (None, method):
                fault.times -= 1
                return fault
    return None


class Handler(BaseHTTPRequestHandler):
    """Dispatches one request to the matching route."""

    gh: FakeGitHub
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self, method: str) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        raw = json.loads(self.rfile.read(length)) if length else None
        time.sleep(self.gh.latency)
        query = parse_qs(url.query)
        problem = openapi.check(self.gh.spec, method, url.path, query, raw)
        if problem:
            self.gh.rejected.append(problem)
            self._send(422 if raw is not None else 400, {"message": problem})
            return
        body = raw if raw is not None else {}
        if url.path.startswith("/app"):
            self._send(*apps.app_route(self.gh, url.path, self.headers.get("authorization")))
            return
        if not self._authorised():
            self._send(401, {"message": "Bad credentials"})
            return
        if url.path == "/user":
            self.gh.requests["GET user"] += 1
            self._send(*apps.user(self.gh))
            return
        for m, pattern, name, func in ROUTES:
            match = pattern.match(url.path) if m == method else None
            if match:
                self.gh.requests[f"{method} {name}"] += 1
                self._run(name, func, match, body, query)
                return
        self._send(404, {"message": "Not Found"})

    def _authorised(self) -> bool:
        if not (self.gh.tokens or self.gh.apps):
            return True
        scheme, _, token = (self.headers.get("authorization") or "").partition(" ")
        return scheme.lower() in ("token", "bearer") and self.gh.tokens.get(token, 0) > time.time()

    def _run(
        self, name: str, func: Route, match: re.Match[str], body: Json, query: dict[str, list[str]]
    ) -> None:
        fault = _inject(self.gh, self.command, name)
        if fault and not fault.after_success:
            self._send(fault.status, {"message": "injected"}, fault.headers)
            return
        repo = self.gh.repos.get(f"{match['o']}/{match['r']}")
        try:
            if repo is None:
                raise HttpError(404, "Not Found")
            with self.gh.lock:
                status, data = func(self.gh, repo, match, body, query)
        except HttpError as exc:
            status, data = exc.status, {"message": str(exc)}
        if fault:
            status, data = fault.status, {"message": "injected after success"}
        self._send(status, data, fault.headers if fault else {})

    def _send(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(data).encode()
        if self.command == "GET" and status == 200:
            etag = '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'
            headers = {**(headers or {}), "ETag": etag}
            if self.headers.get("if-none-match") == etag:  # a 304 costs no rate limit
                self.gh.not_modified += 1
                status, raw = 304, b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(raw)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(raw)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_DELETE(self) -> None:
        self._serve("DELETE")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()

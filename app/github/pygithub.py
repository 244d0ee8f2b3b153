"""The one PyGithub adapter: auth (token or App), pacing, retries, error translation and the
bot's own login.

Rules:
- Nothing else in paperbot imports ``github``; the REST calls themselves are app/github/rest.py.
- PyGithub's default retry re-sends POSTs on 5xx (which can duplicate a created object) and
  sleeps through rate limits in the worker thread; here only reads are retried, on 5xx, and
  every create is made safe by the flows (look up, create, 422 = exists).
- Writes (POST/PATCH/PUT/DELETE) are paced ``write_interval`` seconds apart per
  installation (or token) by the injected ``Pacer`` (pacing.py): shared by every process in
  the service, local to this one otherwise. PyGithub's own pacing is off. Reads are not paced.
- 403/429 rate limits become ``RateLimited`` with the wait from ``Retry-After``, else from
  ``x-ratelimit-reset``, else 60 s (at most an hour, ``shapes.MAX_WAIT``; a value that is
  no plain number of seconds is not told), and pause that installation in the pacer until then:
  every request for it (reads too: GitHub may ban an integration that keeps asking while
  limited) waits out a pause of at most ``PAUSE_HOLD`` seconds, and a longer one raises
  ``RateLimited`` for the time left, without asking GitHub. Other installations go on.
- One client per installation, for the ``MAX_CLIENTS`` used most recently: the one used
  longest ago is closed (its connections to GitHub) and made anew, with a new token, when
  needed again, so a worker that served many installations holds no socket per installation.
- The bot's login is learned once per process: ``PAPERBOT_BOT_LOGIN`` when set; for an App
  ``<slug>[bot]`` from ``GET /app``, which takes the App's JWT, not an installation token;
  for a token ``GET /user`` (a machine user's token, in Actions too), and
  ``github-actions[bot]`` only when GitHub refuses it (Actions' own ``GITHUB_TOKEN``).
  Until asked, what the bot wrote (comments, PRs) tells it.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from typing import Any, Protocol

from github import Auth, Github, GithubException
from requests.exceptions import RequestException
from urllib3.util.retry import Retry

from app.github.pacing import LocalPacer, Pacer
from app.github.port import (
    Conflict,
    Forbidden,
    GitHubError,
    Gone,
    RateLimited,
    Transient,
    Unauthorized,
    Unprocessable,
)
from app.github.rest import Headers, RestRepo
from app.github.shapes import EtagCache, Identity, ShaCache, rate_limited, wait_from

ACTIONS_BOT = "github-actions[bot]"
WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
PAUSE_HOLD = 5.0  # seconds of a rate-limit pause a request waits out; longer: RateLimited
PATIENCE = 600.0  # seconds a write may queue for its slot before its job is put off
MAX_CLIENTS = 64  # installations whose client (token, open connections) a process keeps


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
    @property
    def bot_login(self) -> str: ...
    @property
    def in_actions(self) -> bool: ...
    def private_key(self) -> str | None: ...


class OnRequest(Protocol):
    """Told of every REST call's outcome (status 0: no answer)."""

    def __call__(self, method: str, path: str, *, status: int, remaining: str | None) -> None: ...


def _uncounted(method: str, path: str, *, status: int, remaining: str | None) -> None:
    return None


REQUEST_SECONDS = 15  # a GitHub that sends nothing for this long is down for this attempt


def _retry() -> Retry:
    """Retry reads on 5xx only; rate limits are the job's to wait for, not a blocked thread's.
    A read that timed out is not asked again here: a GitHub that hangs would hold the job's
    repository lease four timeouts long (~61 s) per attempt; the job's own retry waits it out
    with the lease let go."""
    return Retry(
        total=3,
        read=0,
        backoff_factor=0.2,
        status_forcelist=(500, 502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        respect_retry_after_header=False,
        raise_on_status=False,
    )


class Clients:
    """One PyGithub client per installation (App) or one for the token, reused by jobs."""

    def __init__(
        self,
        settings: Credentials,
        *,
        on_request: OnRequest = _uncounted,
        pacer: Pacer | None = None,
        timeout: int = REQUEST_SECONDS,
    ) -> None:
        self.settings = settings
        self.timeout = timeout
        self.on_request = on_request
        self.pacer = pacer or LocalPacer()
        self._clients: OrderedDict[int | None, Github] = OrderedDict()
        self._lock = threading.Lock()
        self.etags = EtagCache()
        self.at_commits = ShaCache()
        self.identity = Identity(self.ask_login, fixed=settings.bot_login)

    def _kwargs(self) -> dict[str, Any]:
        return {
            "base_url": self.settings.api_url,
            "retry": _retry(),
            "timeout": self.timeout,
            "seconds_between_requests": None,
            "seconds_between_writes": None,  # paced per installation by self.pacer
            "user_agent": "paperbot",
        }

    def client(self, installation: int | None) -> Github:
        key = installation if self.settings.app_id else None
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._make(key)
            self._clients.move_to_end(key)
            full = len(self._clients) > MAX_CLIENTS
            idle = self._clients.popitem(last=False)[1] if full else None
            client = self._clients[key]
        if idle is not None:
            idle.close()  # a job still holding it opens a connection again when it asks
        return client

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

    def _key(self, installation: int | None) -> str:
        """The pacer's key: one per installation, or one for the token."""
        return f"github:{installation}" if self.settings.app_id else "github:token"

    def repo(self, full_name: str, installation: int | None) -> RestRepo:
        requester = self.client(installation).requester
        call = functools.partial(self._call, requester=requester, key=self._key(installation))
        return RestRepo(
            call, full_name, etags=self.etags, identity=self.identity, at_commits=self.at_commits
        )

    def ask_login(self) -> str:
        """``<slug>[bot]`` from ``GET /app`` (the App's JWT), else the token's ``GET /user``."""
        key = self.settings.private_key()
        if self.settings.app_id and key:
            app = Github(auth=Auth.AppAuth(self.settings.app_id, key), **self._kwargs())
            try:
                got = self._call("GET", "/app", requester=app.requester, key="github:app")[1]
                return f"{got['slug']}[bot]"
            finally:
                app.close()
        try:
            got = self._call(
                "GET", "/user", requester=self.client(None).requester, key=self._key(None)
            )
            return str(got[1]["login"])
        except Unauthorized:
            raise
        except Forbidden:  # an installation token (Actions' GITHUB_TOKEN) may not ask
            return ACTIONS_BOT

    def _call(
        self,
        verb: str,
        url: str,
        *,
        requester: Any,
        key: str,
        params: dict[str, Any] | None = None,
        body: Any = None,
        headers: Headers | None = None,
    ) -> tuple[Headers, Any]:
        """One REST call, paced, counted for /metrics and the job's log line, errors
        translated; a rate limit pauses ``key``."""
        try:
            if verb in WRITES and requester.auth is not None:
                _ = requester.auth.token  # an App token due for renewal is renewed before the
                # write's slot, not inside it (a slot's write would reach GitHub late)
            self._pace(key, verb)
            got: tuple[Headers, Any] = requester.requestJsonAndCheck(
                verb, url, parameters=params, input=body, headers=headers
            )
        except GithubException as exc:
            lowered = {k.lower(): v for k, v in (exc.headers or {}).items()}
            self.on_request(
                verb, url, status=exc.status, remaining=lowered.get("x-ratelimit-remaining")
            )
            error = translate(exc)
            if isinstance(error, RateLimited):
                self.pacer.pause(key, time.time() + error.retry_after)
            raise error from exc
        except RequestException as exc:
            self.on_request(verb, url, status=0, remaining=None)
            raise translate(exc) from exc
        status = 304 if headers and not got[1] else 200
        self.on_request(verb, url, status=status, remaining=got[0].get("x-ratelimit-remaining"))
        return got

    def _pace(self, key: str, verb: str) -> None:
        """Wait for this write's slot, or out a short pause; a long pause is RateLimited."""
        interval = self.settings.write_interval if verb in WRITES else 0.0
        granted, wait = self.pacer.reserve(
            key, interval=interval, patience=PATIENCE, hold=PAUSE_HOLD
        )
        if not granted:
            raise RateLimited(f"paused after a rate limit ({wait:.0f} s left)", wait)
        if wait > 0:
            time.sleep(wait)

    def close(self) -> None:
        for client in list(self._clients.values()):
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
        401: Unauthorized,
        403: Forbidden,
    }
    kind = kinds.get(status, Transient if status >= 500 else GitHubError)
    return kind(f"GitHub answered {status}: {text[:200]}")

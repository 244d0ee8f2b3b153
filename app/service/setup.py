"""``paperbot setup``'s web app: register the GitHub App from a manifest, write its credentials.

Rules:
- A ``state`` is made by this process for each page that shows the button, and is good for
  one callback within an hour; any other state is refused and nothing is written. The
  callback that succeeded, loaded again with its own state and code (a refresh), shows the
  same last page and writes nothing.
- The code is exchanged at once; the env file (0600) and the key beside it (0600) are
  written only after everything was checked, and never over an env file holding
  credentials or an existing key file. A failure leaves both as they were.
- Bound to anything but loopback, the pages ask for the one-time token printed at start
  (in the query once, then a cookie); the callback is guarded by its state.
"""

from __future__ import annotations

import hmac
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from app.core.manifest import env_text, holds_credentials, manifest, new_app_url
from app.github.manifest import ConversionFailed, NewApp, convert
from app.service import setup_pages as pages

STATE_SECONDS = 3600
COOKIE = "paperbot_setup"


class Refused(Exception):
    """Nothing is written; ``why`` says so in both languages."""

    def __init__(self, why: pages.Pair) -> None:
        super().__init__(why[1])
        self.why = why


@dataclass
class Setup:
    """What ``paperbot setup`` was told, and the states it handed out."""

    env_file: Path
    web_url: str
    api_url: str
    webhook_url: str = ""
    org: str | None = None
    token: str | None = None  # required when not bound to loopback
    extra_env: dict[str, str] = field(default_factory=dict)
    announce: Callable[[NewApp, Path], None] = lambda made, key_file: None  # the terminal's
    _states: dict[str, float] = field(default_factory=dict)
    _done: dict[tuple[str, str], str] = field(default_factory=dict)  # (state, code) → page
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def issue_state(self) -> str:
        state = secrets.token_urlsafe(24)
        with self._lock:
            self._states[state] = time.monotonic()
        return state

    def take_state(self, state: str) -> bool:
        """True once for a state this process made in the last hour."""
        with self._lock:
            made = self._states.pop(state, None)
        return made is not None and time.monotonic() - made < STATE_SECONDS

    def blocked(self) -> str:
        """Why nothing can be written (an env file with credentials), or ""."""
        if self.env_file.is_file() and holds_credentials(self.env_file.read_text("utf-8")):
            return pages.both(_has_credentials(str(self.env_file)))
        return ""


def _has_credentials(path: str) -> pages.Pair:
    return (
        f"{path} 里已经有 GitHub 凭据，paperbot setup 不会覆盖它。要注册新的 App，"
        "先把它移开，或用 --env-file 指定另一个文件。",
        f"{path} already holds GitHub credentials, and paperbot setup never writes over them. "
        "To register a new App, move it aside or name another file with --env-file.",
    )


def app(setup: Setup) -> Starlette:
    """The setup pages: / (start), /callback (GitHub's redirect)."""

    async def start(request: Request) -> Response:
        if not _allowed(setup, request):
            return _html(pages.error(_TOKEN), 403)
        hook = setup.webhook_url or request.query_params.get("webhook_url", "")
        back = f"{str(request.base_url).rstrip('/')}/callback"  # as the browser reached us
        shown = manifest(webhook_url=hook, redirect_url=back) if _url(hook) else None
        blocked = setup.blocked()
        action = new_app_url(setup.web_url, setup.issue_state(), org=setup.org) if shown else ""
        html = pages.start(
            env_file=str(setup.env_file), action=action, manifest=shown, blocked=blocked
        )
        response = _html(html)
        if setup.token:
            response.set_cookie(COOKIE, setup.token, httponly=True, samesite="lax")
        return response

    async def callback(request: Request) -> Response:
        code, state = request.query_params.get("code", ""), request.query_params.get("state", "")
        try:
            html = finish(setup, code=code, state=state)
        except Refused as exc:
            return _html(pages.error(exc.why), 400)
        return _html(html)

    return Starlette(routes=[Route("/", start), Route("/callback", callback)])


_TOKEN: pages.Pair = (
    "这一页需要 paperbot setup 启动时打印的一次性口令（地址里的 ?token=…）。",
    "This page needs the one-time token paperbot setup printed when it started (?token=… in "
    "the address).",
)


def _allowed(setup: Setup, request: Request) -> bool:
    if setup.token is None:
        return True
    given = request.query_params.get("token") or request.cookies.get(COOKIE) or ""
    return hmac.compare_digest(given.encode(), setup.token.encode())


def _url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _html(text: str, status: int = 200) -> HTMLResponse:
    headers = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    return HTMLResponse(text, status_code=status, headers=headers)


def finish(setup: Setup, *, code: str, state: str) -> str:
    """Check the state, exchange the code, write the files; the last page (or Refused)."""
    if page := setup._done.get((state, code)):
        return page
    if not code or not state or not setup.take_state(state):
        raise Refused(_BAD_STATE)
    if setup.blocked():
        raise Refused(_has_credentials(str(setup.env_file)))
    try:
        made = convert(setup.api_url, code)
    except ConversionFailed as exc:
        raise Refused((f"GitHub 没有完成注册：{exc}", f"GitHub did not finish: {exc}")) from None
    key_file = write_credentials(setup, made)
    page = setup._done[(state, code)] = pages.done(
        app_name=made.name,
        app_id=made.id,
        env_file=str(setup.env_file),
        key_file=str(key_file),
        install_url=made.html_url,
    )
    setup.announce(made, key_file)
    return page


_BAD_STATE: pages.Pair = (
    "这个回调不是这次 paperbot setup 发起的，或已经用过（state 不对）。请从头再来。",
    "This callback was not started by this paperbot setup, or was used already (its state "
    "does not match). Please start again.",
)


def write_credentials(setup: Setup, made: NewApp) -> Path:
    """Write the key (0600), then the env file (0600, replaced at once); the key's path."""
    env_file = setup.env_file
    key_file = env_file.parent / f"{made.slug}.private-key.pem"
    if key_file.exists():
        raise Refused(
            (f"{key_file} 已存在，不会覆盖。", f"{key_file} exists and is never written over.")
        )
    old = env_file.read_text("utf-8") if env_file.is_file() else ""
    text = env_text(
        old,
        app_id=made.id,
        webhook_secret=made.webhook_secret,
        key_path=str(key_file),
        settings=setup.extra_env,
    )
    _write_new(key_file, made.pem)
    try:
        _replace(env_file, text)
    except OSError:
        key_file.unlink(missing_ok=True)
        raise
    return key_file


def _write_new(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def _replace(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".paperbot-setup-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:  # mkstemp makes it 0600
            out.write(text)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise

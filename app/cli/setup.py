"""``paperbot setup``: serve the page that registers paperbot's GitHub App (the manifest flow)."""

from __future__ import annotations

import argparse
import ipaddress
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import CliError, Commands, add_command
from app.service.settings import DEFAULT_API_URL, DEFAULT_WEB_URL, get_settings

if TYPE_CHECKING:
    from app.github.manifest import NewApp


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _announce(env_file: Path) -> Callable[[NewApp, Path], None]:
    def done(made: NewApp, key_file: Path) -> None:
        print(f"paperbot setup: registered the App {made.name} (id {made.id});", flush=True)
        print(f"  wrote {env_file} and {key_file}", flush=True)
        print(f"  next: install it ({made.html_url}/installations/new), then make run", flush=True)
        print("  this page has done its work: Ctrl-C stops it", flush=True)

    return done


def cmd_setup(args: argparse.Namespace) -> int:
    import uvicorn

    from app.service.http_server import BoundedHttpTools
    from app.service.setup import Setup, app

    settings = get_settings()
    env_file = Path(args.env_file)
    if not env_file.parent.is_dir():
        raise CliError(f"{env_file.parent}: no such directory (for --env-file)")
    token = None if _loopback(args.host) else secrets.token_urlsafe(16)
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    base = f"http://{shown_host}:{args.port}"
    extra = {"GITHUB_API_URL": settings.api_url} if settings.api_url != DEFAULT_API_URL else {}
    if settings.web_url != DEFAULT_WEB_URL:
        extra["GITHUB_URL"] = settings.web_url  # GitHub Enterprise: serve needs both
    setup = Setup(
        env_file=env_file,
        web_url=settings.web_url,
        api_url=settings.api_url,
        webhook_url=args.webhook_url or "",
        org=args.org,
        token=token,
        extra_env=extra,
        announce=_announce(env_file),
    )
    print(f"paperbot setup: open {base}/" + (f"?token={token}" if token else ""), flush=True)
    if token:
        print("  (not on loopback: the page needs that one-time token)", flush=True)
    print(f"  it writes {env_file} and the App's key beside it; Ctrl-C stops it", flush=True)
    bounded = BoundedHttpTools  # heads bounded in size and time, as serve's (http_server.py)
    uvicorn.run(app(setup), host=args.host, port=args.port, log_level="warning", http=bounded)
    return 0


def add_to(sub: Commands) -> None:
    """Register ``paperbot setup`` on the ``paperbot`` parser."""
    text = "serve a page that registers paperbot's GitHub App and writes its credentials"
    cmd = add_command(sub, "setup", func=cmd_setup, text=text, config=False)
    cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback)")
    cmd.add_argument("--port", type=int, default=3000, help="port to listen on (default: 3000)")
    cmd.add_argument(
        "--webhook-url", help="where GitHub sends events (asked on the page if not given)"
    )
    cmd.add_argument("--org", help="register the App for this organisation, not your account")
    cmd.add_argument("--env-file", default=".env", help="the env file to write (default: .env)")

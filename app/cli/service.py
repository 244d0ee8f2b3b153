"""The service commands: serve, worker, receive (replay / dry run), action, demo."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from app.cli.common import CliError, Commands, add_command, read_text
from app.service.settings import get_settings


def cmd_serve(args: argparse.Namespace) -> int:
    from app.service import logs, runtime

    settings = get_settings().for_webhooks()
    logs.setup(args.log_format)
    built = runtime.build(settings)
    runtime.serve(built, host=args.host, port=args.port, workers=args.workers)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    from app.service import logs, runtime

    logs.setup(args.log_format)
    runtime.work(runtime.build(get_settings().for_github()))
    return 0


def _payload(path: str) -> dict[str, Any]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or "repository" not in data:
        raise CliError(f"{path}: not a GitHub webhook payload (no 'repository')")
    return data


def cmd_receive(args: argparse.Namespace) -> int:
    from app.cli.replay import offline_port, run_delivery
    from app.core.config import load_config
    from app.github.dryrun import DryRun, describe
    from app.github.pygithub import Clients

    payload = _payload(args.payload)
    port: Any
    if args.readme:
        config_text = read_text(args.config) if args.config else None
        path = load_config(config_text).path
        port = offline_port(
            payload, readme=read_text(args.readme), readme_path=path, config_text=config_text
        )
    else:
        clients = Clients(get_settings())
        installation = (payload.get("installation") or {}).get("id")
        port = clients.repo(payload["repository"]["full_name"], installation)
        port = DryRun(port) if args.dry_run else port
    print(f"outcome: {run_delivery(args.event, payload, port=port)}")
    if isinstance(port, DryRun):
        sys.stdout.write(describe(port.actions))
    return 0


def _env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise CliError(f"{name}: is required (paperbot action runs inside GitHub Actions)")
    return value


def cmd_action(args: argparse.Namespace) -> int:
    from app.cli.replay import run_delivery
    from app.github.port import GitHubError
    from app.github.pygithub import Clients

    event, payload = _env("GITHUB_EVENT_NAME"), _payload(_env("GITHUB_EVENT_PATH"))
    repo = _env("GITHUB_REPOSITORY")
    installation = (payload.get("installation") or {}).get("id")
    clients = Clients(get_settings().for_github())
    try:
        outcome = run_delivery(event, payload, port=clients.repo(repo, installation))
    except GitHubError as exc:
        print(f"paperbot: {exc}", file=sys.stderr)
        return 1
    finally:
        clients.close()
    print(f"outcome: {outcome}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from app.cli.demo import run

    return run(readme=read_text(args.readme) if args.readme else None)


def add_to(sub: Commands) -> None:
    """Register the service commands on the ``paperbot`` parser."""
    srv = add_command(
        sub, "serve", cmd_serve, "run the webhook endpoint and the job workers", config=False
    )
    srv.add_argument("--host", default="0.0.0.0", help="address to listen on")
    srv.add_argument("--port", type=int, default=8000, help="port to listen on")
    srv.add_argument(
        "--workers",
        type=int,
        help="job worker threads (default PAPERBOT_WORKERS;"
        " 0: endpoint only, for replicas sharing a Redis queue)",
    )
    wrk = add_command(
        sub, "worker", cmd_worker, "run job workers only (PAPERBOT_QUEUE=redis://…)", config=False
    )
    for cmd in (srv, wrk):
        cmd.add_argument("--log-format", choices=["json", "text"], default="json")
    rcv = add_command(
        sub, "receive", cmd_receive, "replay a saved webhook delivery through the bot"
    )
    rcv.add_argument("payload", help="the delivery's JSON body, saved to a file")
    rcv.add_argument("--event", required=True, help="its X-GitHub-Event, e.g. issues")
    rcv.add_argument("--dry-run", action="store_true", help="make no writes; print them")
    rcv.add_argument("--readme", help="use this README and no GitHub at all (implies --dry-run)")
    add_command(
        sub,
        "action",
        cmd_action,
        "run once for the GitHub Actions event (GITHUB_EVENT_*)",
        config=False,
    )
    dmo = add_command(
        sub, "demo", cmd_demo, "run the whole loop against a local GitHub stand-in", config=False
    )
    dmo.add_argument("--readme", help="seed the demo repository with this README")

"""The service commands: serve, worker, receive (replay / dry run), action, demo."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any

from app.cli.common import CliError, Commands, add_command, read_text
from app.service.settings import Settings, SettingsError, get_settings

if TYPE_CHECKING:
    from app.cli.replay import PortFor
    from app.github.dryrun import DryRun
    from app.github.port import RepoPort
    from app.lookup.port import Lookup


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
    settings = get_settings().for_github()
    if args.metrics_port is not None:
        settings = settings.model_copy(update={"metrics_port": args.metrics_port})
    if not settings.queue and not (settings.data_dir / "queue.db").exists():
        runtime.log.warning(
            "paperbot worker made a new, empty queue: no paperbot serve has used this data dir,"
            " so this worker sees none of its deliveries; give both the same PAPERBOT_DATA_DIR"
            " (or one PAPERBOT_QUEUE=redis://...)",
            extra={"queue": settings.queue_name()},
        )
    runtime.work(runtime.build(settings))
    return 0


def _payload(path: str) -> dict[str, Any]:
    try:
        data = json.loads(read_text(path))
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise CliError(f"{path}: not a GitHub webhook payload (a JSON object)")
    return data


def _replay(
    event: str, payload: dict[str, Any], *, port_for: PortFor, lookup: Lookup | None = None
) -> int:
    """Run one delivery and print its outcome; a GitHub failure is one line and exit 1."""
    from app.cli.replay import run_delivery
    from app.github.port import GitHubError

    try:
        outcome = run_delivery(event, payload, port_for=port_for, lookup=lookup)
    except GitHubError as exc:
        print(f"paperbot: {exc}", file=sys.stderr)
        return 1
    print(f"outcome: {outcome}")
    return 0


def _credentials() -> Settings:
    try:
        return get_settings().for_github()
    except SettingsError as exc:
        raise SettingsError(f"{exc}; or replay with no GitHub: --readme README.md") from None


def cmd_receive(args: argparse.Namespace) -> int:
    from app.github.dryrun import describe

    payload = _payload(args.payload)
    port_for, dry = _offline(args, payload) if args.readme else _github(args.dry_run)
    code = _replay(args.event, payload, port_for=port_for)
    for port in dry:
        sys.stdout.write(describe(port.actions, port.language()))
    return code


def _offline(args: argparse.Namespace, payload: dict[str, Any]) -> tuple[PortFor, list[DryRun]]:
    """Ports over the local README (and config): no GitHub, every write recorded."""
    from app.cli.replay import offline_port
    from app.core.config import load_config

    config_text = read_text(args.config) if args.config else None
    readme, path = (
        read_text(args.readme),
        load_config(config_text, name=args.config or "paperbot.yml").path,
    )
    dry: list[DryRun] = []

    def port_for(repo: str, installation: int | None) -> DryRun:
        dry.append(offline_port(payload, readme=readme, readme_path=path, config_text=config_text))
        return dry[-1]

    return port_for, dry


def _github(dry_run: bool) -> tuple[PortFor, list[DryRun]]:
    """Ports on GitHub; with ``dry_run`` reads only, every write recorded."""
    from app.github.dryrun import DryRun
    from app.github.pygithub import Clients

    clients, dry = Clients(_credentials()), list[DryRun]()

    def port_for(repo: str, installation: int | None) -> RepoPort | DryRun:
        port = clients.repo(repo, installation)
        if dry_run:
            dry.append(DryRun(port))
        return dry[-1] if dry_run else port

    return port_for, dry


def _env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise CliError(f"{name}: is required (paperbot action runs inside GitHub Actions)")
    return value


def cmd_action(args: argparse.Namespace) -> int:
    from app.github.pygithub import Clients
    from app.lookup.cache import MemoryKeyValue
    from app.service.lookups import cached_lookup

    event, payload = _env("GITHUB_EVENT_NAME"), _payload(_env("GITHUB_EVENT_PATH"))
    if "repository" not in payload:  # a schedule event names no repository: Actions does
        payload["repository"] = {"full_name": _env("GITHUB_REPOSITORY")}  # GitHub names its base
    clients = Clients(get_settings().for_github())
    lookup = cached_lookup(MemoryKeyValue())
    try:
        return _replay(event, payload, port_for=clients.repo, lookup=lookup)
    finally:
        clients.close()
        lookup.close()


def cmd_demo(args: argparse.Namespace) -> int:
    if args.weekly:
        from app.cli import weekly_demo

        return weekly_demo.run(lang=args.language)
    from app.cli.demo import run

    return run(readme=read_text(args.readme) if args.readme else None, lang=args.language)


def add_to(sub: Commands) -> None:
    """Register the service commands on the ``paperbot`` parser."""
    serve = "run the webhook endpoint and the job workers"
    srv = add_command(sub, "serve", func=cmd_serve, text=serve, config=False)
    srv.add_argument("--host", default="0.0.0.0", help="address to listen on")
    srv.add_argument("--port", type=int, default=8000, help="port to listen on")
    srv.add_argument(
        "--workers",
        type=int,
        help="job worker threads (default PAPERBOT_WORKERS;"
        " 0: endpoint only, for replicas sharing a Redis queue)",
    )
    worker = "run job workers only (PAPERBOT_QUEUE=redis://…)"
    wrk = add_command(sub, "worker", func=cmd_worker, text=worker, config=False)
    wrk.add_argument(
        "--metrics-port",
        type=int,
        help="serve this worker's /metrics on this port (default PAPERBOT_METRICS_PORT;"
        " 0: none), on PAPERBOT_METRICS_HOST (default 127.0.0.1)",
    )
    for cmd in (srv, wrk):
        cmd.add_argument(
            "--log-format",
            choices=["json", "text"],
            default="json",
            help="log lines as JSON objects (default) or as plain text",
        )
    _add_receive(sub)
    act = "run once for the GitHub Actions event (GITHUB_EVENT_*)"
    add_command(sub, "action", func=cmd_action, text=act, config=False)
    _add_demo(sub)


def _add_receive(sub: Commands) -> None:
    rcv = add_command(
        sub,
        "receive",
        func=cmd_receive,
        text="replay a saved webhook delivery through the bot",
        config=False,
    )
    rcv.add_argument(
        "--config", help="with --readme: the repository's paperbot.yml (GitHub's is read otherwise)"
    )
    rcv.add_argument("payload", help="the delivery's JSON body, saved to a file")
    rcv.add_argument("--event", required=True, help="its X-GitHub-Event, e.g. issues")
    rcv.add_argument("--dry-run", action="store_true", help="make no writes; print them")
    rcv.add_argument("--readme", help="use this README and no GitHub at all (implies --dry-run)")


def _add_demo(sub: Commands) -> None:
    dmo = add_command(
        sub,
        "demo",
        func=cmd_demo,
        text="run the whole loop against a local GitHub stand-in",
        config=False,
    )
    dmo.add_argument("--readme", help="seed the demo repository with this README")
    dmo.add_argument(
        "--weekly",
        action="store_true",
        help="show a week of the weekly loop in fast-forward: dashboard, reminder, one PR",
    )
    dmo.add_argument(
        "--language",
        choices=["zh", "en"],
        default="zh",
        help="the demo repository's language (the language option of its config): zh or en",
    )

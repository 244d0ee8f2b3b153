"""``paperbot init``: the setup files (forms, config, the Actions workflow) in a checkout."""

from __future__ import annotations

import argparse
import datetime as dt
from importlib import resources
from pathlib import Path

from app.cli.common import CliError, Commands, add_command, read_text
from app.core.config import load_config
from app.core.errors import BotError
from app.core.onboarding import CONFIG_PATH, WORKFLOW_PATH, Found, detect, setup_files
from app.core.onboarding_text import facts, findings


def workflow() -> str:
    """The Actions workflow paperbot ships (deploy/workflows/paperbot.yml)."""
    return resources.files("app").joinpath("data", "paperbot-workflow.yml").read_text("utf-8")


def _found(root: Path) -> Found:
    config_file = root / CONFIG_PATH
    config = load_config(read_text(str(config_file)) if config_file.is_file() else None)
    readme = root / config.path
    try:
        return detect(read_text(str(readme)), config=config, today=dt.date.today())
    except BotError as exc:
        raise CliError(f"{exc.message}: paperbot inserts entries under that line") from None


def cmd_init(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    if not root.is_dir():
        raise CliError(f"{root}: no such directory")
    found = _found(root)
    print(f"{root / found.path}:")
    for line in facts(found):
        print(f"  {line}")
    for line in findings(found):
        print(f"  lint {line}")
    files = setup_files(found)
    if args.actions:
        files[WORKFLOW_PATH] = workflow()
    kept = 0
    for path, text in files.items():
        kept += not _write(root / path, text, force=args.force)
    if kept:
        print(f"{kept} file(s) kept as they were: --force overwrites them")
    if args.actions:
        print(f"{WORKFLOW_PATH}: set its `uses:` line to the paperbot you run")
    return 0


def _write(target: Path, text: str, *, force: bool) -> bool:
    """Write ``target`` unless it exists (and ``force`` is off); True when written."""
    if target.exists() and not force:
        print(f"kept    {target} (exists)")
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    existed = target.exists()
    target.write_text(text, encoding="utf-8")
    print(f"{'over' if existed else ''}wrote {target}")
    return True


def add_to(sub: Commands) -> None:
    """Register ``paperbot init`` on the ``paperbot`` parser."""
    text = "write the issue forms and .github/paperbot.yml, filled from the README, into a checkout"
    cmd = add_command(sub, "init", func=cmd_init, text=text, config=False)
    cmd.add_argument("dir", nargs="?", default=".", help="the checkout (default: here)")
    cmd.add_argument(
        "--actions", action="store_true", help=f"also write {WORKFLOW_PATH} (run in Actions)"
    )
    cmd.add_argument("--force", action="store_true", help="overwrite files that exist")

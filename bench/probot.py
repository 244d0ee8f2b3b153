"""The peer for the acknowledgement benchmark: a minimal Probot app, installed from npm.

One handler that does nothing, run the way Probot documents (`probot run`), with JSON logs.
It is installed on first use under bench/.probot (gitignored) with `npm install`; node 20.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from app.github.fake.apps import keypair

HOME = Path(__file__).parent / ".probot"
VERSION = "14.3.2"
APP = """export default (app) => {
  app.on("issues.opened", async () => {});
};
"""


def install() -> Path:
    """bench/.probot with probot installed and the app written; returns the folder."""
    if not shutil.which("npm"):
        raise SystemExit("bench/probot.py needs node 20 and npm")
    HOME.mkdir(exist_ok=True)
    package = {"private": True, "type": "module", "dependencies": {"probot": VERSION}}
    (HOME / "package.json").write_text(json.dumps(package, indent=2))
    (HOME / "index.js").write_text(APP)
    if not (HOME / "node_modules" / ".bin" / "probot").exists():
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"], cwd=HOME, check=True)
    return HOME


def probot_command(secret: str) -> Callable[[int], tuple[list[str], dict[str, str]]]:
    """port → the command and environment of the Probot app (installed first)."""
    home = install()
    pem = keypair()[0]
    env = {
        "APP_ID": "1",
        "PRIVATE_KEY": pem,
        "WEBHOOK_SECRET": secret,
        "WEBHOOK_PATH": "/webhook",
        "HOST": "127.0.0.1",
        "NODE_ENV": "production",
        "LOG_FORMAT": "json",
    }
    command = [str(home / "node_modules/.bin/probot"), "run", str(home / "index.js")]
    return lambda port: (command, {**env, "PORT": str(port)})

"""The GitHub App paperbot needs, as a manifest, and the env file that holds its credentials.

Rules:
- The manifest asks for exactly what paperbot uses (deploy/github-app.yml says the same, and
  a test compares them); the installation events reach every App without subscribing.
- An env file "holds credentials" when it sets a token, an App id or an App key; such a file
  is never written over.
"""

from __future__ import annotations

import re
from typing import Any

PERMISSIONS = {
    "issues": "write",
    "pull_requests": "write",
    "contents": "write",
    "metadata": "read",
}
EVENTS = ["issues", "issue_comment", "pull_request", "push"]
CREDENTIALS = (
    "GITHUB_TOKEN",
    "GITHUB_APP_ID",
    "GITHUB_APP_PRIVATE_KEY",
    "GITHUB_APP_PRIVATE_KEY_PATH",
)
_SET = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Z_][A-Z0-9_]*)[ \t]*=[ \t]*(\S.*)?$", re.M)


def manifest(*, webhook_url: str, redirect_url: str, name: str = "paperbot") -> dict[str, Any]:
    """The App manifest GitHub's "register from a manifest" flow takes."""
    return {
        "name": name,
        "url": "https://github.com/apps/" + name,
        "hook_attributes": {"url": webhook_url, "active": True},
        "redirect_url": redirect_url,
        "public": False,
        "default_permissions": dict(PERMISSIONS),
        "default_events": list(EVENTS),
    }


def new_app_url(web_url: str, state: str, *, org: str | None = None) -> str:
    """Where the browser posts the manifest: the account's, or the organisation's, new App."""
    owner = f"/organizations/{org}" if org else ""
    return f"{web_url.rstrip('/')}{owner}/settings/apps/new?state={state}"


def holds_credentials(env_text: str) -> bool:
    """True when the env file sets a non-empty token, App id or App key."""
    return any(m[1] in CREDENTIALS and (m[2] or "").strip(" '\"") for m in _SET.finditer(env_text))


def env_text(
    old: str, *, app_id: int, webhook_secret: str, key_path: str, settings: dict[str, str]
) -> str:
    """``old`` (an env file without credentials, maybe empty) with the App's lines added;
    ``settings`` are other variables to keep with them (a GitHub Enterprise host)."""
    lines = [
        "# Written by `paperbot setup`: the GitHub App paperbot runs as.",
        f"GITHUB_APP_ID={app_id}",
        f"GITHUB_WEBHOOK_SECRET={webhook_secret}",
        f"GITHUB_APP_PRIVATE_KEY_PATH={key_path}",
        *(f"{name}={value}" for name, value in settings.items()),
    ]
    head = old if not old or old.endswith("\n") else old + "\n"
    return head + "\n".join(lines) + "\n"

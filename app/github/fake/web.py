"""The fake GitHub's few web pages (App registration, installing): plain HTML forms."""

from __future__ import annotations

import json
from html import escape
from typing import Any

_STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
    "header{background:#24292f;color:#fff;padding:.5rem 1rem;margin:-2rem -1rem 1rem}"
    "button{font-size:1rem;padding:.5rem 1rem;background:#1f883d;color:#fff;border:0;"
    "border-radius:6px}input[type=text]{font-size:1rem;padding:.3rem;width:20rem}"
)


def _page(title: str, body: str) -> str:
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body><header>GitHub (fake)</header>"
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )


def _hidden(name: str, value: str) -> str:
    return f'<input type="hidden" name="{name}" value="{escape(value, quote=True)}">'


def new_app(form: dict[str, str], *, org: str | None, user: str) -> str:
    """Create GitHub App: the manifest's name (editable), what it asks for, one button."""
    text = form.get("manifest", "")
    try:
        wanted: dict[str, Any] = json.loads(text)
    except ValueError:
        return _page("Invalid GitHub App manifest", "<p>The manifest is not JSON.</p>")
    owner = org or user
    asks = "".join(
        f"<li>{escape(k)}: {escape(str(v))}</li>"
        for k, v in wanted.get("default_permissions", {}).items()
    )
    events = ", ".join(escape(e) for e in wanted.get("default_events", []))
    fields = _hidden("manifest", text) + _hidden("state", form.get("state", ""))
    fields += _hidden("org", org or "")
    return _page(
        f"Create GitHub App for {owner}",
        '<form method="post" action="/settings/apps/new/create">'
        f'<p><label>GitHub App name <input type="text" name="name" '
        f'value="{escape(str(wanted.get("name", "")), quote=True)}"></label></p>'
        f"<p>Webhook URL: {escape(str(wanted.get('hook_attributes', {}).get('url', '')))}</p>"
        f"<p>Permissions:</p><ul>{asks}</ul><p>Events: {events}</p>{fields}"
        f'<p><button type="submit">Create GitHub App for {escape(owner)}</button></p></form>',
    )


def install(app: dict[str, Any], repos: list[str]) -> str:
    """Install the App: on which repositories (all the fake holds, preselected)."""
    listed = "".join(f"<li>{escape(name)}</li>" for name in repos)
    return _page(
        f"Install {app['slug']}",
        f"<p>Install on these repositories:</p><ul>{listed}</ul>"
        f'<form method="post">{_hidden("repositories", ",".join(repos))}'
        '<p><button type="submit">Install</button></p></form>',
    )


def installed(app: dict[str, Any], repos: list[str], *, status: int) -> str:
    """Installed: where, and how the App's webhook answered the ``installation`` delivery."""
    where = ", ".join(escape(r) for r in repos) or "no repository"
    return _page(
        f"Installed {app['slug']}",
        f"<p>{escape(app['slug'])} is installed on {where}.</p>"
        f"<p>Delivery of <code>installation</code> to its webhook: HTTP {status}.</p>",
    )


def not_found() -> str:
    return _page("404 — This is not the web page you are looking for", "")

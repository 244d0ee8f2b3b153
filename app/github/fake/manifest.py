"""The fake GitHub's App registration: the manifest flow's pages, the code conversion, and
installing an App (which delivers ``installation`` to the App's webhook, signed).

Rules:
- ``/settings/apps/new`` (GET or a form POST, also under ``/organizations/{org}``) shows the
  App to create; its button registers the App and sends the browser to the manifest's
  ``redirect_url`` with a code and the state it was given.
- A code converts once (``POST /app-manifests/{code}/conversions``, no authentication) into
  GitHub's answer: the App, its ``webhook_secret`` and ``pem``. From then on the App's JWT
  is accepted, as for any App of the fake.
- Installing (``/apps/{slug}/installations/new``) records the installation and delivers
  ``installation.created`` to the App's webhook URL, signed with its secret; the answer's
  status is kept in ``Registry.deliveries``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from app.github.fake import web
from app.github.fake.apps import keypair

if TYPE_CHECKING:
    from app.github.fake.server import FakeGitHub

Json = dict[str, Any]
NEW_APP = re.compile(r"^(?:/organizations/(?P<org>[^/]+))?/settings/apps/new$")
CREATE = "/settings/apps/new/create"
CONVERSION = re.compile(r"^/app-manifests/(?P<code>[^/]+)/conversions$")
INSTALL = re.compile(r"^/apps/(?P<slug>[^/]+)/installations/new$")
Answer = tuple[int, str, dict[str, str]]  # status, HTML, headers


@dataclass
class Registry:
    """Apps registered through the manifest flow, their codes, installs and deliveries."""

    user: str = "octocat"  # who is signed in to the fake's pages
    codes: dict[str, Json] = field(default_factory=dict)  # code → the conversion's answer
    hooks: dict[int, tuple[str, str]] = field(default_factory=dict)  # app id → url, secret
    installed: dict[int, list[str]] = field(default_factory=dict)  # installation → repos
    deliveries: list[tuple[str, int]] = field(default_factory=list)  # (event, status)
    next_id: int = 1000


def is_page(path: str) -> bool:
    """A path the fake answers with an HTML page or a redirect, not JSON."""
    return bool(NEW_APP.match(path) or path == CREATE or INSTALL.match(path))


def page(gh: FakeGitHub, method: str, *, path: str, form: dict[str, str]) -> Answer:
    """Answer one browser request of the manifest flow or of installing."""
    if m := NEW_APP.match(path):
        return 200, web.new_app(form, org=m["org"], user=gh.registry.user), {}
    if path == CREATE and method == "POST":
        return _create(gh, form)
    if (m := INSTALL.match(path)) and (app := _app_by_slug(gh, m["slug"])):
        if method == "GET":
            return 200, web.install(app, sorted(gh.repos)), {}
        repos, status = _install(gh, app, form=form)
        return 200, web.installed(app, repos, status=status), {}
    return 404, web.not_found(), {}


def _create(gh: FakeGitHub, form: dict[str, str]) -> Answer:
    wanted = json.loads(form["manifest"])
    name = form.get("name") or wanted["name"]
    owner = form.get("org") or gh.registry.user
    with gh.lock:
        app_id = gh.registry.next_id = gh.registry.next_id + 1
    pem, public = keypair()
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or f"app-{app_id}"
    answer = _conversion(gh, wanted, app_id=app_id, slug=slug, name=name, owner=owner, pem=pem)
    code = secrets.token_hex(10)
    with gh.lock:
        gh.registry.codes[code] = answer
        gh.registry.hooks[app_id] = (wanted["hook_attributes"]["url"], answer["webhook_secret"])
        gh.pending_keys[app_id] = public
    query = urlencode({"code": code, **({"state": form["state"]} if form.get("state") else {})})
    return 302, "", {"Location": f"{wanted['redirect_url']}?{query}"}


def _conversion(
    gh: FakeGitHub, wanted: Json, *, app_id: int, slug: str, name: str, owner: str, pem: str
) -> Json:
    """GitHub's answer to the conversion (apps/create-from-manifest, 201)."""
    at = "2026-01-01T00:00:00Z"
    return {
        "id": app_id,
        "slug": slug,
        "node_id": f"A_{app_id}",
        "client_id": f"Iv1.{secrets.token_hex(8)}",
        "owner": {"login": owner, "id": 4000 + len(owner), "type": "User"},
        "name": name,
        "description": wanted.get("description"),
        "external_url": wanted["url"],
        "html_url": f"{gh.base_url}/apps/{slug}",
        "created_at": at,
        "updated_at": at,
        "permissions": wanted.get("default_permissions", {}),
        "events": wanted.get("default_events", []),
        "installations_count": 0,
        "client_secret": secrets.token_hex(20),
        "webhook_secret": secrets.token_hex(20),
        "pem": pem,
    }


def convert(gh: FakeGitHub, path: str) -> tuple[int, Any]:
    """POST /app-manifests/{code}/conversions: once per code, then 404 as for an old one."""
    m = CONVERSION.match(path)
    with gh.lock:
        answer = gh.registry.codes.pop(m["code"], None) if m else None
        if answer is None:
            return 404, {"message": "Not Found"}
        gh.apps[answer["id"]] = gh.pending_keys.pop(answer["id"])
        gh.slugs[answer["id"]] = answer["slug"]
    return 201, answer


def _app_by_slug(gh: FakeGitHub, slug: str) -> Json | None:
    found = [app for app, name in gh.slugs.items() if name == slug and app in gh.registry.hooks]
    return {"id": found[0], "slug": slug} if found else None


def _install(gh: FakeGitHub, app: Json, *, form: dict[str, str]) -> tuple[list[str], int]:
    """Install ``app`` on the repositories chosen; deliver ``installation.created``."""
    names = [n for n in form.get("repositories", "").split(",") if n in gh.repos]
    with gh.lock:
        installation = gh.registry.next_id = gh.registry.next_id + 1
        gh.installations.add(installation)
        gh.registry.installed[installation] = names
    body = installation_payload(gh, app, installation=installation, names=names)
    return names, deliver(gh, app["id"], event="installation", body=body)


def installation_payload(gh: FakeGitHub, app: Json, *, installation: int, names: list[str]) -> Json:
    """``installation`` (created) as GitHub sends it (tests/fixtures/webhooks has one)."""
    owner = names[0].split("/")[0] if names else gh.registry.user
    account = {"login": owner, "id": 4000 + len(owner), "type": "User", "site_admin": False}
    sender = {"login": gh.registry.user, "id": 4242, "type": "User", "site_admin": False}
    return {
        "action": "created",
        "installation": {
            "id": installation,
            "account": account,
            "repository_selection": "selected",
            "access_tokens_url": f"{gh.base_url}/app/installations/{installation}/access_tokens",
            "repositories_url": f"{gh.base_url}/installation/repositories",
            "html_url": f"{gh.base_url}/settings/installations/{installation}",
            "app_id": app["id"],
            "app_slug": app["slug"],
            "target_id": account["id"],
            "target_type": "User",
            "permissions": {"issues": "write", "pull_requests": "write", "contents": "write"},
            "events": ["issues", "issue_comment", "pull_request", "push"],
            "created_at": "2026-01-01T00:00:00Z",
            "updated_at": "2026-01-01T00:00:00Z",
            "single_file_name": None,
        },
        "repositories": [_listed(gh, name) for name in names],
        "requester": None,
        "sender": sender,
    }


def _listed(gh: FakeGitHub, name: str) -> Json:
    repo_id = int(hashlib.sha256(name.encode()).hexdigest()[:7], 16)
    return {
        "id": repo_id,
        "node_id": f"R_{repo_id}",
        "name": name.split("/")[1],
        "full_name": name,
        "private": False,
    }


def deliver(gh: FakeGitHub, app_id: int, *, event: str, body: Json) -> int:
    """POST ``body`` to the App's webhook, signed with its secret; the answer's status."""
    url, secret = gh.registry.hooks[app_id]
    raw = json.dumps(body).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-Hub-Signature-256": signature,
        "User-Agent": "GitHub-Hookshot/fake",
    }
    if urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
        status = 0  # the fake delivers only on this machine
    else:
        request = urllib.request.Request(url, data=raw, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                status = answer.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
    gh.registry.deliveries.append((event, status))
    return status


def repositories(gh: FakeGitHub, installation: int | None) -> tuple[int, Any]:
    """GET /installation/repositories for an installation token."""
    names = gh.registry.installed.get(installation or -1, [])
    listed = [{**_listed(gh, n), "owner": {"login": n.split("/")[0]}} for n in names]
    return 200, {
        "total_count": len(listed),
        "repository_selection": "selected",
        "repositories": listed,
    }

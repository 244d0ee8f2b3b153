"""``paperbot setup`` without a browser: the manifest flow against the fake GitHub over HTTP."""

from __future__ import annotations

import html
import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import yaml
from starlette.testclient import TestClient

from app.core.manifest import holds_credentials
from app.github.fake.server import FakeGitHub
from app.service.settings import Settings
from app.service.setup import Setup, app

ROOT = Path(__file__).parents[2]
HOST = "http://testserver"


@pytest.fixture
def env_file(tmp_path: Path) -> Path:
    return tmp_path / "deploy" / ".env"


def make(gh: FakeGitHub, env_file: Path, **changes: object) -> tuple[Setup, TestClient]:
    env_file.parent.mkdir(exist_ok=True)
    given: dict[str, object] = {"webhook_url": "https://paperbot.example.org/webhook", **changes}
    setup = Setup(env_file=env_file, web_url=gh.base_url, api_url=gh.base_url, **given)  # type: ignore[arg-type]
    return setup, TestClient(app(setup), base_url=HOST)


def button(page: str) -> tuple[str, dict[str, object]]:
    """The start page's form: where it posts, and the manifest it holds."""
    action = re.search(r'<form method="post" action="([^"]+)">', page)
    value = re.search(r'name="manifest" value="([^"]+)"', page)
    assert action and value, "no button on the page"
    return html.unescape(action[1]), json.loads(html.unescape(value[1]))


def on_github(action: str, manifest: dict[str, object], *, name: str = "") -> str:
    """What the browser does on GitHub: post the manifest, press create; the callback URL."""
    state = parse_qs(urlsplit(action).query)["state"][0]
    form = {"manifest": json.dumps(manifest), "state": state}
    shown = httpx.post(action, data=form)
    assert shown.status_code == 200 and "Create GitHub App for" in shown.text
    base = f"{urlsplit(action).scheme}://{urlsplit(action).netloc}"
    made = httpx.post(f"{base}/settings/apps/new/create", data={**form, "name": name})
    assert made.status_code == 302
    return made.headers["location"]


def callback(client: TestClient, location: str) -> httpx.Response:
    parts = urlsplit(location)
    return client.get(f"{parts.path}?{parts.query}")


@pytest.fixture
def flow(gh: FakeGitHub, env_file: Path) -> Iterator[tuple[Setup, TestClient, str]]:
    """A started setup whose browser came back from GitHub: the callback URL, not yet opened."""
    setup, client = make(gh, env_file)
    action, manifest = button(client.get("/").text)
    yield setup, client, on_github(action, manifest)


def test_the_page_posts_the_manifest_paperbot_needs(gh: FakeGitHub, env_file: Path) -> None:
    setup, client = make(gh, env_file)
    page = client.get("/").text
    action, manifest = button(page)
    assert action.startswith(f"{gh.base_url}/settings/apps/new?state=")
    shipped = yaml.safe_load((ROOT / "deploy/github-app.yml").read_text(encoding="utf-8"))
    for key in ("default_permissions", "default_events", "public"):
        assert manifest[key] == shipped[key]
    assert manifest["redirect_url"] == f"{HOST}/callback"
    assert manifest["hook_attributes"] == {"url": setup.webhook_url, "active": True}
    assert "<script" not in page and "注册 paperbot 的 GitHub App" in page
    assert "Register paperbot's GitHub App" in html.unescape(page)


def test_an_organisation_gets_its_own_address(gh: FakeGitHub, env_file: Path) -> None:
    _, client = make(gh, env_file, org="reading-group")
    action, _ = button(client.get("/").text)
    assert action.startswith(f"{gh.base_url}/organizations/reading-group/settings/apps/new?state=")


def test_the_webhook_address_is_asked_when_not_given(gh: FakeGitHub, env_file: Path) -> None:
    _, client = make(gh, env_file, webhook_url="")
    page = client.get("/").text
    assert 'name="webhook_url"' in page and 'name="manifest"' not in page
    assert 'name="manifest"' not in client.get("/?webhook_url=not-a-url").text
    _, manifest = button(client.get("/?webhook_url=https://bot.example.org/webhook").text)
    assert manifest["hook_attributes"] == {"url": "https://bot.example.org/webhook", "active": True}


def test_the_callback_writes_the_env_file_and_the_key_0600(
    gh: FakeGitHub, flow: tuple[Setup, TestClient, str], env_file: Path
) -> None:
    _, client, location = flow
    page = callback(client, location)
    assert page.status_code == 200 and "完成" in page.text
    key = env_file.parent / "paperbot.private-key.pem"
    for path in (env_file, key):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    settings = Settings(_env_file=env_file).for_webhooks()  # type: ignore[call-arg]
    (app_id,) = gh.registry.hooks
    assert settings.app_id == app_id and settings.app_private_key_path == key
    secret = gh.registry.hooks[app_id][1]
    assert settings.secrets() == [secret.encode()]
    assert secret not in page.text and "PRIVATE KEY" not in page.text
    assert f'href="{gh.base_url}/apps/paperbot/installations/new"' in page.text
    # a group starting from an empty repository learns what its README needs
    shown = html.unescape(page.text)
    assert "> ==> 时间倒序，本次更新插入位置 <==" in shown and "README needs the marker" in shown
    assert "<pre><code>&gt; ==&gt; 时间倒序，本次更新插入位置 &lt;==</code></pre>" in page.text


def test_a_state_is_good_once(flow: tuple[Setup, TestClient, str], env_file: Path) -> None:
    setup, client, location = flow
    told: list[str] = []
    setup.announce = lambda made, key_file: told.append(made.name)
    first = callback(client, location)
    assert first.status_code == 200
    written = env_file.read_bytes()
    refreshed = callback(client, location)  # the browser reloads the last page
    assert refreshed.status_code == 200 and refreshed.text == first.text
    assert env_file.read_bytes() == written and told == ["paperbot"]
    other = callback(client, location.replace("code=", "code=other"))  # the state replayed
    assert other.status_code == 400 and "Nothing was written." in other.text
    assert "used already" in html.unescape(other.text) and env_file.read_bytes() == written


@pytest.mark.parametrize("query", ["?code=abc&state=made-up", "?code=abc", "?state=x", ""])
def test_a_state_this_process_did_not_make_writes_nothing(
    gh: FakeGitHub, env_file: Path, query: str
) -> None:
    _, client = make(gh, env_file)
    client.get("/")
    page = client.get(f"/callback{query}")
    assert page.status_code == 400 and "没有写入任何文件。" in page.text
    assert not env_file.exists() and not list(env_file.parent.iterdir())


def test_a_failed_conversion_writes_nothing(
    gh: FakeGitHub, flow: tuple[Setup, TestClient, str], env_file: Path
) -> None:
    _, client, location = flow
    code = parse_qs(urlsplit(location).query)["code"][0]
    assert httpx.post(f"{gh.base_url}/app-manifests/{code}/conversions").status_code == 201
    page = callback(client, location)  # the code was used meanwhile
    assert page.status_code == 400 and "GitHub does not know this code" in page.text
    assert not list(env_file.parent.iterdir())


def test_github_unreachable_writes_nothing(gh: FakeGitHub, env_file: Path) -> None:
    setup, client = make(gh, env_file)
    action, manifest = button(client.get("/").text)
    location = on_github(action, manifest)
    setup.api_url = "http://127.0.0.1:9"
    page = callback(client, location)
    assert "GitHub could not be reached (ConnectError)" in page.text
    assert not list(env_file.parent.iterdir())


def test_an_env_file_with_credentials_is_never_written_over(
    flow: tuple[Setup, TestClient, str], env_file: Path
) -> None:
    _, client, location = flow
    env_file.write_text("GITHUB_TOKEN=ghp_mine\n", encoding="utf-8")
    page = callback(client, location)
    assert page.status_code == 400 and "never writes over them" in html.unescape(page.text)
    assert env_file.read_text(encoding="utf-8") == "GITHUB_TOKEN=ghp_mine\n"
    assert not (env_file.parent / "paperbot.private-key.pem").exists()
    start = client.get("/").text
    assert "already holds GitHub credentials" in html.unescape(start)
    assert 'name="manifest"' not in start


def test_other_lines_of_the_env_file_are_kept(
    flow: tuple[Setup, TestClient, str], env_file: Path
) -> None:
    _, client, location = flow
    env_file.write_text("PAPERBOT_QUEUE=redis://127.0.0.1:6379/3\nGITHUB_TOKEN=\n")
    env_file.chmod(0o644)
    assert callback(client, location).status_code == 200
    text = env_file.read_text(encoding="utf-8")
    assert text.startswith("PAPERBOT_QUEUE=redis://127.0.0.1:6379/3\n") and "GITHUB_APP_ID=" in text
    assert stat.S_IMODE(env_file.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("", False),
        ("GITHUB_TOKEN=\nGITHUB_APP_ID=''\n", False),
        ("# GITHUB_APP_ID=1\n", False),
        ("GITHUB_APP_ID=123\n", True),
        ("export GITHUB_TOKEN=ghp_x\n", True),
        ("GITHUB_APP_PRIVATE_KEY_PATH=./k.pem\n", True),
        ("GITHUB_WEBHOOK_SECRET=s\n", False),
    ],
)
def test_what_counts_as_credentials(text: str, holds: bool) -> None:
    assert holds_credentials(text) is holds


def test_off_loopback_the_pages_need_the_token(gh: FakeGitHub, env_file: Path) -> None:
    _, client = make(gh, env_file, token="one-time")
    denied = client.get("/")
    assert denied.status_code == 403 and "?token=" in denied.text
    assert client.get("/?token=wrong").status_code == 403
    assert client.get("/?token=one-time").status_code == 200
    assert client.get("/").status_code == 200  # the cookie it set

"""From nothing to the setup PR, in a real browser: headless Chromium (Debian's ``chromium``)
driven by Playwright clicks through ``paperbot setup`` and the fake GitHub's pages; then
``paperbot serve``, started from the env file it wrote, takes the installation delivery signed
with the new App's secret and opens the setup PR with the new App's installation token.

Screenshots of each page are kept in ``tmp/artifacts/setup/`` (or ``$PAPERBOT_ARTIFACTS``)."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.github.fake.server import FakeGitHub
from tests.fakes import REPO
from tests.service.test_e2e import free_port, wait_for

ROOT = Path(__file__).parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("PAPERBOT_ARTIFACTS") or ROOT / "tmp" / "artifacts") / "setup"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium: .ci/run installs it (apt-get install chromium)"
)


def env_for(gh: FakeGitHub, data: Path) -> dict[str, str]:
    """The environment of a newcomer's shell: no GitHub settings but where GitHub is."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PAPERBOT_"))}
    return {
        **clean,
        "GITHUB_URL": gh.base_url,
        "GITHUB_API_URL": gh.base_url,
        "PAPERBOT_DATA_DIR": str(data),
        "PAPERBOT_WRITE_INTERVAL": "0",
    }


class Process:
    """A ``paperbot`` subprocess with its output in a log file."""

    def __init__(self, args: list[str], *, env: dict[str, str], cwd: Path, log: Path) -> None:
        self.log = log
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app", *args], env=env, cwd=cwd, stdout=out, stderr=out
            )

    def said(self, text: str) -> bool:
        return text in self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a dev extra")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def test_a_newcomer_clicks_through_to_the_setup_pr(
    gh: FakeGitHub, tmp_path: Path, browser: object
) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    checkout, hook_port, page_port = tmp_path / "paperbot", free_port(), free_port()
    checkout.mkdir()
    env = env_for(gh, tmp_path / "data")
    setup = Process(
        [
            "setup",
            "--port",
            str(page_port),
            "--webhook-url",
            f"http://127.0.0.1:{hook_port}/webhook",
        ],
        env=env,
        cwd=checkout,
        log=tmp_path / "setup.log",
    )
    serve: Process | None = None
    page = browser.new_page(viewport={"width": 1000, "height": 900})  # type: ignore[attr-defined]
    try:
        wait_for(lambda: setup.said("paperbot setup: open"), what="paperbot setup to start")
        wait_for(lambda: _answers(page_port), what="the setup page")
        page.goto(f"http://127.0.0.1:{page_port}/")
        page.screenshot(path=ARTIFACTS / "1-setup-page.png", full_page=True)
        page.get_by_role("button", name="Create the App on GitHub").click()
        page.wait_for_url(f"{gh.base_url}/settings/apps/new*")
        page.screenshot(path=ARTIFACTS / "2-github-create-app.png", full_page=True)
        page.get_by_role("button", name="Create GitHub App for octocat").click()
        page.wait_for_url(f"http://127.0.0.1:{page_port}/callback*")
        page.screenshot(path=ARTIFACTS / "3-setup-done.png", full_page=True)
        assert "Done" in page.content()
        came_back = page.url
        wait_for(lambda: setup.said("next: install it"), what="setup to say what comes next")

        written = checkout / ".env"
        key = checkout / "paperbot.private-key.pem"
        assert [stat.S_IMODE(p.stat().st_mode) for p in (written, key)] == [0o600, 0o600]
        text = written.read_text(encoding="utf-8")
        (app_id,) = gh.registry.hooks
        secret = gh.registry.hooks[app_id][1]
        assert f"GITHUB_APP_ID={app_id}\n" in text and f"GITHUB_WEBHOOK_SECRET={secret}\n" in text
        assert secret not in page.content() and "PRIVATE KEY" not in page.content()

        serve_env = {k: v for k, v in env.items() if not k.startswith("GITHUB_")}
        serve = Process(
            ["serve", "--host", "127.0.0.1", "--port", str(hook_port)],
            env=serve_env,  # everything GitHub comes from the .env setup wrote
            cwd=checkout,
            log=tmp_path / "serve.log",
        )
        # the port was picked before setup: another process may have taken it since
        listening = f"running on http://127.0.0.1:{hook_port}"
        wait_for(lambda: serve.said(listening), what=f"paperbot serve on port {hook_port}")
        page.get_by_role("link", name="Install paperbot").click()
        page.wait_for_url(f"{gh.base_url}/apps/paperbot/installations/new")
        page.screenshot(path=ARTIFACTS / "4-github-install.png", full_page=True)
        page.get_by_role("button", name="Install").click()
        page.wait_for_load_state()
        page.screenshot(path=ARTIFACTS / "5-github-installed.png", full_page=True)
        delivered = gh.registry.deliveries  # signed with the new secret
        assert delivered == [("installation", 202)], serve.log.read_text()[-3000:]

        wait_for(lambda: _setup_pull(gh) is not None, what="the setup PR", seconds=90)
        pull = _setup_pull(gh)
        assert pull is not None and pull["user"]["login"] == "paperbot[bot]"
        assert app_id in gh.token_apps.values()  # an installation token of the new App
        done = '"outcome":"onboarding: group/log: opened setup PR #1"'
        wait_for(lambda: serve.said(done), what="the job's log line")  # written after the PR

        page.reload()  # the last page again (a refresh): the same page, nothing written
        page.goto(came_back)
        page.screenshot(path=ARTIFACTS / "6-callback-again.png", full_page=True)
        assert "Done" in page.content() and "Nothing was written." not in page.content()
        assert written.read_text(encoding="utf-8") == text
    finally:
        page.close()
        setup.stop()
        if serve is not None:
            serve.stop()


def _answers(port: int, path: str = "/") -> bool:
    import httpx

    try:
        return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1).status_code < 500
    except httpx.HTTPError:
        return False


def _setup_pull(gh: FakeGitHub) -> dict[str, object] | None:
    found = [p for p in gh.repos[REPO].pulls.values() if p["head"] == "paperbot/setup"]
    return found[0] if found else None

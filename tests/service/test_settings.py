"""Settings: read from the environment on first use; errors name the variable, never a secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.service.settings import SettingsError, get_settings
from tests.github.test_app_auth import keypair

VARIABLES = (
    "GITHUB_WEBHOOK_SECRET",
    "GITHUB_TOKEN",
    "GITHUB_APP_ID",
    "GITHUB_APP_PRIVATE_KEY",
    "GITHUB_APP_PRIVATE_KEY_PATH",
    "GITHUB_API_URL",
    "PAPERBOT_QUEUE",
    "PAPERBOT_DATA_DIR",
)


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file here
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def pem() -> str:
    return keypair()[0]


def test_missing_secret_is_named_where_webhooks_need_it() -> None:
    settings = get_settings()  # replay and Actions mode need no webhook secret
    with pytest.raises(SettingsError, match=r"^GITHUB_WEBHOOK_SECRET: is required$"):
        settings.for_webhooks()


def test_bad_value_is_named_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WEBHOOK_SECRET", "x")
    monkeypatch.setenv("GITHUB_APP_ID", "hunter2-not-a-number")
    with pytest.raises(SettingsError) as info:
        get_settings()
    assert "GITHUB_APP_ID" in str(info.value) and "hunter2" not in str(info.value)


def test_secrets_are_split_and_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WEBHOOK_SECRET", "old, new")
    settings = get_settings()
    assert settings.secrets() == [b"old", b"new"]
    assert "old" not in repr(settings) and get_settings() is settings


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({}, "GITHUB_WEBHOOK_SECRET: is required"),
        ({"GITHUB_WEBHOOK_SECRET": "   "}, "GITHUB_WEBHOOK_SECRET: is required"),
        ({"GITHUB_WEBHOOK_SECRET": ","}, "GITHUB_WEBHOOK_SECRET: is required"),
        (
            {"GITHUB_WEBHOOK_SECRET": "change-me", "GITHUB_TOKEN": "t"},
            "GITHUB_WEBHOOK_SECRET: is still .env.example's placeholder 'change-me'",
        ),
        ({"GITHUB_WEBHOOK_SECRET": "s"}, "GITHUB_TOKEN: no GitHub credentials; set GITHUB_TOKEN"),
        ({"GITHUB_WEBHOOK_SECRET": "s", "GITHUB_TOKEN": ""}, "GITHUB_TOKEN: no GitHub credentials"),
        (
            {"GITHUB_WEBHOOK_SECRET": "s", "GITHUB_APP_ID": "123"},
            "GITHUB_APP_PRIVATE_KEY_PATH: is required with GITHUB_APP_ID",
        ),
        (
            {
                "GITHUB_WEBHOOK_SECRET": "s",
                "GITHUB_APP_ID": "123",
                "GITHUB_APP_PRIVATE_KEY_PATH": "./paperbot.private-key.pem",
            },
            "GITHUB_APP_PRIVATE_KEY_PATH: cannot read paperbot.private-key.pem "
            "(No such file or directory)",
        ),
        (
            {
                "GITHUB_WEBHOOK_SECRET": "s",
                "GITHUB_APP_ID": "123",
                "GITHUB_APP_PRIVATE_KEY_PATH": "key.pub",
            },
            "GITHUB_APP_PRIVATE_KEY_PATH: not a PEM private key",
        ),
        (
            {"GITHUB_WEBHOOK_SECRET": "s", "GITHUB_APP_ID": "123", "GITHUB_APP_PRIVATE_KEY": "xyz"},
            "GITHUB_APP_PRIVATE_KEY: not a PEM private key",
        ),
        (
            {"GITHUB_WEBHOOK_SECRET": "s", "GITHUB_TOKEN": "t", "PAPERBOT_QUEUE": "localhost:6379"},
            "PAPERBOT_QUEUE: should be a redis://",
        ),
        *(
            (
                {"GITHUB_WEBHOOK_SECRET": "s", "GITHUB_TOKEN": "t", "GITHUB_API_URL": url},
                "GITHUB_API_URL: should be an http(s) URL such as https://api.github.com",
            )
            for url in (
                "api.github.com",
                "ghe.example.com/api/v3",
                "ftp://ghe.example.com",
                "https://",
            )
        ),
    ],
)
def test_a_service_refuses_to_start_unusable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: dict[str, str], says: str
) -> None:
    (tmp_path / "key.pub").write_text(keypair()[1], encoding="utf-8")  # the public half
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        get_settings().for_webhooks()
    assert str(info.value).startswith(says) and "\n" not in str(info.value)


def test_a_worker_needs_credentials_but_no_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "t")
    assert get_settings().for_github().token is not None


@pytest.mark.parametrize("escaped", [False, True])
def test_an_app_key_inline_or_with_env_file_escapes(
    monkeypatch: pytest.MonkeyPatch, pem: str, escaped: bool
) -> None:
    monkeypatch.setenv("GITHUB_APP_ID", "123")
    monkeypatch.setenv("GITHUB_APP_PRIVATE_KEY", pem.replace("\n", "\\n") if escaped else pem)
    settings = get_settings().for_github()
    assert settings.private_key() == pem and settings.summary()["auth"] == "GitHub App 123"


def test_the_start_summary_names_auth_queue_and_api_but_no_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_hunter2")
    monkeypatch.setenv("PAPERBOT_QUEUE", "redis://:hunter2@redis.internal:6380/3")
    monkeypatch.setenv("GITHUB_API_URL", "https://ghe.example.com/api/v3")
    assert get_settings().summary() == {
        "auth": "token",
        "queue": "redis://redis.internal:6380/3",
        "api_url": "https://ghe.example.com/api/v3",
    }

"""Settings: read from the environment on first use; errors name the variable, never a secret."""

from __future__ import annotations

import pytest

from app.service.settings import SettingsError, get_settings


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "GITHUB_WEBHOOK_SECRET",
        "GITHUB_TOKEN",
        "GITHUB_APP_ID",
        "GITHUB_APP_PRIVATE_KEY",
        "GITHUB_APP_PRIVATE_KEY_PATH",
        "PAPERBOT_QUEUE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir("/")  # no .env file here
    get_settings.cache_clear()


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


def test_app_id_needs_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WEBHOOK_SECRET", "x")
    monkeypatch.setenv("GITHUB_APP_ID", "123")
    with pytest.raises(SettingsError, match="GITHUB_APP_PRIVATE_KEY"):
        get_settings()


def test_secrets_are_split_and_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WEBHOOK_SECRET", "old, new")
    settings = get_settings()
    assert settings.secrets() == [b"old", b"new"]
    assert "old" not in repr(settings) and get_settings() is settings

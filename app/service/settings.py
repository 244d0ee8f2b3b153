"""Service settings from the environment (and ``.env``), read once through ``get_settings()``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(Exception):
    """A missing or bad setting; the message names the variable and never shows a secret."""


class Settings(BaseSettings):
    """Everything the service reads from its environment."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    webhook_secret: SecretStr | None = Field(None, alias="GITHUB_WEBHOOK_SECRET")
    token: SecretStr | None = Field(None, alias="GITHUB_TOKEN")
    app_id: int | None = Field(None, alias="GITHUB_APP_ID")
    app_private_key: SecretStr | None = Field(None, alias="GITHUB_APP_PRIVATE_KEY")
    app_private_key_path: Path | None = Field(None, alias="GITHUB_APP_PRIVATE_KEY_PATH")
    api_url: str = Field("https://api.github.com", alias="GITHUB_API_URL")
    data_dir: Path = Field(Path(".paperbot"), alias="PAPERBOT_DATA_DIR")
    queue: str = Field("", alias="PAPERBOT_QUEUE")
    write_interval: float = Field(1.0, ge=0, alias="PAPERBOT_WRITE_INTERVAL")
    workers: int = Field(2, ge=1, le=64, alias="PAPERBOT_WORKERS")
    reconcile_minutes: int = Field(60, ge=1, alias="PAPERBOT_RECONCILE_MINUTES")
    max_body_bytes: int = Field(25 * 1024 * 1024, ge=1, alias="PAPERBOT_MAX_BODY_BYTES")

    @model_validator(mode="after")
    def _auth_is_complete(self) -> Settings:
        if self.app_id is not None and not (self.app_private_key or self.app_private_key_path):
            raise ValueError("GITHUB_APP_ID needs GITHUB_APP_PRIVATE_KEY or _PATH")
        return self

    def secrets(self) -> list[bytes]:
        """Every accepted webhook secret (comma-separated, for rotation)."""
        raw = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        return [s.strip().encode() for s in raw.split(",") if s.strip()]

    def for_webhooks(self) -> Settings:
        """These settings, checked to have what a webhook receiver needs."""
        if not self.secrets():
            raise SettingsError("GITHUB_WEBHOOK_SECRET: is required")
        return self

    def private_key(self) -> str | None:
        if self.app_private_key:
            return self.app_private_key.get_secret_value()
        if self.app_private_key_path:
            try:
                return self.app_private_key_path.read_text(encoding="utf-8")
            except OSError as exc:
                raise SettingsError(
                    f"GITHUB_APP_PRIVATE_KEY_PATH: cannot read {self.app_private_key_path} "
                    f"({exc.strerror})"
                ) from None
        return None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read on first use; SettingsError names what is missing or wrong."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(describe(exc)) from None


def describe(exc: ValidationError) -> str:
    """One line per bad variable, with no input values (they may be secrets)."""
    fields = Settings.model_fields
    parts = []
    for err in exc.errors():
        loc = str(err["loc"][0]) if err["loc"] else ""
        name = fields[loc].alias if loc in fields and fields[loc].alias else loc
        what = "is required" if err["type"] == "missing" else err["msg"]
        parts.append(f"{name or 'settings'}: {what}")
    return "; ".join(parts)

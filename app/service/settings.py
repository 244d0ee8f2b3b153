"""Service settings from the environment (and ``.env``), read once through ``get_settings()``.

Rules:
- A program that talks to GitHub starts only with usable credentials (``for_github``): a
  token, or an App id with a key that is a PEM private key; a webhook receiver also needs a
  real secret (``for_webhooks``), not empty and not ``.env.example``'s placeholder.
- Every refusal is one line naming the variable; no message or log shows a secret.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"  # the value .env.example ships with
DEFAULT_API_URL = "https://api.github.com"
DEFAULT_WEB_URL = "https://github.com"
_QUEUE_SCHEMES = ("redis://", "rediss://", "unix://")


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
    api_url: str = Field(DEFAULT_API_URL, alias="GITHUB_API_URL")
    web_url: str = Field(
        DEFAULT_WEB_URL, alias="GITHUB_URL"
    )  # GitHub's pages (Enterprise: its host)
    bot_login: str = Field("", alias="PAPERBOT_BOT_LOGIN")  # who the bot writes as, if known
    in_actions: bool = Field(False, alias="GITHUB_ACTIONS")  # set by GitHub Actions
    data_dir: Path = Field(Path(".paperbot"), alias="PAPERBOT_DATA_DIR")
    queue: str = Field("", alias="PAPERBOT_QUEUE")
    write_interval: float = Field(1.0, ge=0, alias="PAPERBOT_WRITE_INTERVAL")
    workers: int = Field(2, ge=1, le=64, alias="PAPERBOT_WORKERS")
    reconcile_minutes: int = Field(60, ge=1, alias="PAPERBOT_RECONCILE_MINUTES")
    max_body_bytes: int = Field(25 * 1024 * 1024, ge=1, alias="PAPERBOT_MAX_BODY_BYTES")
    metrics_port: int = Field(0, ge=0, le=65535, alias="PAPERBOT_METRICS_PORT")  # worker; 0: off
    metrics_host: str = Field("127.0.0.1", alias="PAPERBOT_METRICS_HOST")

    @field_validator(
        "token",
        "app_id",
        "app_private_key",
        "app_private_key_path",
        "webhook_secret",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("queue", mode="after")
    @classmethod
    def _queue_is_redis(cls, value: str) -> str:
        if value and not value.startswith(_QUEUE_SCHEMES):
            raise ValueError("should be a redis://, rediss:// or unix:// URL (empty: SQLite)")
        return value

    @field_validator("api_url", mode="after")
    @classmethod
    def _api_is_http(cls, value: str) -> str:
        url = urlsplit(value)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ValueError(
                "should be an http(s) URL such as https://api.github.com "
                "(GitHub Enterprise Server: https://HOST/api/v3)"
            )
        return value

    def secrets(self) -> list[bytes]:
        """Every accepted webhook secret (comma-separated, for rotation)."""
        raw = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
        return [s.strip().encode() for s in raw.split(",") if s.strip()]

    def for_webhooks(self) -> Settings:
        """These settings, checked to receive webhooks and act on them (``serve``)."""
        secrets = self.secrets()
        if not secrets:
            raise SettingsError("GITHUB_WEBHOOK_SECRET: is required")
        if PLACEHOLDER_SECRET.encode() in secrets:
            raise SettingsError(
                f"GITHUB_WEBHOOK_SECRET: is still .env.example's placeholder "
                f"'{PLACEHOLDER_SECRET}'; set the secret you gave the App or webhook"
            )
        return self.for_github()

    def for_github(self) -> Settings:
        """These settings, checked to hold usable GitHub credentials (worker, action, receive)."""
        if self.app_id is not None:
            _check_pem(self.private_key(), self._key_variable())
        elif self.token is None:
            raise SettingsError(
                "GITHUB_TOKEN: no GitHub credentials; set GITHUB_TOKEN, or GITHUB_APP_ID with "
                "GITHUB_APP_PRIVATE_KEY_PATH"
            )
        return self

    def _key_variable(self) -> str:
        return "GITHUB_APP_PRIVATE_KEY" if self.app_private_key else "GITHUB_APP_PRIVATE_KEY_PATH"

    def private_key(self) -> str | None:
        """The App's key: inline (``\\n`` escapes allowed, as in env files) or from its file."""
        if self.app_private_key:
            return self.app_private_key.get_secret_value().replace("\\n", "\n")
        if self.app_private_key_path:
            try:
                return self.app_private_key_path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                why = getattr(exc, "strerror", None) or "not a text file"
                raise SettingsError(
                    f"GITHUB_APP_PRIVATE_KEY_PATH: cannot read {self.app_private_key_path} ({why})"
                ) from None
        return None

    def summary(self) -> dict[str, str]:
        """What the start log says: auth mode, queue and API URL; never a secret."""
        auth = f"GitHub App {self.app_id}" if self.app_id is not None else "token"
        return {"auth": auth, "queue": self.queue_name(), "api_url": self.api_url}

    def queue_name(self) -> str:
        """The queue, for people: the SQLite file, or the Redis URL without its password."""
        if not self.queue:
            return f"sqlite {self.data_dir / 'queue.db'}"
        url = urlsplit(self.queue)
        host = url.hostname or ""
        port = f":{url.port}" if url.port else ""
        return f"{url.scheme}://{host}{port}{url.path}"


def _check_pem(key: str | None, variable: str) -> None:
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if key is None:
        raise SettingsError(
            "GITHUB_APP_PRIVATE_KEY_PATH: is required with GITHUB_APP_ID "
            "(or GITHUB_APP_PRIVATE_KEY, the key itself)"
        )
    try:
        load_pem_private_key(key.strip().encode(), password=None)
    except TypeError:
        raise SettingsError(
            f"{variable}: the key is encrypted; use the App's .pem as downloaded"
        ) from None
    except (ValueError, UnsupportedAlgorithm):
        raise SettingsError(
            f"{variable}: not a PEM private key (the App's .pem starts with -----BEGIN)"
        ) from None


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
        parts.append(f"{name or 'settings'}: {what.removeprefix('Value error, ')}")
    return "; ".join(parts)

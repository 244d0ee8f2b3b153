"""Where the metadata services are, from the environment (and ``.env``): tests and mirrors differ.

Rules:
- ``PAPERBOT_METADATA=off`` disables every lookup; entries then go on without metadata.
- A bad value raises ``LookupSettingsError`` naming the variable, never a traceback.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app import __version__


class LookupSettingsError(Exception):
    """A bad metadata setting; the message names the variable."""


class LookupSettings(BaseSettings):
    """The metadata services' endpoints and our contact address."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    metadata: Literal["on", "off"] = Field("on", alias="PAPERBOT_METADATA")
    arxiv_api: str = Field("https://export.arxiv.org/api/query", alias="PAPERBOT_ARXIV_API")
    crossref_api: str = Field("https://api.crossref.org", alias="PAPERBOT_CROSSREF_API")
    openreview_api: str = Field("https://api2.openreview.net", alias="PAPERBOT_OPENREVIEW_API")
    dblp_api: str = Field("https://dblp.org/search/publ/api", alias="PAPERBOT_DBLP_API")
    mailto: str = Field("", alias="PAPERBOT_MAILTO")

    @field_validator("metadata", mode="before")
    @classmethod
    def _switch(cls, value: object) -> object:
        if isinstance(value, str):
            low = value.strip().lower()
            return {"0": "off", "false": "off", "no": "off", "1": "on", "true": "on"}.get(low, low)
        return value

    @field_validator("arxiv_api", "crossref_api", "openreview_api", "dblp_api")
    @classmethod
    def _http(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")

    @property
    def enabled(self) -> bool:
        return self.metadata == "on"

    def user_agent(self) -> str:
        """The metadata services' User-Agent (arXiv blocks anonymous clients), with the mailto
        Crossref asks for; member URLs get ``figures.USER_AGENT``, which has no contact."""
        contact = f"; mailto:{self.mailto}" if self.mailto else ""
        return f"paperbot/{__version__} (reading-group README bot{contact})"


def load_lookup_settings() -> LookupSettings:
    """The settings from the environment; LookupSettingsError names a bad variable."""
    try:
        return LookupSettings()
    except ValidationError as exc:
        fields = LookupSettings.model_fields
        parts = []
        for err in exc.errors():
            loc = str(err["loc"][0]) if err["loc"] else ""
            parts.append(f"{fields[loc].alias if loc in fields else loc}: {err['msg']}")
        raise LookupSettingsError("; ".join(parts)) from None

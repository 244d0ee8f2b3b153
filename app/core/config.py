"""Per-repository configuration (``.github/paperbot.yml``); defaults reproduce the seed format."""

from __future__ import annotations

from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.core.errors import ConfigError
from app.core.i18n import Lang

DEFAULT_MARKER = "==> 时间倒序，本次更新插入位置 <=="

DEFAULT_REPORT = """\
> > [{date}]-[{name}]-{title}{venue}
> >
> > {figure}
> >
> > 论文简述：{summary}
>
"""
DEFAULT_SKIP = """\
> > [{date}]-[{name}]-{reason}本周未精读
>
"""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Template(_Model):
    """How an entry becomes README lines; the parts fill the placeholders of the whole."""

    report: str = Field(DEFAULT_REPORT, description="Block for a paper report.")
    skip: str = Field(DEFAULT_SKIP, description="Block for a week without reading.")
    title: str = Field("[{title}]", description="Title part when there is no link.")
    title_linked: str = Field("[{title}]({link})", description="Title part with a link.")
    venue: str = Field("-[{venue}]", description="Venue part; omitted when empty.")
    figure: str = Field('<img width="512" alt="image" src="{figure}">', description="Figure part.")
    reason: str = Field("{reason}，", description="Reason part of a skip; omitted when empty.")


class Limits(_Model):
    """Length and date rules for submitted fields."""

    summary_max: int = Field(1000, ge=1, description="Most characters in a summary.")
    name_max: int = Field(40, ge=1, description="Most characters in a name.")
    title_max: int = Field(300, ge=1, description="Most characters in a title.")
    venue_max: int = Field(100, ge=1, description="Most characters in a venue.")
    reason_max: int = Field(200, ge=1, description="Most characters in a skip reason.")
    word_max: int = Field(
        200, ge=20, description="Longest unbroken run of non-CJK characters in any text."
    )
    future_days: int = Field(7, ge=0, description="How far past today a date may be, in days.")


class Labels(_Model):
    """Issue and PR labels the bot applies."""

    pull_request: str = Field("paperbot", description="Label on the bot's PRs.")
    needs_fix: str = Field("needs-fix", description="Label on an invalid submission.")
    merged: str = Field("merged", description="Label on an issue whose PR was merged.")
    not_merged: str = Field("not-merged", description="Label on an issue whose PR was closed.")


class Config(_Model):
    """Everything about the format and policy of one repository."""

    path: str = Field("README.md", description="The file entries are inserted into.")
    marker: str = Field(DEFAULT_MARKER, min_length=3, description="The insertion marker line.")
    language: Lang = Field("zh", description="Language of the bot's messages: zh or en.")
    timezone: str = Field("Asia/Shanghai", description="Time zone for 'today'.")
    members: dict[str, str] = Field(
        default_factory=dict, description="GitHub login → display name; fills an empty name."
    )
    authors: Literal["collaborators", "members", "anyone"] = Field(
        "collaborators",
        description="Who may submit: repo collaborators (triage or higher) and members, "
        "members only, or anyone.",
    )
    reviewers: list[str] = Field(default_factory=list, description="Logins asked to review.")
    labels: Labels = Field(default_factory=Labels, description="Labels the bot applies.")
    limits: Limits = Field(default_factory=Limits, description="Length and date rules.")
    template: Template = Field(
        default_factory=Template, description="How an entry is written into the README."
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


def load_config(text: str | None) -> Config:
    """Parse a YAML config; an absent or empty file means the defaults."""
    try:
        data: Any = yaml.safe_load(text) if text else None
    except yaml.YAMLError as exc:
        raise ConfigError(f"paperbot.yml is not valid YAML: {exc}") from None
    if data is None:
        return Config()
    if not isinstance(data, dict):
        raise ConfigError("paperbot.yml must be a mapping of options")
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc)) from None


def _describe(exc: ValidationError) -> str:
    lines = ["paperbot.yml has invalid options:"]
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"- {where}: {err['msg']}")
    return "\n".join(lines)

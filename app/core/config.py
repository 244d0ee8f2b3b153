"""Per-repository configuration (``.github/paperbot.yml``); defaults reproduce the seed format.

Rule: with ``language: en`` an entry's words are English (``Summary: …``, ``…, did not read
this week``) unless ``template`` says otherwise; the grammar reads either language back.
"""

from __future__ import annotations

import difflib
import re
import string
from typing import Any, Literal, get_args

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from app.core.errors import ConfigError
from app.core.i18n import Lang, msg

CONFIG_PATH = ".github/paperbot.yml"  # in the repository, or in the owner's .github repository
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
DEFAULT_SKIP_EN = DEFAULT_SKIP.replace("本周未精读", "did not read this week")
DEFAULT_REPORT_EN = DEFAULT_REPORT.replace("论文简述：", "Summary: ")
_ENGLISH = {"report": DEFAULT_REPORT_EN, "skip": DEFAULT_SKIP_EN, "reason": "{reason}, "}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# Each template's placeholders; the blocks are filled by name, the parts by str.format.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "report": ("date", "name", "title", "venue", "figure", "summary"),
    "skip": ("date", "name", "reason"),
    "title": ("title",),
    "title_linked": ("title", "link"),
    "venue": ("venue",),
    "figure": ("figure",),
    "reason": ("reason",),
}
_ASKS_EN = re.compile(r"^language:[ \t]*[\"']?en[\"']?[ \t]*(?:#.*)?$", re.M)
_BLOCK_PLACEHOLDER = re.compile(r"\{([^{}\s]+)\}")


def _placeholders(value: str, *, block: bool) -> list[str]:
    """The placeholder names in a template (a part's unmatched brace: ValueError)."""
    if block:
        return _BLOCK_PLACEHOLDER.findall(value)
    try:
        return [name for _, name, _, _ in string.Formatter().parse(value) if name is not None]
    except ValueError:
        raise ValueError("unmatched brace; write {{ or }} for a brace of its own") from None


class Template(_Model):
    """How an entry becomes README lines; the parts fill the placeholders of the whole."""

    report: str = Field(DEFAULT_REPORT, description="Block for a paper report (en: Summary:).")
    skip: str = Field(DEFAULT_SKIP, description="Block for a week without reading (en: English).")
    title: str = Field("[{title}]", description="Title part when there is no link.")
    title_linked: str = Field("[{title}]({link})", description="Title part with a link.")
    venue: str = Field("-[{venue}]", description="Venue part; omitted when empty.")
    figure: str = Field('<img width="512" alt="image" src="{figure}">', description="Figure part.")
    reason: str = Field("{reason}，", description="Reason part of a skip (en: `{reason}, `).")

    @field_validator(*PLACEHOLDERS)
    @classmethod
    def _known_placeholders(cls, value: str, info: ValidationInfo) -> str:
        known = PLACEHOLDERS[str(info.field_name)]
        block = info.field_name in ("report", "skip")
        for name in _placeholders(value, block=block):
            if name not in known:
                use = ", ".join(f"{{{k}}}" for k in known)
                raise ValueError(f"unknown {{{name}}}; use {use}")
        return value


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
    late_days: int = Field(
        60, ge=0, description="How far before the README's newest entry a date may be, in days."
    )


class Labels(_Model):
    """Issue and PR labels the bot applies."""

    pull_request: str = Field(
        "", description="Label on the bot's PRs (off: filter them with `head:paperbot/`)."
    )
    needs_fix: str = Field("needs-fix", description="Label on an invalid submission.")
    merged: str = Field("merged", description="Label on an issue whose PR was merged.")
    not_merged: str = Field("not-merged", description="Label on an issue whose PR was closed.")


Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)
_TIME = re.compile(r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*$")


def _weekday(value: object) -> object:
    """``Sunday``, ``sun`` and ``SUN`` all mean ``sunday``."""
    if isinstance(value, str):
        low = value.strip().lower()
        return next((d for d in WEEKDAYS if len(low) >= 3 and d.startswith(low)), low)
    return value


class Member(_Model):
    """A member in the object form of ``members``."""

    name: str = Field(min_length=1, description="Display name, as written in the README.")
    remind: bool = Field(True, description="Mention this member in reminders.")


class Reminders(_Model):
    """When the weekly reminder is posted, in the configured time zone."""

    weekday: Weekday = Field(description="Day of the reminder, e.g. sunday.")
    time: str = Field(description='Time of day as HH:MM, e.g. "20:00".')

    _day = field_validator("weekday", mode="before")(_weekday)

    @field_validator("time", mode="before")
    @classmethod
    def _clock(cls, value: object) -> str:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            value = f"{value // 60}:{value % 60:02d}"  # YAML 1.1 reads 20:00 as 1200 (base 60)
        m = _TIME.match(value) if isinstance(value, str) else None
        if not m or int(m[1]) > 23 or int(m[2]) > 59:
            raise ValueError(f'should be a time of day as HH:MM, e.g. "20:00" (got {value!r})')
        return f"{int(m[1]):02d}:{m[2]}"


class Config(_Model):
    """Everything about the format and policy of one repository."""

    path: str = Field("README.md", description="The file entries are inserted into.")
    marker: str = Field(DEFAULT_MARKER, min_length=3, description="The insertion marker line.")
    language: Lang = Field("zh", description="Language of the bot's messages: zh or en.")
    timezone: str = Field("Asia/Shanghai", description="Time zone for 'today'.")
    members: dict[str, Member] = Field(
        default_factory=dict,
        description="GitHub login → display name, or {name, remind}; fills an empty name; "
        'a typed name close to one gets "did you mean …?".',
    )
    authors: Literal["collaborators", "members", "anyone"] = Field(
        "collaborators",
        description="Who may submit: repo collaborators (triage or higher) and members, "
        "members only, or anyone.",
    )
    duplicates: Literal["allow", "refuse"] = Field(
        "allow",
        description="A paper someone already read (README or an open submission): allow, "
        "noting who read it and when, or refuse.",
    )
    reviewers: list[str] = Field(default_factory=list, description="Logins asked to review.")
    labels: Labels = Field(default_factory=Labels, description="Labels the bot applies.")
    limits: Limits = Field(default_factory=Limits, description="Length and date rules.")
    template: Template = Field(
        default_factory=Template, description="How an entry is written into the README."
    )
    week_start: Weekday = Field(
        "monday", description="First day of a week, for the dashboard, reminders and batching."
    )
    dashboard: bool = Field(False, description="Keep one dashboard issue current.")
    dashboard_title: str = Field(
        "",
        description="The dashboard issue's title; empty: 📚 精读看板 (en: 📚 Reading dashboard).",
    )
    reminders: Reminders | None = Field(
        None, description="When to remind members who have not reported: {weekday, time}."
    )
    pull_requests: Literal["per-submission", "weekly"] = Field(
        "per-submission",
        description="One PR per submission, or weekly: one rolling PR for all pending ones.",
    )

    _week_start = field_validator("week_start", mode="before")(_weekday)

    @model_validator(mode="before")
    @classmethod
    def _english_words(cls, data: object) -> object:
        """With ``language: en``, the entries' words default to English (see the rule)."""
        if not isinstance(data, dict) or data.get("language") != "en":
            return data
        template = data.get("template")
        if isinstance(template, dict) or template is None:
            return {**data, "template": {**_ENGLISH, **(template or {})}}
        return data

    @field_validator("members", mode="before")
    @classmethod
    def _member_names(cls, value: object) -> object:
        """The plain form ``login: name`` is the object form ``{name: name}``."""
        if not isinstance(value, dict):
            return value
        return {k: {"name": v} if isinstance(v, str) else v for k, v in value.items()}

    def member_name(self, login: str) -> str | None:
        """The display name configured for ``login``, if any."""
        member = self.members.get(login)
        return member.name if member else None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value


def load_config(text: str | None, *, name: str = "paperbot.yml") -> Config:
    """Parse a YAML config (``name``: the file, as errors call it); absent or empty: defaults.
    Its errors are in the language it asks for, when that much can be read (else zh)."""
    asks: Lang = "en" if text and _ASKS_EN.search(text) else "zh"
    try:
        data: Any = yaml.safe_load(text) if text else None
    except yaml.YAMLError as exc:
        raise ConfigError(_yaml_error(exc, name, lang=asks), lang=asks) from None
    if data is None:
        return Config()
    if not isinstance(data, dict):
        raise ConfigError(msg("config_mapping", asks, name=name), lang=asks)
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        lang: Lang = "en" if data.get("language") == "en" else "zh"
        raise ConfigError(_describe(exc, name, lang=lang), lang=lang) from None


def _yaml_error(exc: yaml.YAMLError, name: str, *, lang: Lang) -> str:
    """Where the YAML went wrong (where the unfinished part began, when it says) and why."""
    mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    context = getattr(exc, "context", None)
    why = f"{problem} ({context})" if context else problem
    if mark is None:
        return msg("config_yaml", lang, name=name, error=why)
    at = {"line": mark.line + 1, "column": mark.column + 1}
    return msg("config_yaml_at", lang, name=name, error=why, **at)


def _describe(exc: ValidationError, name: str, *, lang: Lang) -> str:
    lines = [msg("config_invalid", lang, name=name)]
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        said = _unknown(err["loc"]) if err["type"] == "extra_forbidden" else err["msg"]
        lines.append(f"- {where}: {said.removeprefix('Value error, ')}")
    return "\n".join(lines)


def _unknown(loc: tuple[int | str, ...]) -> str:
    """An option no model has: the closest one, else every option at that level."""
    model: Any = Config
    for part in loc[:-1]:
        field = model.model_fields.get(part) if isinstance(part, str) else None
        kinds = get_args(field.annotation) or (field.annotation,) if field else ()
        nested = [k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)]
        model = nested[0] if nested else Member  # Reminders | None; a member under its login
    options = list(model.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), options, n=1, cutoff=0.6)
    if close:
        return f"unknown option; did you mean {close[0]}?"
    return f"unknown option; the options are {', '.join(options)}"

"""The BotError family: every message here is safe to post on an issue."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.i18n import Lang


class BotError(Exception):
    """An error whose message is meant for the member or maintainer, and safe to show;
    ``lang``: the language it is written in, when it chose one itself."""

    lang: Lang | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field, named by the field's form label."""

    field: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


class InvalidSubmission(BotError):
    """The issue is a submission, but some fields are wrong."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = tuple(problems)


class AttemptedEntry(InvalidSubmission):
    """The issue tries to be a submission but cannot be read: what was found, what is not."""

    def __init__(
        self,
        problems: list[Problem],
        *,
        recognised: dict[str, str],
        missing: tuple[str, ...],
        unknown: tuple[str, ...],
    ) -> None:
        super().__init__(problems)
        self.recognised, self.missing, self.unknown = recognised, missing, unknown


class NotASubmission(BotError):
    """The issue is neither a form submission nor an entry in the README's format."""


class DuplicateEntry(BotError):
    """The README already holds this entry, written by someone else: it is never replaced."""

    def __init__(self, message: str, *, line: int, date: str, name: str) -> None:
        super().__init__(message)
        self.line, self.date, self.name = line, date, name


class MarkerError(BotError):
    """The README has no insertion marker, or more than one."""


class ConfigError(BotError):
    """The repository's paperbot config is invalid; ``lang``: the language it asks for."""

    def __init__(self, message: str, *, lang: Lang) -> None:
        super().__init__(message)
        self.lang = lang

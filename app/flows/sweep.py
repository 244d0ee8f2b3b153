"""One bad item never stops a sweep: an item that raises is logged in one line and skipped.

Rules:
- A sweep (reconcile, regenerate on a push, the issues of a closed rolling PR, the issues
  of a rolling PR going back to per-submission mode) runs each item through ``item``; any
  exception skips that item only, except ``RateLimited``: every other item would be refused
  too, so the job waits and runs again.
- A gone item (404/410) is "gone"; anything else is "failed" and logged, with the traceback
  only for an error that is not GitHub's (a bug), and with no secret (port errors carry none).
- ``isolated`` is for a sweep that must stop on GitHub's errors and handles ``BotError``s
  itself (the rolling PR: an issue skipped for a passing error would drop its block): only
  a bug is caught, logged as above and kept by issue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from app.core.errors import BotError
from app.github.port import GitHubError, Gone, RateLimited

log = logging.getLogger("paperbot.sweep")
T = TypeVar("T")


def item(repo: str, what: str, *, run: Callable[[], str]) -> str:
    """``run()``'s outcome; when it raises: "gone", or "failed: <error>" logged and skipped."""
    try:
        return run()
    except RateLimited:
        raise
    except Gone:
        return "gone"
    except Exception as exc:
        return f"failed: {_logged(repo, what, exc=exc)}"


def isolated(
    repo: str, number: int, *, run: Callable[[], T], failed: dict[int, Exception]
) -> T | None:
    """``run()``'s value; None for a bug it raised (logged, and kept in ``failed`` under
    issue ``number``); a BotError or GitHub's error is raised on."""
    try:
        return run()
    except (BotError, GitHubError):
        raise
    except Exception as exc:
        _logged(repo, f"#{number}", exc=exc)
        failed[number] = exc
        return None


def _logged(repo: str, what: str, *, exc: Exception) -> str:
    """One line for a failed item (the traceback only for a bug); the error as logged."""
    github = isinstance(exc, GitHubError)
    error = f"{type(exc).__name__}: {exc}" if github else type(exc).__name__
    log.warning(
        "sweep item failed",
        extra={"repository": repo, "item": what, "error": error},
        exc_info=not github,
    )
    return error

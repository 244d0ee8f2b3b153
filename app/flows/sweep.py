"""One bad item never stops a sweep: an item that raises is logged in one line and skipped.

Rules:
- A sweep (reconcile, regenerate on a push, the issues of a closed rolling PR, the issues
  of a rolling PR going back to per-submission mode) runs each item through ``item``; any
  exception skips that item only, except ``RateLimited``: every other item would be refused
  too, so the job waits and runs again.
- A gone item (404/410) is "gone"; anything else is "failed" and logged, with the traceback
  only for an error that is not GitHub's (a bug), and with no secret (port errors carry none).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from app.github.port import GitHubError, Gone, RateLimited

log = logging.getLogger("paperbot.sweep")


def item(repo: str, what: str, run: Callable[[], str]) -> str:
    """``run()``'s outcome; when it raises: "gone", or "failed: <error>" logged and skipped."""
    try:
        return run()
    except RateLimited:
        raise
    except Gone:
        return "gone"
    except Exception as exc:
        github = isinstance(exc, GitHubError)
        error = f"{type(exc).__name__}: {exc}" if github else type(exc).__name__
        log.warning(
            "sweep item failed",
            extra={"repository": repo, "item": what, "error": error},
            exc_info=not github,
        )
        return f"failed: {error}"

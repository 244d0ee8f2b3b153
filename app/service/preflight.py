"""At start, one request that says whether GitHub answers where ``GITHUB_API_URL`` points.

Rule: whatever is wrong (no connection, not GitHub's REST API, a credential refused, an App
JWT refused for this machine's clock) is one warning line naming what to check, never a
traceback; the bot runs on, and its jobs wait out an unreachable GitHub (``retries.py``),
one line per run.
"""

from __future__ import annotations

import logging

from app.github.port import GitHubError, Gone, Transient, Unauthorized
from app.github.pygithub import Clients
from app.service.settings import Settings

log = logging.getLogger("paperbot")


def check_github(clients: Clients, settings: Settings) -> str | None:
    """Ask GitHub who the bot is (the answer is kept for the jobs); the problem or None."""
    url = settings.api_url
    try:
        login = clients.ask_login()
    except Unauthorized as exc:
        clock = _clock(str(exc)) if settings.app_id else ""
        if clock:
            return (
                f"GITHUB_APP_ID: GitHub at {url} refuses the App's token because {clock} "
                f"({exc}); set the clock right (NTP)"
            )
        names = "GITHUB_APP_ID / GITHUB_APP_PRIVATE_KEY" if settings.app_id else "GITHUB_TOKEN"
        return f"{names}: GitHub at {url} does not accept it ({exc})"
    except Gone as exc:
        return (
            f"GITHUB_API_URL: {url} is not GitHub's REST API ({exc}); "
            "GitHub Enterprise Server's ends in /api/v3"
        )
    except Transient as exc:
        return f"GITHUB_API_URL: cannot reach GitHub at {url} ({exc}); jobs wait and retry"
    except GitHubError as exc:
        return f"GITHUB_API_URL: {url} answered {exc}"
    except Exception as exc:  # an answer that is no GitHub JSON at all
        return f"GITHUB_API_URL: {url} does not answer as GitHub's REST API ({type(exc).__name__})"
    clients.identity.learn(login)
    log.info("GitHub answers", extra={"api_url": url, "bot_login": clients.identity.known()})
    return None


def _clock(refusal: str) -> str:
    """What GitHub's refusal of an App JWT says of this machine's clock ('' if nothing):
    the JWT's times are this clock's, and GitHub allows them a minute off its own."""
    if "claim ('iat')" in refusal or "too far in the future" in refusal:
        return "this machine's clock is ahead of GitHub's"
    if "claim ('exp')" in refusal:
        return "this machine's clock is behind GitHub's"
    return ""


def say(clients: Clients, settings: Settings) -> None:
    """Log what ``check_github`` found, in one line."""
    problem = check_github(clients, settings)
    if problem:
        log.warning(problem)

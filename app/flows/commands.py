"""Commands typed in comments (``/paperbot retry``, ``/paperbot normalize``): read back first.

Rules:
- A command is acted on only while its comment still exists, still asks it and is still by
  the login that asked: anyone who saw a signed delivery can replay its bytes under a new
  delivery id, so the delivery's copy of the comment is never proof.
- Each comment acts once: once its command ran, the ledger records the comment, and a
  replay of it (the comment still standing) does nothing again.
"""

from __future__ import annotations

from collections.abc import Callable

from app.flows.context import Context
from app.github.port import RepoPort


def still_asked(
    port: RepoPort, comment_id: object, *, by: str, asks: Callable[[str], bool]
) -> bool:
    """True when comment ``comment_id`` exists, is by ``by`` and its text ``asks``."""
    if not isinstance(comment_id, int) or isinstance(comment_id, bool):
        return False
    got = port.get_comment(comment_id)
    return got is not None and got.author == by and asks(got.body)


def _key(ctx: Context, comment: int) -> str:
    return f"command:{ctx.port.full_name}:{comment}"


def ran(ctx: Context, comment: int | None) -> bool:
    """True when comment ``comment``'s command has run before."""
    return comment is not None and ctx.ledger.read(_key(ctx, comment)) is not None


def record(ctx: Context, comment: int | None) -> None:
    """Record that comment ``comment``'s command ran (nothing for no comment)."""
    if comment is not None:
        ctx.ledger.write(_key(ctx, comment), b"1")

"""One retry chain per delivery: a redelivery or a recovery supersedes the retry it replaces.

Rules:
- A delivery waiting for its retry is queued again at once when GitHub redelivers it
  (``Store.accept``) or when its due time passes (``Store.recover``), while Huey still holds
  the scheduled retry. Whichever runs of them first decides: a run that is not a scheduled
  retry starts the chain afresh, and a scheduled retry runs only when it is the one last
  scheduled (its token, in the ledger under ``chain:<delivery>``); any other ends at once.
- A run decides under the repository's lease (every run of a delivery is for one
  repository), so no two runs of a delivery decide at once; a token written later (a
  bug's retry is scheduled from Huey's error signal, after the lease) replaces the one
  before it, so in any order of writes exactly one scheduled retry is current.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.flows.context import Ledger


def _key(delivery: str) -> str:
    return f"chain:{delivery}"


def schedule(ledger: Ledger, task: Any, *, delivery: str) -> None:
    """Make ``task``'s next run (its retry) the delivery's one chain."""
    if task is not None and delivery:
        token = uuid.uuid4().hex
        task.kwargs["chain"] = token
        ledger.write(_key(delivery), token.encode())


def current(ledger: Ledger, delivery: str, *, chain: str) -> bool:
    """False for a retry (``chain``: its token) that a later run superseded; a run that is
    not a retry supersedes every retry scheduled before it."""
    kept = ledger.read(_key(delivery)) or b""
    if chain:
        return kept == chain.encode()
    if kept:
        ledger.write(_key(delivery), b"")
    return True

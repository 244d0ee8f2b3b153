"""Pacing of GitHub requests per installation: slots for writes, pauses after a rate limit.

Rules:
- A ``Pacer`` hands out slots by key (``github:<installation>`` or ``github:token``): each
  slot at least ``interval`` after the previous one of its key; a pause (``until``, epoch
  seconds) holds every slot of its key until it ends. Reservation is atomic, so threads (and
  with the service's shared pacer, processes) never get the same slot.
- A request is refused, taking no slot, when its slot would come more than ``patience``
  seconds from now or its key is paused more than ``hold`` seconds more; the answer says
  how long it would have waited.
- ``LocalPacer`` paces within this process (the CLI, the demo, tests without a queue); the
  service injects one kept in the queue's storage, shared by every process
  (app/service/pacing.py). Times are wall-clock (``time.time``) so processes can share them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Protocol


class Pacer(Protocol):
    def reserve(
        self, key: str, *, interval: float, patience: float, hold: float
    ) -> tuple[bool, float]:
        """(True, seconds to wait for the slot now reserved), or (False, seconds until one
        would come) when refused (see the rules). ``interval`` 0 takes no slot: it only
        waits out a pause."""
        ...

    def pause(self, key: str, until: float) -> None:
        """Hold every slot of ``key`` until ``until`` (never shortening a longer pause)."""
        ...


@dataclass
class LocalPacer:
    """Slots and pauses in this process's memory (one dict entry per key used)."""

    _next: dict[str, float] = field(default_factory=dict)
    _until: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reserve(
        self, key: str, *, interval: float, patience: float, hold: float
    ) -> tuple[bool, float]:
        with self._lock:
            now = time.time()
            until = self._until.get(key, 0.0)
            start = max(now, until, self._next.get(key, 0.0) if interval > 0 else 0.0)
            if start - now > patience or until - now > hold:
                return False, start - now
            if interval > 0:
                self._next[key] = start + interval
            return True, start - now

    def pause(self, key: str, until: float) -> None:
        with self._lock:
            self._until[key] = max(until, self._until.get(key, 0.0))

"""The processes running job workers on one embedded queue: the one alone at start owns it.

Rules:
- Every process that runs job workers on a data dir holds a shared ``flock`` on its
  ``workers.lock`` while it lives (the kernel lets it go when the process dies). A process
  that finds no other holding it is alone: what the store says is running was left by a dead
  process, and it may take it all at once (``Store.recover(owner=True)``). One that is not
  alone waits for those jobs' leases to expire, as on a shared queue: taking them would run
  them twice, beside the live process running them.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path


class Presence:
    """This process's place among those running job workers on ``path``'s data dir."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._alone = False
        self._lock = threading.Lock()

    def alone(self) -> bool:
        """Join the processes on this data dir (once); True when none was there before."""
        with self._lock:
            if self._fd is None:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    self._alone = True
                except BlockingIOError:
                    self._alone = False
                fcntl.flock(fd, fcntl.LOCK_SH)  # held until this process ends
                self._fd = fd
            return self._alone

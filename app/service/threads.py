"""A daemon thread per process for a background loop, started and stopped idempotently.

Rules:
- ``start`` from any thread starts the loop once; ``stop`` sets ``stopping``, wakes the loop
  (``interrupt``) and waits at most ``join_seconds`` for it, unless called from the loop.
"""

from __future__ import annotations

import threading


class Background:
    """Subclasses give ``name`` and ``run`` (which returns once ``stopping`` is set)."""

    name = "paperbot-background"
    join_seconds = 10.0

    def __init__(self) -> None:
        self.stopping = threading.Event()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        with self._guard:
            if self._thread is None:
                self.stopping.clear()
                self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
                self._thread.start()

    def stop(self) -> None:
        self.stopping.set()
        self.interrupt()
        with self._guard:
            thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=self.join_seconds)

    def interrupt(self) -> None:
        """Wake the loop from a wait other than ``stopping`` (nothing, by default)."""

    def run(self) -> None:
        raise NotImplementedError

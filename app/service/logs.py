"""Logging: one JSON object per line (or plain text for a terminal); secrets never logged.

Rules:
- An expected network error (Redis or GitHub not answering) is one line with its
  ``error``, never a traceback, whoever logs it (our code or Huey's loops).
- Huey's polling loops (ten polls a second) say an expected error once, then at most once
  per ``REPEAT_SECONDS`` with how many they left out (``repeated``): a Redis restart is a
  few lines, not a flood.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

import redis
from pydantic_core import to_json

from app.github.port import Transient

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}
EXPECTED = (OSError, redis.ConnectionError, redis.TimeoutError, Transient)
REPEAT_SECONDS = 60.0
LOOPS = "huey.consumer"  # the loggers of Huey's worker and scheduler loops


class Repeats:
    """A logging filter: a polling loop's expected error passes once per ``REPEAT_SECONDS``."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock, self.lock = clock, threading.Lock()
        self.said: dict[tuple[str, object], tuple[float, int]] = {}  # → (when, left out)

    def __call__(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if not record.name.startswith(LOOPS) or not isinstance(exc, EXPECTED):
            return True
        key, now = (record.name, record.msg), self.clock()
        with self.lock:
            when, left_out = self.said.get(key, (-REPEAT_SECONDS, 0))
            if now - when < REPEAT_SECONDS:
                self.said[key] = (when, left_out + 1)
                return False
            self.said[key] = (now, 0)
        if left_out:
            record.repeated = left_out
        return True


def no_traceback_when_expected(record: logging.LogRecord) -> bool:
    """Drop the traceback of an expected network error, keeping what it was."""
    exc = record.exc_info[1] if record.exc_info else None
    if isinstance(exc, EXPECTED):
        record.exc_info, record.exc_text = None, None
        record.error = f"{type(exc).__name__}: {exc}"
    return True


class JsonFormatter(logging.Formatter):
    """A log record as JSON: time, level, logger, message and every ``extra`` field.

    Cheap enough for one line per delivery: the time's text is made once a second, and
    pydantic-core writes the JSON (UTF-8 kept, anything else as ``str``).
    """

    _second, _text = -1, ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return self.stamp(record.created)

    def stamp(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            self._second = second
            self._text = time.strftime("%Y-%m-%d %H:%M:%S", self.converter(second))
        return f"{self._text},{int((created - second) * 1000):03d}"

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        data.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return to_json(data, fallback=str).decode()


class TurnHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes each line at once, except on an event loop's thread: there the lines of one
    turn of the loop (a burst of deliveries) go out together at its end, in one write."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._turn = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.put(self.format(record) + self.terminator)
        except Exception:
            self.handleError(record)

    def put(self, text: str) -> None:
        """Write ``text`` now, or at the end of this turn of the running event loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            with self.lock:  # type: ignore[union-attr]
                self.stream.write(text)
                self.flush()
            return
        pending: list[str] | None = getattr(self._turn, "lines", None)
        if not pending:
            pending = self._turn.lines = []
            loop.call_soon(self._write_turn)
        pending.append(text)

    def _write_turn(self) -> None:
        lines, self._turn.lines = self._turn.lines, []
        with self.lock:  # type: ignore[union-attr]
            self.stream.write("".join(lines))
            self.flush()


def info(logger: logging.Logger, message: str, *, fields: dict[str, Any]) -> None:
    """``logger.info(message, extra=fields)`` for a line per delivery: when the only handler
    is ``setup``'s JSON one, the line is written without a LogRecord (a third of the cost)."""
    handler = logging.root.handlers[0] if len(logging.root.handlers) == 1 else None
    formatter = handler.formatter if isinstance(handler, TurnHandler) else None
    if not isinstance(formatter, JsonFormatter) or logger.handlers:
        logger.info(message, extra=fields)
    elif logger.isEnabledFor(logging.INFO):
        head = {"time": formatter.stamp(time.time()), "level": "INFO", "logger": logger.name}
        line = {**head, "message": message, **fields}
        handler.put(to_json(line, fallback=str).decode() + "\n")  # type: ignore[union-attr]


def setup(fmt: str = "json", level: int = logging.INFO) -> None:
    handler = TurnHandler(sys.stderr)
    handler.addFilter(Repeats())
    handler.addFilter(no_traceback_when_expected)
    handler.setFormatter(
        JsonFormatter()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # A run of a job is our one "job" line: Huey's per-task lines (executing, requeueing,
    # scheduled) and urllib3's per-attempt retry warnings repeat it; their errors still show.
    for name, quiet in (("huey", logging.WARNING), ("urllib3", logging.ERROR)):
        logging.getLogger(name).setLevel(max(level, quiet))
    logging.getLogger("huey.consumer").setLevel(level)
    # Fields no line shows, each a cost per record (a process lookup, a stack walk).
    logging.logProcesses = logging.logMultiprocessing = False
    logging._srcfile = None

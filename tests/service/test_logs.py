"""Log lines: one JSON object each, non-ASCII kept; a burst on the event loop is one write."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from collections.abc import Iterator

import pytest
import redis

from app.github.port import Transient
from app.service import logs
from app.service.logs import JsonFormatter, TurnHandler


class Writes(io.StringIO):
    """A stream that counts its writes."""

    count = 0

    def write(self, text: str) -> int:
        self.count += 1
        return super().write(text)


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, Writes]]:
    stream = Writes()
    handler = TurnHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("paperbot.test-logs")
    log.addHandler(handler)
    log.propagate, log.level = False, logging.INFO
    yield log, stream
    log.removeHandler(handler)


def test_a_line_is_one_json_object_with_its_fields_and_chinese_kept(
    logged: tuple[logging.Logger, Writes],
) -> None:
    log, stream = logged
    log.info("delivery", extra={"repository": "组会/log", "issue": 7, "ms": 1.5})
    (line,) = stream.getvalue().splitlines()
    assert "组会/log" in line  # not \\u escaped
    data = json.loads(line)
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}", data.pop("time"))
    assert data == {
        "level": "INFO",
        "logger": "paperbot.test-logs",
        "message": "delivery",
        "repository": "组会/log",
        "issue": 7,
        "ms": 1.5,
    }


def test_the_lines_of_one_turn_of_the_event_loop_go_out_in_one_write(
    logged: tuple[logging.Logger, Writes],
) -> None:
    log, stream = logged

    async def burst() -> None:
        for n in range(20):
            log.info("delivery", extra={"n": n})
        await asyncio.sleep(0)  # the turn ends: its lines are written
        log.info("next turn")
        await asyncio.sleep(0)

    asyncio.run(burst())
    lines = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert [x.get("n") for x in lines] == [*range(20), None] and stream.count == 2


def test_the_delivery_line_written_without_a_log_record_reads_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stream = Writes()
    handler = TurnHandler(stream)
    handler.setFormatter(JsonFormatter())
    monkeypatch.setattr(logging.root, "handlers", [handler])
    log = logging.getLogger("paperbot.webhook")
    log.setLevel(logging.INFO)
    fields = {"delivery": "d-1", "repository": "组会/log", "issue": None, "ms": 0.4}
    try:
        log.info("delivery", extra=fields)
        logs.info(log, "delivery", fields=fields)
    finally:
        log.setLevel(logging.NOTSET)
    slow, fast = (json.loads(x) for x in stream.getvalue().splitlines())
    assert slow.pop("time")[:16] == fast.pop("time")[:16] and slow == fast


@pytest.mark.parametrize(
    ("error", "traceback"),
    [
        (
            redis.ConnectionError("Error 111 connecting to 127.0.0.1:6390. Connection refused."),
            False,
        ),
        (Transient("GitHub unreachable: ConnectTimeout"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
        (KeyError("number"), True),  # a bug keeps its traceback
    ],
)
def test_an_expected_network_error_is_one_line_without_a_traceback(
    logged: tuple[logging.Logger, Writes], error: Exception, traceback: bool
) -> None:
    log, stream = logged
    log.handlers[0].addFilter(logs.no_traceback_when_expected)
    try:
        raise error
    except Exception:
        log.exception("Error reading from queue")  # as Huey's worker loop logs it
    (line,) = stream.getvalue().splitlines()
    assert ("Traceback" in line) is traceback
    assert type(error).__name__ in json.loads(line)["error"]


def _record(name: str, error: Exception) -> logging.LogRecord:
    return logging.makeLogRecord(
        {"name": name, "msg": "Error reading from queue", "exc_info": (type(error), error, None)}
    )


@pytest.mark.parametrize(
    ("name", "error", "passed"),
    [
        ("huey.consumer.Worker", redis.ConnectionError("refused"), [True, False, False, True]),
        ("huey.consumer.Scheduler", ConnectionRefusedError(111, "no"), [True, False, False, True]),
        ("huey.consumer.Worker", KeyError("bug"), [True, True, True, True]),  # a bug: every time
        ("paperbot", redis.ConnectionError("refused"), [True, True, True, True]),  # per attempt
    ],
)
def test_a_polling_loops_expected_error_passes_once_a_minute_saying_how_many_were_left_out(
    name: str, error: Exception, passed: list[bool]
) -> None:
    now = [0.0]
    repeats = logs.Repeats(clock=lambda: now[0])
    got, last = [], _record(name, error)
    for now[0] in (0.0, 0.1, 59.0, 61.0):
        last = _record(name, error)
        got.append(repeats(last))
    assert got == passed
    assert getattr(last, "repeated", 0) == (0 if all(passed) else 2)

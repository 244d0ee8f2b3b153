"""Pacing: one request per interval, and never a wait past the lookup's deadline."""

from __future__ import annotations

from app.lookup.http import Deadline, Pacing


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_second_request_waits_for_its_slot() -> None:
    clock = Clock()
    pacing = Pacing(3.0, clock=clock, sleep=clock.sleep)
    assert pacing.acquire(Deadline(5.0, clock=clock))
    pacing.release()
    clock.now += 1.0
    assert pacing.acquire(Deadline(5.0, clock=clock))
    pacing.release()
    assert clock.slept == [2.0]


def test_no_slot_when_it_would_come_too_late() -> None:
    clock = Clock()
    pacing = Pacing(3.0, clock=clock, sleep=clock.sleep)
    assert pacing.acquire(Deadline(5.0, clock=clock))
    pacing.release()
    assert not pacing.acquire(Deadline(2.5, clock=clock))
    assert clock.slept == []
    assert pacing.acquire(Deadline(3.5, clock=clock))  # and the lock was not kept
    pacing.release()


def test_one_request_at_a_time() -> None:
    clock = Clock()
    pacing = Pacing(0.0, clock=clock, sleep=clock.sleep)
    assert pacing.acquire(Deadline(5.0, clock=clock))
    assert not pacing.acquire(Deadline(0.05))  # the first still holds the connection
    pacing.release()

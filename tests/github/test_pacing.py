"""Pacing in one process (the CLI's, the demo's): threads' writes for one token take turns,
a short rate-limit pause is waited out, a long one is told without asking GitHub."""

from __future__ import annotations

import threading
import time
from itertools import pairwise

import pytest

from app.github.fake.server import FakeGitHub
from app.github.pacing import LocalPacer
from app.github.port import RateLimited
from app.github.pygithub import Clients
from tests.fakes import MEMBER, REPO, settings_for


def test_threads_writing_with_one_token_take_turns(gh: FakeGitHub) -> None:
    gh.secondary_gap = 0.2
    clients = Clients(settings_for(gh).model_copy(update={"write_interval": 0.3}))
    gh.create_issue(REPO, title="x", body="y", login=MEMBER)
    port = clients.repo(REPO, None)
    writers = [
        threading.Thread(target=lambda: [port.add_comment(1, "hi") for _ in range(2)])
        for _ in range(3)
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert gh.secondary_hits == 0 and len(gh.write_times[None]) == 6
    assert min(b - a for a, b in pairwise(gh.write_times[None])) >= 0.2


def test_a_rate_limit_pauses_every_request_until_told(gh: FakeGitHub) -> None:
    gh.secondary_gap = 30.0
    clients = Clients(settings_for(gh))
    gh.create_issue(REPO, title="x", body="y", login=MEMBER)
    port = clients.repo(REPO, None)
    port.add_comment(1, "first")
    with pytest.raises(RateLimited):
        port.add_comment(1, "too soon")
    asked = sum(gh.requests.values())
    with pytest.raises(RateLimited) as paused:
        port.get_issue(1)  # reads wait too: GitHub may ban an integration that keeps asking
    assert 55 < paused.value.retry_after <= 60 and sum(gh.requests.values()) == asked


def test_a_short_pause_is_waited_out(gh: FakeGitHub) -> None:
    pacer = LocalPacer()
    clients = Clients(settings_for(gh), pacer=pacer)
    gh.create_issue(REPO, title="x", body="y", login=MEMBER)
    pacer.pause("github:token", time.time() + 1.0)
    pacer.pause("github:token", time.time() + 0.1)  # a shorter pause never shortens it
    started = time.monotonic()
    assert clients.repo(REPO, None).get_issue(1).title == "x"
    assert time.monotonic() - started >= 0.9

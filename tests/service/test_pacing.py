"""The pacer shared by processes (SQLite always, Redis with PAPERBOT_TEST_REDIS_URL): real OS
processes writing through the real adapter to the fake GitHub are paced per installation
together, a rate limit seen by one pauses that installation for all, and arXiv is asked
once per 3 s by the deployment, not by each process."""

from __future__ import annotations

import multiprocessing
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from app.core.paper import PaperMeta
from app.github.fake.apps import keypair
from app.github.fake.server import FakeGitHub
from app.github.port import GitHubError, RateLimited
from app.github.pygithub import Clients
from app.lookup.fake.server import FakeMetadata
from app.lookup.resolve import HttpLookup, pacings
from app.lookup.settings import LookupSettings
from app.service import metrics
from app.service.settings import Settings
from tests.fakes import MEMBER, REPO, fake_github
from tests.service.test_store import BACKENDS, drop_redis, open_huey

APP_ID, ONE, TWO = 77, 1, 2
INTERVAL = 0.5
GAP = INTERVAL / 2  # GitHub's limit in the fake: under the pacing by a margin for a loaded
# host, where a write may reach the fake a scheduler slice after its slot (seen in CI at 0.1 s)
PAUSES = "paperbot_secondary_limit_pauses_total"
Where = tuple[str, Path, str]  # backend, data dir, queue name: the same queue in every process


@pytest.fixture
def where(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Where]:
    spot = (request.param, tmp_path / "queue", f"paperbot-test-{uuid.uuid4().hex}")
    yield spot
    if request.param == "redis":
        drop_redis(open_huey(*spot))


@pytest.fixture
def gh(tmp_path: Path) -> Iterator[FakeGitHub]:
    with fake_github(tmp_path / "gh") as fake:
        fake.installations.update({ONE, TWO})
        fake.create_issue(REPO, title="x", body="y", login=MEMBER)
        yield fake


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(4, mp_context=multiprocessing.get_context("spawn")) as made:
        yield made


def app_settings(gh: FakeGitHub) -> dict[str, Any]:
    private, public = keypair()
    gh.apps[APP_ID] = public
    return {
        "GITHUB_WEBHOOK_SECRET": "s",
        "GITHUB_APP_ID": APP_ID,
        "GITHUB_APP_PRIVATE_KEY": private,
        "GITHUB_API_URL": gh.base_url,
        "PAPERBOT_WRITE_INTERVAL": INTERVAL,
    }


def comment(
    settings: dict[str, Any], where: Where, installation: int, *, n: int, at: float
) -> list[str]:
    """In a process of its own: ``n`` comments for ``installation`` from ``at`` on, paced by
    the shared queue at ``where``; what each attempt got."""
    clients = Clients(Settings(**settings), pacer=open_huey(*where).pacer)
    port = clients.repo(REPO, installation)
    time.sleep(max(0.0, at - time.time()))
    got = [attempt(partial(port.add_comment, 1, f"{installation}-{i}")) for i in range(n)]
    clients.close()
    return got


def comment_off_by(
    skew: float, settings: dict[str, Any], where: Where, installation: int, *, n: int, at: float
) -> list[str]:
    """``comment`` from a host whose clock runs ``skew`` seconds off (every ``time.time`` of
    this process, as a mis-set host clock would be)."""
    time.sleep(max(0.0, at - time.time()))
    real = time.time
    time.time = lambda: real() + skew
    try:
        return comment(settings, where, installation, n=n, at=0)
    finally:
        time.time = real  # the pool's process serves other tests next


def attempt(call: Callable[[], object]) -> str:
    try:
        call()
    except RateLimited as exc:
        return f"limited {exc.retry_after:.0f}"
    except GitHubError as exc:
        return str(exc)
    return "ok"


def gaps(times: list[float]) -> list[float]:
    return [b - a for a, b in pairwise(times)]


@pytest.mark.parametrize("where", BACKENDS, indirect=True)
def test_processes_writing_for_one_installation_are_paced_together(
    gh: FakeGitHub, where: Where, pool: ProcessPoolExecutor
) -> None:
    gh.secondary_gap = GAP
    settings, at = app_settings(gh), time.time() + 4
    ones = [pool.submit(comment, settings, where, ONE, n=3, at=at) for _ in range(3)]
    two = pool.submit(comment, settings, where, TWO, n=3, at=at)
    assert [f.result(60) for f in ones] == [["ok"] * 3] * 3 and two.result(60) == ["ok"] * 3
    assert gh.secondary_hits == 0
    assert min(gaps(gh.write_times[ONE])) >= GAP  # unpaced, 3 processes: ~0 s
    # the other installation's writes do not queue behind the first's nine
    assert gh.write_times[TWO][-1] < gh.write_times[ONE][5]


@pytest.mark.parametrize("where", BACKENDS[1:], indirect=True)
def test_hosts_whose_clocks_disagree_by_seconds_are_still_paced_together(
    gh: FakeGitHub, where: Where, pool: ProcessPoolExecutor
) -> None:
    """Slots are kept on Redis's clock: a worker whose host runs 5 s behind (or ahead)
    neither writes on top of the others nor waits its skew for every slot."""
    gh.secondary_gap = GAP
    settings, at = app_settings(gh), time.time() + 4
    runs = [
        pool.submit(comment_off_by, skew, settings, where, ONE, n=3, at=at) for skew in (0, -5, 5)
    ]
    assert [f.result(60) for f in runs] == [["ok"] * 3] * 3
    assert gh.secondary_hits == 0
    times = gh.write_times[ONE]
    assert min(gaps(times)) >= GAP and times[-1] - at < 9 * INTERVAL + 2


@pytest.mark.parametrize("where", BACKENDS, indirect=True)
def test_a_rate_limit_seen_by_one_process_pauses_that_installation_for_all(
    gh: FakeGitHub, where: Where, pool: ProcessPoolExecutor
) -> None:
    gh.secondary_gap = 30.0
    settings = {**app_settings(gh), "PAPERBOT_WRITE_INTERVAL": 0}
    first = pool.submit(comment, settings, where, ONE, n=2, at=0).result(60)
    assert first == ["ok", "limited 60"] and gh.secondary_hits == 1
    other = pool.submit(comment, settings, where, ONE, n=1, at=0).result(60)
    assert other == ["limited 60"]  # told by the pause, without asking GitHub
    assert gh.secondary_hits == 1 and len(gh.write_times[ONE]) == 1
    assert pool.submit(comment, settings, where, TWO, n=1, at=0).result(60) == ["ok"]


@pytest.mark.parametrize("where", BACKENDS, indirect=True)
def test_slots_follow_each_other_per_key_and_a_pause_holds_only_its_key(where: Where) -> None:
    pacer = open_huey(*where).pacer
    pauses = metrics.REGISTRY.get_sample_value(PAUSES, {"kind": "github"}) or 0
    slots = [pacer.reserve("github:1", interval=10, patience=60, hold=5)[1] for _ in range(3)]
    assert [round(w) for w in slots] == [0, 10, 20]
    assert pacer.reserve("github:1", interval=10, patience=15, hold=5)[0] is False  # 30 s off
    assert pacer.reserve("github:2", interval=10, patience=60, hold=5)[1] < 1
    pacer.pause("github:2", time.time() + 30)
    pacer.pause("github:2", time.time() + 1)  # never shortened
    granted, left = pacer.reserve("github:2", interval=0, patience=60, hold=5)
    assert not granted and 28 < left <= 30
    assert pacer.reserve("github:1", interval=0, patience=60, hold=5) == (True, 0.0)  # a read
    assert metrics.REGISTRY.get_sample_value(PAUSES, {"kind": "github"}) == pauses + 2
    if where[0] == "redis":  # the entry expires a minute after its last slot
        assert 0 < pacer.conn.pttl(pacer.prefix + "github:1") <= (30 + 60) * 1000


def ask_arxiv(services: LookupSettings, where: Where, link: str, *, at: float) -> bool:
    """In a process of its own: one arXiv lookup from ``at`` on, paced by the shared queue."""
    shared = open_huey(*where).pacer
    lookup = HttpLookup(services, budget=8.0, pacing=pacings({"arxiv": 3.0}, shared=shared))
    time.sleep(max(0.0, at - time.time()))
    got = lookup.lookup(link)
    lookup.close()
    return isinstance(got, PaperMeta)


@pytest.mark.parametrize("where", BACKENDS, indirect=True)
def test_arxiv_is_asked_once_per_3_s_by_all_processes_together(
    services: FakeMetadata, where: Where, pool: ProcessPoolExecutor
) -> None:
    at = time.time() + 4
    links = ["https://arxiv.org/abs/2309.17453", "https://arxiv.org/abs/1706.03762"]
    asked = [pool.submit(ask_arxiv, services.settings(), where, link, at=at) for link in links]
    assert [f.result(60) for f in asked] == [True, True]
    times = sorted(s.at for s in services.seen if s.service == "arxiv")
    assert len(times) == 2 and times[1] - times[0] >= 2.9  # per process: both at once


def lookup_once(services: LookupSettings, where: Where, link: str) -> str:
    """In a process of its own: one arXiv lookup paced by the shared queue; its outcome."""
    shared = open_huey(*where).pacer
    lookup = HttpLookup(services, budget=2.0, pacing=pacings({"arxiv": 0.1}, shared=shared))
    got = lookup.lookup(link)
    lookup.close()
    return "found" if isinstance(got, PaperMeta) else got.reason


@pytest.mark.parametrize("where", BACKENDS, indirect=True)
def test_arxivs_retry_after_holds_every_processs_arxiv_lookups(
    services: FakeMetadata, where: Where, pool: ProcessPoolExecutor
) -> None:
    """arXiv answered 503 with Retry-After: no process asks it again until then."""
    services.fail("arxiv", 503, headers={"Retry-After": "30"})
    link = "https://arxiv.org/abs/2309.17453"
    assert pool.submit(lookup_once, services.settings(), where, link).result(60) == "rate_limited"
    again = [pool.submit(lookup_once, services.settings(), where, link) for _ in range(2)]
    assert [f.result(60) for f in again] == ["queued", "queued"]
    assert services.count("arxiv") == 1

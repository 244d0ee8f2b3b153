"""The webhook receiver over HTTP with a real Huey queue (SQLite, and Redis when available)."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import os
import threading
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from huey.storage import RedisStorage

from app.flows.routing import Task
from app.service.queue import JobQueue, PaperbotHuey, make_huey
from app.service.settings import Settings
from app.service.signature import sign
from app.service.web import create_app
from tests.conftest import FIXTURES
from tests.service.test_store import drop_redis

SECRET = "s3cret"
JOBS = ("process_issue", "issue_closed", "pull_closed", "regenerate")


def payload(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "webhooks" / f"{name}.json").read_text(encoding="utf-8"))


def make_queue(huey: PaperbotHuey) -> JobQueue:
    tasks = {name: huey.task(name=name)(lambda **kw: kw) for name in JOBS}
    return JobQueue(huey, tasks)


@pytest.fixture
def huey(tmp_path: Path) -> PaperbotHuey:
    return make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))


@pytest.fixture
def client(huey: PaperbotHuey) -> TestClient:
    settings = Settings(GITHUB_WEBHOOK_SECRET=f"old,{SECRET}", PAPERBOT_MAX_BODY_BYTES=64_000)
    return TestClient(create_app(settings=settings, queue=make_queue(huey)))


def post(
    client: TestClient,
    event: str,
    body: dict[str, Any] | bytes,
    *,
    secret: str = SECRET,
    delivery: str | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    raw, hdrs = post_headers(event, body, secret=secret, delivery=delivery)
    return client.post("/webhook", content=raw, headers={**hdrs, **(headers or {})})


def post_headers(
    event: str,
    body: dict[str, Any] | bytes,
    *,
    secret: str = SECRET,
    delivery: str | None = None,
) -> tuple[bytes, dict[str, str]]:
    """A signed delivery: its raw body and headers."""
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return raw, {
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(raw, secret.encode()),
        "Content-Type": "application/json",
    }


def pending(huey: PaperbotHuey) -> list[tuple[str, dict[str, Any]]]:
    return [(t.name, t.kwargs) for t in huey.pending()]


def test_issue_opened_enqueues_primitives(client: TestClient, huey: PaperbotHuey) -> None:
    res = post(client, "issues", payload("issues.opened"), delivery="d-1")
    assert res.status_code == 202 and res.json() == {"outcome": "accepted", "job": "process_issue"}
    assert pending(huey) == [
        (
            "process_issue",
            {
                "delivery": "d-1",
                "repo": "Codertocat/Hello-World",
                "installation": None,
                "base": "master",
                "sender": "Codertocat",
                "own": False,
                "number": 1,
            },
        )
    ]


def test_redelivery_is_a_duplicate(client: TestClient, huey: PaperbotHuey) -> None:
    assert post(client, "issues", payload("issues.opened"), delivery="same").status_code == 202
    again = post(client, "issues", payload("issues.edited"), delivery="same")
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert len(pending(huey)) == 1


@pytest.mark.parametrize(
    ("event", "name", "job"),
    [
        ("issues", "issues.edited", "process_issue"),
        ("issues", "issues.reopened", "process_issue"),
        ("issue_comment", "issue_comment.created", "process_issue"),
        ("pull_request", "pull_request.closed", None),  # not a paperbot/ branch
        ("push", "push", None),  # example push is to a non-default ref
        ("installation", "installation.deleted", None),
        ("watch", "issues.opened", None),  # unknown event
    ],
)
def test_routing(
    client: TestClient, huey: PaperbotHuey, event: str, name: str, job: str | None
) -> None:
    res = post(client, event, payload(name))
    assert res.status_code == (202 if job else 200)
    assert [n for n, _ in pending(huey)] == ([job] if job else [])


def test_bot_pr_merge_and_default_branch_push(client: TestClient, huey: PaperbotHuey) -> None:
    pr = copy.deepcopy(payload("pull_request.closed"))
    pr["pull_request"]["head"]["ref"] = "paperbot/issue-7"
    pr["pull_request"]["merged"] = True
    push = copy.deepcopy(payload("push"))
    push["ref"] = f"refs/heads/{push['repository']['default_branch']}"
    push["deleted"] = False
    assert post(client, "pull_request", pr).status_code == 202
    assert post(client, "push", push).status_code == 202
    jobs = pending(huey)
    assert [n for n, _ in jobs] == ["pull_closed", "regenerate"]
    assert jobs[0][1]["merged"] is True and jobs[0][1]["number"] == pr["number"]


def test_events_from_bots_are_ignored(client: TestClient, huey: PaperbotHuey) -> None:
    body = copy.deepcopy(payload("issues.opened"))
    body["sender"]["type"] = "Bot"
    assert post(client, "issues", body).json() == {"outcome": "ignored"}
    assert pending(huey) == []


def test_ping(client: TestClient) -> None:
    assert post(client, "ping", payload("ping")).json() == {"outcome": "pong"}


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"secret": "wrong"}, 401),
        ({"headers": {"X-Hub-Signature-256": ""}}, 401),
        ({"headers": {"X-Hub-Signature-256": "sha1=abcdef"}}, 401),
        ({"headers": {"X-GitHub-Event": ""}}, 400),
        ({"headers": {"X-GitHub-Delivery": ""}}, 400),
        ({"headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400),
        ({"body": b"{not json"}, 400),
        ({"body": b"[1, 2]"}, 400),
        ({"body": b"x" * 64_001}, 413),
    ],
)
def test_bad_deliveries(
    client: TestClient, huey: PaperbotHuey, change: dict[str, Any], status: int
) -> None:
    body = change.pop("body", payload("issues.opened"))
    assert post(client, "issues", body, **change).status_code == status
    assert pending(huey) == []


def test_old_secret_still_accepted_during_rotation(client: TestClient) -> None:
    assert post(client, "issues", payload("issues.opened"), secret="old").status_code == 202


def test_a_secret_set_differently_on_github_is_one_warning_a_minute(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="paperbot.webhook"):
        post(client, "issues", b"{}", headers={"X-Hub-Signature-256": ""})  # a scanner's junk
        assert [r.levelname for r in caplog.records] == ["INFO"]
        for _ in range(3):
            assert post(client, "issues", payload("issues.opened"), secret="x").status_code == 401
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warned) == 1 and "GITHUB_WEBHOOK_SECRET" in warned[0]


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "up"}
    assert client.get("/readyz").status_code == 200


def concurrent_accepts(queue: JobQueue, delivery: str, n: int = 8) -> list[bool]:
    barrier, results = threading.Barrier(n), []
    lock = threading.Lock()

    def go() -> None:
        barrier.wait()
        got = queue.accept(delivery, Task("process_issue", {"repo": "o/r", "number": 1}))
        with lock:
            results.append(got)

    threads = [threading.Thread(target=go) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_one_guid_at_once_is_accepted_once_sqlite(huey: PaperbotHuey) -> None:
    results = concurrent_accepts(make_queue(huey), "race")
    assert sorted(results) == [False] * 7 + [True] and len(huey.pending()) == 1


REDIS_URL = os.environ.get("PAPERBOT_TEST_REDIS_URL")


@pytest.mark.skipif(not REDIS_URL, reason="PAPERBOT_TEST_REDIS_URL is not set")
def test_one_guid_at_once_is_accepted_once_redis() -> None:
    huey = PaperbotHuey(f"paperbot-test-{uuid.uuid4()}", storage_class=RedisStorage, url=REDIS_URL)
    try:
        results = concurrent_accepts(make_queue(huey), "race")
        assert sorted(results) == [False] * 7 + [True] and len(huey.pending()) == 1
    finally:
        drop_redis(huey)


def metric(client: TestClient, line_start: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metric_labels_are_routed_events_or_other_and_set_after_the_signature(
    client: TestClient,
) -> None:
    rows = {
        'paperbot_deliveries_total{event="issues",outcome="accepted"}': 1,
        'paperbot_deliveries_total{event="other",outcome="bad signature"}': 2,
        'paperbot_deliveries_total{event="other",outcome="ignored"}': 1,
    }
    before = {row: metric(client, row) for row in rows}
    made_up = f"made-up-{uuid.uuid4()}"
    post(client, "issues", payload("issues.opened"))
    post(client, "issues", payload("issues.opened"), secret="wrong")
    post(client, made_up, payload("issues.opened"), secret="wrong")
    post(client, made_up, payload("issues.opened"))
    page = client.get("/metrics").text
    assert "made-up" not in page
    assert {row: metric(client, row) - before[row] for row in rows} == rows
    assert metric(client, "paperbot_queue_depth") >= 1


def test_metrics_show_a_private_repositorys_queue_without_naming_it(client: TestClient) -> None:
    """/metrics is on the webhook's public port: a lane is counted, a repository never named."""
    private = payload("issues.opened")
    private["repository"]["full_name"] = "group/secret-reading-list"
    private["repository"]["name"] = "secret-reading-list"
    assert post(client, "issues", private).status_code == 202
    page = client.get("/metrics").text
    lanes = [line for line in page.splitlines() if line.startswith("paperbot_queue_lane_depth{")]
    assert "secret-reading-list" not in page
    assert len(lanes) == 1 and lanes[0].startswith('paperbot_queue_lane_depth{lane="r')
    assert lanes[0].endswith(" 1.0")


def test_a_huge_delivery_header_is_not_copied_into_the_log(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Anyone can send a header of megabytes (uvicorn's httptools reads it): the log line
    keeps at most ``LOGGED_ID`` characters of it, signed or not."""
    huge = "A" * 1_000_000
    with caplog.at_level(logging.INFO, logger="paperbot.webhook"):
        assert post(client, "issues", b"{}", secret="wrong", delivery=huge).status_code == 401
        assert post(client, "ping", payload("ping"), delivery=huge).status_code == 200
    logged = [str(getattr(r, "delivery", "")) for r in caplog.records if r.msg == "delivery"]
    assert len(logged) == 2 and all(0 < len(d) <= 100 and d.startswith("AAAA") for d in logged)


def test_an_unrouted_event_is_answered_from_its_header_before_the_body_is_parsed(
    client: TestClient,
) -> None:
    assert post(client, "watch", b"{not json at all").json() == {"outcome": "ignored"}
    assert post(client, "watch", b"{not json", secret="wrong").status_code == 401


def test_a_failed_enqueue_leaves_no_claim_so_the_redelivery_is_accepted(
    client: TestClient, huey: PaperbotHuey
) -> None:
    fail = "create trigger full before insert on task begin select raise(abort, 'disk full'); end"
    huey.storage.sql(fail, commit=True)
    res = post(client, "issues", payload("issues.opened"), delivery="d-full")
    assert res.status_code == 503 and res.json()["outcome"] == "queue unavailable"
    huey.storage.sql("drop trigger full", commit=True)
    again = post(client, "issues", payload("issues.opened"), delivery="d-full")
    assert again.status_code == 202 and len(pending(huey)) == 1


def test_deliveries_arriving_together_are_claimed_in_one_batch(huey: PaperbotHuey) -> None:
    queue = make_queue(huey)
    app = create_app(settings=Settings(GITHUB_WEBHOOK_SECRET=SECRET), queue=queue)
    batches: list[int] = []
    accept = queue.store.accept
    queue.store.accept = lambda items, now: batches.append(len(items)) or accept(items, now)  # type: ignore[method-assign]
    ids = [f"d-{i}" for i in range(15)] + ["same"] * 5

    async def deliver_all() -> list[int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
            sent = [post_headers("issues", payload("issues.opened"), delivery=d) for d in ids]
            answers = await asyncio.gather(
                *(client.post("/webhook", content=raw, headers=h) for raw, h in sent)
            )
        return [a.status_code for a in answers]

    statuses = asyncio.run(deliver_all())
    assert sorted(statuses) == [200] * 4 + [202] * 16 and len(pending(huey)) == 16
    assert len(batches) < 5 and sum(batches) == 20


def test_only_post_is_allowed(client: TestClient) -> None:
    res = client.get("/webhook")
    assert res.status_code == 405 and res.headers["allow"] == "POST"

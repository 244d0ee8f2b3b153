"""paperbot status and paperbot retry, run as an operator runs them beside a serve's data dir."""

from __future__ import annotations

import time
from pathlib import Path

from app.flows.routing import Task
from app.service.queue import JobQueue, make_huey
from app.service.routes import router
from app.service.settings import Settings
from tests.cli.test_service import clean_env, run
from tests.service import mounts
from tests.service.test_e2e import free_port, opened
from tests.service.test_webhook import JOBS


def test_status_lists_a_failed_job_with_its_issue_and_why_and_retry_queues_it_again(
    tmp_path: Path,
) -> None:
    huey = make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path))
    queue = JobQueue(huey, {name: huey.task(name=name)(lambda **kw: kw) for name in JOBS})
    for number in (12, 13):
        task = router.decide("issues", opened(number))
        assert isinstance(task, Task) and queue.accept(f"d-{number}", task)
    huey.storage.flush_queue()  # both ran: #12 failed for good, #13 was done
    huey.store.begin("d-12", time.time() + 30)
    huey.store.finish("d-12", "failed", now=time.time(), why="GitHub answered 403: Forbidden")
    huey.store.finish("d-13", "done", now=time.time())
    env = clean_env(PAPERBOT_DATA_DIR=str(tmp_path))
    status = run(["status"], env, tmp_path)
    assert status.returncode == 1, status.stderr
    lines = status.stdout.splitlines()
    assert lines[1].startswith("jobs waiting: 0 (queued 0,")
    assert lines[2] == "deliveries (last 7 days): 1 done, 1 failed"
    assert "d-12  process_issue group/log#12: GitHub answered 403: Forbidden" in lines[3]
    assert "paperbot retry" in lines[4]
    retried = run(["retry", "--failed"], env, tmp_path)
    assert (retried.returncode, retried.stdout) == (0, "d-12: queued again\n")
    assert [t.kwargs["number"] for t in huey.pending()] == [12]
    again = run(["status"], env, tmp_path)
    assert again.returncode == 0 and "1 queued, 1 done" in again.stdout


def test_status_says_what_is_wrong_when_there_is_no_queue_to_read(tmp_path: Path) -> None:
    nowhere = run(["status"], clean_env(PAPERBOT_DATA_DIR=str(tmp_path / "x")), tmp_path)
    assert nowhere.returncode == 2 and "no queue at" in nowhere.stderr
    assert not (tmp_path / "x").exists()  # nothing made
    down = clean_env(PAPERBOT_QUEUE=f"redis://127.0.0.1:{free_port()}/0")
    answer = run(["status"], down, tmp_path)
    assert answer.returncode == 2 and "the queue does not answer" in answer.stderr


def test_status_on_a_read_only_data_dir_says_so_in_one_line(tmp_path: Path) -> None:
    make_huey(Settings(PAPERBOT_DATA_DIR=tmp_path / "data")).storage.close()
    with mounts.read_only(tmp_path / "data", at=tmp_path / "ro") as ro:
        got = run(["status"], clean_env(PAPERBOT_DATA_DIR=str(ro)), tmp_path)
    assert (got.returncode, got.stderr.splitlines()) == (
        2,
        [f"paperbot: error: cannot open sqlite {ro}/queue.db (Read-only file system)"],
    )

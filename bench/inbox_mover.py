"""paperbot's inbox mover alone, for bench.webhook: moves deliveries into the queue, runs no job.

In a deployment the mover runs beside the job workers (``paperbot serve``, ``paperbot
worker``). Here it is a process of its own, so the receiver's figures pay for its CPU on the
same machine, but for no job. The environment is the bot's (``PAPERBOT_DATA_DIR``).
"""

from __future__ import annotations

import signal
import sys
import time

from app.service import logs, runtime
from app.service.mover import POLL_SECONDS, Mover
from app.service.settings import get_settings


def main() -> None:
    logs.setup("json")
    bot = runtime.build(get_settings())
    inbox = bot.queue.inbox
    if inbox is None:
        raise SystemExit("no inbox: the queue is not the embedded SQLite one")
    mover = Mover(inbox.folder, bot.queue, wake=inbox.wake)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    while True:
        if not mover.move():
            time.sleep(POLL_SECONDS)


if __name__ == "__main__":
    main()

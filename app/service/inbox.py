"""The embedded queue's inbox: each signed delivery appended raw, moved into the queue later.

Rules:
- A delivery is appended whole, in one ``os.writev`` of its header and its signed body,
  before its 202: it is then in the page cache, as durable as the SQLite queue with fsync
  off. A write cut short (a full disk) is undone and raises; a record cut short by a killed
  process was never answered 202 and is skipped when read.
- A web process appends to segments of its own. A segment is created under a name no mover
  reads (``.new``), locked (``flock``, exclusive) and only then named ``.open``; its writer
  holds the lock until it closes it as ``.ready``, ``ROTATE_SECONDS`` after its first record
  or at ``MAX_BYTES``. An ``.open`` segment whose lock is free was left by a process that
  died: it is as ready as a ``.ready`` one, and so is one its writer could not rename (its
  lock is let go all the same). A folder removed while running is made again, and the
  records of the segment removed with it are written again into a new one as it closes.
- A delivery id is a header GitHub does not sign: only ``SAFE_ID`` ids are written.
- Whether a delivery was accepted before is the store's answer (``Store.state``), or, for one
  appended here and not moved yet, this process's memory of the last ``RECENT_SECONDS``.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path

from app.service.store import Store

log = logging.getLogger("paperbot.inbox")
ROTATE_SECONDS = 0.2  # a delivery waits at most this long before a mover may take it
MAX_BYTES = 8 << 20
MIN_FREE = 1 << 20  # /readyz says 503 below this: a delivery may not fit
RECENT_SECONDS = 10.0  # a mover takes a segment within a second of its closing
SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,100}")
AGAIN = frozenset({"failed", "waiting"})  # a redelivery of these runs the job again
Record = tuple[str, str, float, bytes]  # delivery, event, received (epoch s), body


class Inbox:
    """The web process's side: appends deliveries to its own segments in ``folder``."""

    def __init__(self, folder: Path, store: Store, *, wake: threading.Event | None = None):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.folder, self.store = folder, store
        self.wake = wake or threading.Event()
        self.recent: OrderedDict[str, float] = OrderedDict()  # oldest first
        self._fd: int | None = None
        self._path = folder
        self._size = self._segments = 0

    def seen(self, delivery: str) -> bool:
        """True when ``delivery`` was accepted before and is not to run again."""
        state = self.store.state(delivery)
        if state is not None:
            return state not in AGAIN
        return delivery in self.recent

    def append(self, delivery: str, event: str, *, body: bytes) -> int | None:
        """Write one delivery whole or raise ``OSError``; returns the number of the segment
        when it is the segment's first record (to be closed by ``rotate`` in
        ``ROTATE_SECONDS``), else None."""
        if not SAFE_ID.fullmatch(delivery):
            raise ValueError("unsafe delivery id")
        if self._fd is None:
            self._fd = self._open()
        received = time.time_ns() // 1_000_000  # in ms, rounded down: never after its claim
        head = b"%s %s %d.%03d %d\n" % (
            delivery.encode(),
            event.encode(),
            received // 1000,
            received % 1000,
            len(body),
        )
        wrote = os.writev(self._fd, (head, body))
        if wrote != len(head) + len(body):
            try:
                os.ftruncate(self._fd, self._size)
            finally:  # whole records only, or the cut one last: closed, nothing after it
                self.rotate()
            raise OSError("the inbox took only part of a delivery (is the disk full?)")
        opened, self._size = (self._segments if not self._size else None), self._size + wrote
        self.recent[delivery] = time.monotonic()
        self.recent.move_to_end(delivery)
        if self._size >= MAX_BYTES:
            self.rotate(self._segments)
        return opened

    def probe(self) -> None:
        """Raise ``OSError`` when the inbox's disk is read-only or all but full."""
        try:
            disk = os.statvfs(self.folder)
        except FileNotFoundError:  # removed: made again by the next delivery
            disk = os.statvfs(self.folder.parent)
        if disk.f_flag & os.ST_RDONLY:
            raise OSError(errno.EROFS, f"{self.folder} is on a read-only file system")
        if disk.f_bavail * disk.f_frsize < MIN_FREE:
            raise OSError(errno.ENOSPC, f"{self.folder}: less than 1 MiB left on its disk")

    def _open(self) -> int:
        self._segments += 1
        name = f"{time.time_ns():020d}-{os.getpid()}-{self._segments}"
        self.folder.mkdir(
            mode=0o700, parents=True, exist_ok=True
        )  # removed while running: made again
        new = self.folder / f"{name}.new"
        fd = os.open(new, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._path, self._size = new.rename(self.folder / f"{name}.open"), 0
        return fd

    def rotate(self, segment: int | None = None) -> None:
        """Close the open segment (only segment number ``segment``, when given) as ready."""
        if self._fd is None or (segment is not None and segment != self._segments):
            return
        fd, self._fd = self._fd, None
        try:
            self._path.rename(self._path.with_suffix(".ready"))
        except FileNotFoundError:  # the folder was removed, and the segment with it
            self._rescue(fd)
        except OSError as exc:  # left ``.open``: a mover takes it once the lock is free
            log.warning("inbox segment not closed", extra={"error": repr(exc)})
        os.close(fd)  # the lock goes with it, after the rename: no mover reads it half-named
        self.wake.set()
        old = time.monotonic() - RECENT_SECONDS
        while self.recent and next(iter(self.recent.values())) < old:
            self.recent.popitem(last=False)  # O(1) from the front: a dict's front is O(n)

    def _rescue(self, fd: int) -> None:
        """Write the records of a segment whose file was removed into a new one, closed."""
        data = b""
        try:
            data = os.pread(fd, self._size, 0)
            self._fd = self._open()
            self._size = os.write(self._fd, data)
            if self._size != len(data):
                os.ftruncate(self._fd, 0)
                raise OSError("the inbox took only part of a removed segment")
        except OSError as exc:
            log.error("inbox segment lost", extra={"error": repr(exc), "bytes": len(data)})
        self.rotate()


def records(data: bytes) -> tuple[list[Record], int]:
    """The whole records of one segment, in order, and how many bytes at its end are not
    one (a record cut short: it was never answered 202)."""
    found: list[Record] = []
    at = 0
    while (end := data.find(b"\n", at)) >= 0:
        try:
            delivery, event, received, size = data[at:end].decode().split(" ")
            head = (delivery, event, float(received), int(size))
        except ValueError:  # not a header the inbox wrote (a UnicodeError is one too)
            break
        if not size.isdigit() or end + 1 + head[3] > len(data):  # "-40" would read backwards
            break
        found.append((*head[:3], data[end + 1 : end + 1 + head[3]]))
        at = end + 1 + head[3]
    return found, len(data) - at


def segments(folder: Path) -> list[Path]:
    """The segments a mover may try, oldest first (it takes an ``.open`` one only when its
    lock is free: its writer is gone)."""
    try:
        return sorted(p for p in folder.iterdir() if p.suffix in (".ready", ".open"))
    except FileNotFoundError:
        return []


def backlog(folder: Path) -> int:
    """Deliveries written and not yet moved, in every segment (headers read, bodies skipped)."""
    return sum(_count(path) for path in segments(folder))


def _count(path: Path) -> int:
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return 0
    count, size = 0, os.fstat(file.fileno()).st_size
    with file:
        while line := file.readline():
            length = line.rsplit(b" ", 1)[-1].strip()
            if not length.isdigit() or file.tell() + int(length) > size:
                break
            file.seek(int(length), os.SEEK_CUR)
            count += 1
    return count

"""What flows share: the repository config, authorisation and the sticky status comment."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from app.core import messages
from app.core.config import CONFIG_PATH, Config, load_config
from app.core.errors import BotError, NotASubmission
from app.core.fields import FORMS
from app.core.i18n import Lang, msg
from app.core.issue_form import read_issue
from app.github.port import Comment, FileText, Gone, Issue, RepoPort
from app.lookup.port import Disabled, Lookup

_ROLES_OK = {"admin", "maintain", "write", "triage"}
K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    """A small thread-safe cache whose entries expire after ``seconds``; at most ``entries``
    of them, the least recently used dropped first."""

    def __init__(self, seconds: float, entries: int = 1024) -> None:
        self.seconds, self.entries = seconds, entries
        self._data: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    def peek(self, key: K) -> V | None:
        """The live value for ``key``, or None; loads nothing."""
        with self._lock:
            hit = self._data.get(key)
            if hit is None or time.monotonic() - hit[0] >= self.seconds:
                return None
            self._data.move_to_end(key)
            return hit[1]

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = (time.monotonic(), value)
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)

    def get(self, key: K, load: Callable[[], V]) -> V:
        with self._lock:
            hit = self._data.get(key)
        if hit and time.monotonic() - hit[0] < self.seconds:
            self.peek(key)
            return hit[1]
        value = load()
        self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


ROLES: TtlCache[tuple[str, str], str] = TtlCache(600)
ORG_CONFIGS: TtlCache[str, FileText | None] = TtlCache(300)
# The status comment's id per (repository, issue), as this process wrote or found it: a
# normal job then reads that one comment instead of listing the issue's comments.
STATUS_IDS: TtlCache[tuple[str, int], int] = TtlCache(7 * 86400, entries=4096)


def clear_caches() -> None:
    ROLES.clear()
    ORG_CONFIGS.clear()
    STATUS_IDS.clear()


Clock = Callable[[str], dt.date]
Now = Callable[[], dt.datetime]


class Ledger(Protocol):
    """Small shared records (the queue's storage in the service): atomic claims by key, and
    records by key (read-modify-write them only under the repository's lease)."""

    def claim(self, key: str) -> bool:
        """Record ``key``; True only for the one caller that recorded it first."""
        ...

    def take(self, key: str) -> bool:
        """Remove ``key``; True when it was recorded."""
        ...

    def read(self, key: str) -> bytes | None:
        """The record kept under ``key``, if any."""
        ...

    def write(self, key: str, value: bytes) -> None:
        """Keep ``value`` under ``key`` (a record, apart from the claims)."""
        ...


class MemoryLedger:
    """A Ledger for one process (tests, ``paperbot action``, the demo)."""

    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._records: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def claim(self, key: str) -> bool:
        with self._lock:
            new = key not in self._keys
            self._keys.add(key)
            return new

    def take(self, key: str) -> bool:
        with self._lock:
            had = key in self._keys
            self._keys.discard(key)
            return had

    def read(self, key: str) -> bytes | None:
        with self._lock:
            return self._records.get(key)

    def write(self, key: str, value: bytes) -> None:
        with self._lock:
            self._records[key] = value


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Context:
    """Where a flow runs: the repository's port, its default branch, the clocks, the ledger,
    and the paper lookups (none unless the shell wires them)."""

    port: RepoPort
    base: str
    clock: Clock
    now: Now = utc_now
    ledger: Ledger = field(default_factory=MemoryLedger)
    lookup: Lookup = field(default_factory=Disabled)
    others: Callable[[str], RepoPort] | None = None  # another repository, same installation
    named: bool = False  # ``base`` as a delivery named it, not GitHub's answer (base_branch.py)


def today_in(zone: str) -> dt.date:
    """Today's date in time zone ``zone``."""
    return dt.datetime.now(ZoneInfo(zone)).date()


_FORM_LABELS = {form.label for form in FORMS.values()}


def is_submission(issue: Issue) -> bool:
    """A form's issue (by its label) or a body that reads as, or attempts, an entry."""
    if _FORM_LABELS & set(issue.labels):
        return True
    try:
        read_issue(issue.body)
    except NotASubmission:
        return False
    except BotError:
        return True
    return True


class NotAllowed(BotError):
    """The issue's author may not submit to this repository; ``why`` is for the log."""

    def __init__(self, message: str, *, why: str) -> None:
        super().__init__(message)
        self.why = why


def repo_config(port: RepoPort, ref: str) -> Config:
    """``.github/paperbot.yml`` at ``ref``, else the owner's ``.github`` repo's, else defaults."""
    found, name = config_file(port, ref)
    return load_config(found.text if found else None, name=name)


def config_file(port: RepoPort, ref: str) -> tuple[FileText | None, str]:
    """The config file in force at ``ref`` and its name: the repository's own, else its
    owner's ``.github`` repository's (None: neither, the defaults apply)."""
    if (own := port.read_file(CONFIG_PATH, ref)) is not None:
        return own, CONFIG_PATH
    owner = port.full_name.split("/")[0]
    found = ORG_CONFIGS.get(owner, lambda: port.read_org_file(CONFIG_PATH))
    return found, f"{owner}/.github: {CONFIG_PATH}"


def authorise(port: RepoPort, issue: Issue, *, config: Config) -> None:
    """Raise NotAllowed unless the author may submit under ``config.authors``."""
    if config.authors == "anyone" or issue.author in config.members:
        return
    if config.authors == "members":
        why = f"{issue.author} is not in members (authors: members)"
    elif issue.author_association == "OWNER" or (got := role(port, issue.author)) in _ROLES_OK:
        return
    else:
        why = f"{issue.author}'s permission is {got}; submitting needs triage or higher"
    raise NotAllowed(messages.status("not_allowed", config.language), why=why)


def role(port: RepoPort, login: str) -> str:
    """The author's role, cached for ten minutes per repository."""
    return ROLES.get((port.full_name, login), lambda: port.role(login))


def may_retry(port: RepoPort, login: str) -> bool:
    """A collaborator with triage or higher may ask for a rejected submission again."""
    return role(port, login) in _ROLES_OK


@dataclass
class Status:
    """The one status comment per issue: the bot's own comment carrying the hidden marker
    (never anyone else's, whatever it holds), edited in place, never repeated. It is found by
    a remembered id (``hint``, or this process's memory) and only else by reading the
    issue's comments, every page."""

    port: RepoPort
    issue: Issue
    lang: Lang = "zh"
    hint: int | None = None
    _found: list[Comment | None] = field(default_factory=list, repr=False)

    def find(self) -> Comment | None:
        if not self._found:
            self._found.append(self._lookup())
        return self._found[0]

    def _lookup(self) -> Comment | None:
        if not self.issue.comments:
            return None
        remembered = STATUS_IDS.peek((self.port.full_name, self.issue.number))
        for cid in dict.fromkeys(c for c in (remembered, self.hint) if c):
            got = self.port.get_comment(cid)
            if got is not None and self._ours(got):
                return self._remember(got)
        found = [c for c in self.port.comments(self.issue.number) if self._ours(c)]
        return self._remember(found[-1]) if found else None

    def _ours(self, comment: Comment) -> bool:
        marked = comment.body.startswith(messages.STATUS_MARK)
        return marked and comment.author == self.port.bot_login()

    def _remember(self, comment: Comment) -> Comment:
        STATUS_IDS.put((self.port.full_name, self.issue.number), comment.id)
        self._found[:] = [comment]
        return comment

    def say(self, body: str) -> None:
        """Make the status comment read ``body`` (one write at most, none when unchanged)."""
        old = self.find()
        if old is not None and old.body.strip() == body.strip():
            return
        if old is not None:
            try:
                self.port.edit_comment(old.id, body)
                self._remember(Comment(old.id, body, old.author))
                return
            except Gone:  # deleted since it was read: write a new one
                pass
        self._remember(self.port.add_comment(self.issue.number, body))


def set_label(port: RepoPort, issue: Issue, *, label: str, on: bool) -> None:
    """Add or remove ``label`` only when that changes something (an empty name: never)."""
    if not label:
        return
    if on and label not in issue.labels:
        port.add_labels(issue.number, [label])
    elif not on and label in issue.labels:
        port.remove_label(issue.number, label)


def base_readme(
    port: RepoPort, config: Config, *, base: str, sha: str | None
) -> tuple[FileText, str]:
    """The README at the default branch's ``sha``, and the sha; a BotError in the repository's
    language when it is missing or is not UTF-8 text (GitHub serves any bytes)."""
    try:
        readme = port.read_file(config.path, sha) if sha else None
    except UnicodeDecodeError:
        raise BotError(msg("file_not_text", config.language, path=config.path)) from None
    if readme is None or sha is None:
        raise BotError(msg("file_missing", config.language, path=config.path, branch=base))
    return readme, sha

"""Routing primitives: a ``Task`` of primitives, and the ``Router`` each flow module fills.

Rules:
- A route turns a payload into a ``Task`` of primitives (repo, numbers, installation id) or
  None; the worker re-reads everything else from GitHub, so a task never carries a payload.
- Events sent by a bot (``sender.type == "Bot"``), the bot itself included, make no task.
  Every task carries its sender's login and whether it is about something paperbot wrote
  (its marker); the job drops such an event from the bot's own login: a repository webhook
  under token auth reports the bot's own acts from a ``User``, and that user may be a
  person whose other acts count.
- Each flow module registers its own routes beside its function; ``app.service.routes``
  merges them into the one table the webhook uses. One (event, action) has one handler,
  and any number of handlers guarded by a condition (``when``: e.g. a command in a
  comment), tried first, in order; the first whose condition holds decides.
- A delivery that makes no task says why (``Skip``): a bot sender, no route, a handler's
  own rule, or a payload missing what GitHub always sends; routing never raises.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeGuard

Payload = dict[str, Any]
_MARK = "<!-- paperbot:"
Args = dict[str, str | int | bool | None]


@dataclass(frozen=True)
class Task:
    """A queued unit of work: a flow name and its primitive arguments."""

    name: str
    args: Args = field(default_factory=dict)


@dataclass(frozen=True)
class Skip:
    """A delivery that needs no work, and the rule that says so."""

    why: str


Handler = Callable[[Payload], Task | Skip]
Condition = Callable[[Payload], bool]
Key = tuple[str, str | None]


class Router:
    """Maps (event, action) to the one handler that makes its task."""

    def __init__(self, *others: Router) -> None:
        self.handlers: dict[Key, Handler] = {}
        self.guarded: dict[Key, list[tuple[Condition, Handler]]] = {}
        for other in others:
            clash = self.handlers.keys() & other.handlers.keys()
            if clash:
                raise ValueError(f"routed twice: {sorted(clash, key=str)}")
            self.handlers.update(other.handlers)
            for key, pairs in other.guarded.items():
                self.guarded.setdefault(key, []).extend(pairs)

    def register(
        self, event: str, *actions: str, when: Condition | None = None
    ) -> Callable[[Handler], Handler]:
        def add(handler: Handler) -> Handler:
            for action in actions or (None,):
                if when is None:
                    self.handlers[(event, action)] = handler
                else:
                    self.guarded.setdefault((event, action), []).append((when, handler))
            return handler

        return add

    def _handler(self, event: str, action: str | None, *, payload: Payload) -> Handler | None:
        for key in ((event, action), (event, None)):
            for when, handler in self.guarded.get(key, []):
                if when(payload):
                    return handler
        return self.handlers.get((event, action)) or self.handlers.get((event, None))

    def route(self, event: str, payload: Payload) -> Task | None:
        decided = self.decide(event, payload)
        return decided if isinstance(decided, Task) else None

    def decide(self, event: str, payload: Payload) -> Task | Skip:
        """The delivery's task, or why it has none."""
        try:
            return self._decide(event, payload)
        except (KeyError, TypeError, AttributeError) as exc:
            missing = f"no {exc.args[0]!r}" if isinstance(exc, KeyError) else "a malformed field"
            return Skip(f"the {event} payload has {missing}, which GitHub always sends")

    def _decide(self, event: str, payload: Payload) -> Task | Skip:
        sender = payload.get("sender") or {}
        if sender.get("type") == "Bot":
            return Skip(f"sender {sender.get('login', '')} is a bot")
        action = payload.get("action")
        handler = self._handler(event, action, payload=payload)
        if handler is None and action is None and event in self.events():
            raise KeyError("action")
        if handler is None:
            return Skip(f"no route for {event}.{action}" if action else f"no route for {event}")
        task = handler(payload)
        if isinstance(task, Task) and not _well_typed(task.args):
            raise TypeError(task.args)
        return task

    def events(self) -> set[str]:
        """Every event name with a route (for bounded metric labels and early answers)."""
        return {event for event, _ in [*self.handlers, *self.guarded]}


def _well_typed(args: Args) -> bool:
    """A task's repository is a name, its issue number an int and its installation (if any)
    a 64-bit id, as GitHub sends them (the store keeps installations as SQLite integers)."""
    number, installation = args.get("number", 0), args.get("installation")
    fits = installation is None or (_is_int(installation) and 0 <= installation < 1 << 63)
    return isinstance(args["repo"], str) and _is_int(number) and fits


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def base_args(payload: Payload) -> Args:
    """The primitives every task carries: repository, installation, default branch, sender,
    and whether the event is about something paperbot wrote (its marker)."""
    return {
        "repo": payload["repository"]["full_name"],
        "installation": (payload.get("installation") or {}).get("id"),
        "base": payload["repository"].get("default_branch") or None,
        "sender": (payload.get("sender") or {}).get("login"),
        "own": marked(payload),
    }


def marked(payload: Payload) -> bool:
    """True when the comment (or, for an issue event, the issue) the event is about begins
    or ends with a paperbot marker, as everything paperbot writes on an issue does."""
    thing = payload.get("comment") or ({} if "pull_request" in payload else payload.get("issue"))
    text = str((thing or {}).get("body") or "").strip()
    return text.startswith(_MARK) or text.splitlines()[-1].startswith(_MARK) if text else False

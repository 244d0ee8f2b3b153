"""The weekly loop on GitHub: one dashboard issue kept current, and the weekly reminder.

Rules:
- The dashboard is the issue authored by the bot's own login whose body starts with
  ``dashboard.MARK``; a copied marker in anyone else's issue is ignored, and the title never
  counts. It is looked up before it is created, so there is never a second one.
- Its body is written only when its text changed, and at most once per ``THROTTLE`` per
  repository: the last write's time is stamped in the body; a refresh inside the window
  marks the repository dirty in the ledger and the next tick writes it.
- A reminder mentions each login at most once per week: the week and each login are
  claimed in the ledger (the queue's storage: shared by every worker, kept across restarts)
  and the bot's earlier reminder comments for the week are read; a failed post releases
  the claims. Members with ``remind: false`` and names without a login are never mentioned.
- A new submission writes nothing here: the dashboard follows pushes, the daily tick and
  the reminder time.
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import suppress
from itertools import count

from app.core import messages
from app.core.batch import BRANCH, keys
from app.core.board import Board, Pending, board, to_remind
from app.core.config import Config
from app.core.dashboard import MARK, reminder, render, title
from app.core.week import due_reminder, local
from app.flows.context import Context, repo_config
from app.flows.routing import Payload, Router, Task, base_args
from app.github.port import GitHubError, Gone, Issue, Pull, RepoPort

THROTTLE = dt.timedelta(minutes=10)
PAGE = 100
_STAMP = "<!-- paperbot:written {at} -->"
_STAMPED = re.compile(r"\n*<!-- paperbot:written (\S+) -->\s*$")
_REMINDED = re.compile(r"<!-- paperbot:reminder (\S+) ([\w,\-]*) -->")
_KNOWN: dict[str, int] = {}  # repository → dashboard issue number, verified on every use

router = Router()


@router.register("schedule")
@router.register("workflow_dispatch")
def scheduled_route(payload: Payload) -> Task:
    """An Actions cron (or a manual run): the periodic tick, as the service's scheduler runs it."""
    return Task("weekly", base_args(payload))


def wanted(config: Config) -> bool:
    """The dashboard issue exists when it is on, or when reminders need a place to go."""
    return config.dashboard or config.reminders is not None


def refresh(ctx: Context) -> str:
    """Bring the dashboard in line with the README and the open submissions."""
    config = repo_config(ctx.port, ctx.base)
    if not wanted(config):
        return "dashboard off"
    return _write(ctx, config, _facts(ctx, config))[1]


def tick(ctx: Context) -> str:
    """The periodic run: refresh daily, when dirty and at the reminder time; remind when due."""
    config = repo_config(ctx.port, ctx.base)
    if not wanted(config):
        return "weekly off"
    now, repo = ctx.now(), ctx.port.full_name
    week = due_reminder(now, config)
    if week is not None and not ctx.ledger.claim(f"weekly:{repo}:reminded:{week}"):
        week = None
    daily = ctx.ledger.claim(f"weekly:{repo}:refreshed:{local(now, config.timezone).date()}")
    dirty = ctx.ledger.take(f"weekly:{repo}:dirty")
    if not (daily or dirty or week):
        return "nothing due"
    facts = _facts(ctx, config)
    issue, outcome = _write(ctx, config, facts)
    if week is None:
        return outcome
    try:
        return f"{outcome}; {_remind(ctx, config, facts, issue, week)}"
    except GitHubError:
        ctx.ledger.take(f"weekly:{repo}:reminded:{week}")
        raise


def _facts(ctx: Context, config: Config) -> Board:
    readme = ctx.port.read_file(config.path, ctx.base)
    if readme is None:
        raise Gone(f"{config.path} not found on {ctx.base}")
    today = local(ctx.now(), config.timezone).date()
    return board(readme.text, config=config, today=today, pending=pending(ctx.port.open_pulls()))


def pending(pulls: list[Pull]) -> list[Pending]:
    """The open submissions, as their PRs (per submission, or the rolling one) recorded them."""
    found = []
    for pull in pulls:
        number = messages.issue_of(pull.head)
        if pull.head == BRANCH:
            recorded = keys(pull.body)
        else:
            key = messages.previous_key(pull.body) if number is not None else None
            recorded = {number: key} if number is not None and key is not None else {}
        for issue, (day, name, _) in recorded.items():
            with suppress(ValueError):
                when = dt.date.fromisoformat(day)
                found.append(Pending(login="", name=name, date=when, url=pull.url, number=issue))
    return found


def _write(ctx: Context, config: Config, facts: Board) -> tuple[Issue, str]:
    text, name = render(facts, config.language), title(config)
    port, now = ctx.port, ctx.now()
    found = find_dashboard(port)
    stamped = f"{text}\n{_STAMP.format(at=now.astimezone(dt.UTC).isoformat())}\n"
    if found is None:
        created = port.create_issue(title=name, body=stamped)
        _KNOWN[port.full_name] = created.number
        return created, "dashboard created"
    if _STAMPED.sub("", found.body or "").strip() == text.strip() and found.title == name:
        return found, "dashboard unchanged"
    last = _stamp(found.body or "")
    if last is not None and now - last < THROTTLE:
        ctx.ledger.claim(f"weekly:{port.full_name}:dirty")
        return found, "dashboard throttled"
    port.edit_issue(found.number, title=name, body=stamped)
    ctx.ledger.take(f"weekly:{port.full_name}:dirty")
    return found, "dashboard updated"


def _stamp(body: str) -> dt.datetime | None:
    m = _STAMPED.search(body)
    try:
        return dt.datetime.fromisoformat(m[1]) if m else None
    except ValueError:
        return None


def find_dashboard(port: RepoPort) -> Issue | None:
    """The bot's own dashboard issue (open or closed), or None."""
    bot = port.bot_login()
    known = _KNOWN.get(port.full_name)
    if known is not None:
        try:
            issue = port.get_issue(known)
        except Gone:
            issue = None
        if issue is not None and _ours(issue, bot):
            return issue
    for page in count(1):
        batch = port.issues_by(bot, page=page)
        hit = next((i for i in batch if _ours(i, bot)), None)
        if hit is not None:
            _KNOWN[port.full_name] = hit.number
            return hit
        if len(batch) < PAGE:
            return None
    return None  # pragma: no cover  (count() never ends)


def _ours(issue: Issue, bot: str) -> bool:
    body = issue.body or ""
    return not issue.is_pull and issue.author == bot and body.startswith(MARK)


def _remind(ctx: Context, config: Config, facts: Board, issue: Issue, week: dt.date) -> str:
    logins, names = to_remind(facts, week)
    done = _mentioned(ctx.port, issue, week)
    keys = {login: f"weekly:{ctx.port.full_name}:remind:{week}:{login}" for login in logins}
    fresh = [x for x in logins if x not in done and ctx.ledger.claim(keys[x])]
    if not fresh:
        return "nobody to remind"
    body = reminder(week, logins=fresh, names=names, lang=config.language)
    try:
        ctx.port.add_comment(issue.number, body)
    except GitHubError:
        for login in fresh:
            ctx.ledger.take(keys[login])
        raise
    return f"reminded {len(fresh)}"


def _mentioned(port: RepoPort, issue: Issue, week: dt.date) -> set[str]:
    """Logins the bot's earlier reminder comments for ``week`` mentioned."""
    if not issue.comments:
        return set()
    bot, done = port.bot_login(), set[str]()
    for comment in port.comments(issue.number):
        m = _REMINDED.search(comment.body) if comment.author == bot else None
        if m and m[1] == week.isoformat():
            done.update(x for x in m[2].split(",") if x)
    return done

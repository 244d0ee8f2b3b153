"""The weekly loop on GitHub: one dashboard issue kept current, and the weekly reminder.

Rules:
- The dashboard is the issue authored by the bot's own login whose body starts with
  ``dashboard.MARK``; a copied marker in anyone else's issue is ignored, and the title never
  counts. Its number is kept in the ledger (shared by every worker, kept across restarts)
  and it is looked up before it is created, so there is never a second one.
- Its body is written only when its text changed, and at most once per ``THROTTLE`` per
  repository: the last write's time is stamped in the body; a refresh inside the window, or
  one that fails, marks the repository dirty in the ledger and the next tick writes it.
- A reminder mentions each login at most once per week: each login is claimed in the
  ledger just before the post, and every claim is released when anything fails; the bot's
  earlier reminder comments for the week are read; the week is recorded as reminded once
  the post is made. A failed tick releases its day, so the next tick does it again.
  Members with ``remind: false`` and names without a login are never mentioned.
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
from app.flows.context import Context, Ledger, repo_config
from app.flows.routing import Payload, Router, Task, base_args
from app.github.port import Gone, Issue, Pull, RepoPort

THROTTLE = dt.timedelta(minutes=10)
PAGE = 100
_STAMP = "<!-- paperbot:written {at} -->"
_STAMPED = re.compile(r"\n*<!-- paperbot:written (\S+) -->\s*$")
_REMINDED = re.compile(r"<!-- paperbot:reminder (\S+) ([\w,\-]*) -->")

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
    try:
        return _write(ctx, config, facts=_facts(ctx, config))[1]
    except BaseException:
        ctx.ledger.claim(f"weekly:{ctx.port.full_name}:dirty")  # the next tick writes it
        raise


def tick(ctx: Context) -> str:
    """The periodic run: refresh daily, when dirty and at the reminder time; remind when due."""
    config = repo_config(ctx.port, ctx.base)
    if not wanted(config):
        return "weekly off"
    now, repo = ctx.now(), ctx.port.full_name
    week = due_reminder(now, config)
    if week is not None and ctx.ledger.read(f"weekly:{repo}:reminded") == _day(week):
        week = None
    day = f"weekly:{repo}:refreshed:{local(now, config.timezone).date()}"
    daily, dirty = ctx.ledger.claim(day), ctx.ledger.take(f"weekly:{repo}:dirty")
    if not (daily or dirty or week):
        return "nothing due"
    try:
        facts = _facts(ctx, config)
        issue, outcome = _write(ctx, config, facts=facts)
        if week is not None:
            outcome = f"{outcome}; {_remind(ctx, config, facts=facts, issue=issue, week=week)}"
    except Gone:
        raise  # no README, or no repository: nothing to write until something changes
    except BaseException:
        if daily:
            ctx.ledger.take(day)
        ctx.ledger.claim(f"weekly:{repo}:dirty")
        raise
    return outcome


def _day(day: dt.date) -> bytes:
    return day.isoformat().encode()


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


def _write(ctx: Context, config: Config, *, facts: Board) -> tuple[Issue, str]:
    text, name = render(facts, config.language), title(config)
    port, now = ctx.port, ctx.now()
    found = find_dashboard(port, ctx.ledger)
    stamped = f"{text}\n{_STAMP.format(at=now.astimezone(dt.UTC).isoformat())}\n"
    if found is None:
        created = port.create_issue(title=name, body=stamped)
        ctx.ledger.write(_board_key(port), str(created.number).encode())
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


def _board_key(port: RepoPort) -> str:
    return f"weekly:{port.full_name}:dashboard"


def find_dashboard(port: RepoPort, ledger: Ledger) -> Issue | None:
    """The bot's own dashboard issue (open or closed), or None; its number is kept in
    ``ledger``, checked on every use."""
    bot, known = port.bot_login(), ledger.read(_board_key(port))
    if known is not None and known.isdigit():
        try:
            issue = port.get_issue(int(known))
        except Gone:
            issue = None
        if issue is not None and _ours(issue, bot):
            ledger.write(_board_key(port), known)  # kept while in use
            return issue
    for page in count(1):
        batch = port.issues_by(bot, page=page)
        hit = next((i for i in batch if _ours(i, bot)), None)
        if hit is not None:
            ledger.write(_board_key(port), str(hit.number).encode())
            return hit
        if len(batch) < PAGE:
            return None
    return None  # pragma: no cover  (count() never ends)


def _ours(issue: Issue, bot: str) -> bool:
    body = issue.body or ""
    return not issue.is_pull and issue.author == bot and body.startswith(MARK)


def _remind(ctx: Context, config: Config, *, facts: Board, issue: Issue, week: dt.date) -> str:
    logins, names = to_remind(facts, week)
    done = _mentioned(ctx.port, issue, week=week)
    keys = {login: f"weekly:{ctx.port.full_name}:remind:{week}:{login}" for login in logins}
    fresh = [x for x in logins if x not in done and ctx.ledger.claim(keys[x])]
    if fresh:
        body = reminder(week, logins=fresh, names=names, lang=config.language)
        try:
            ctx.port.add_comment(issue.number, body)
        except BaseException:
            for login in fresh:
                ctx.ledger.take(keys[login])
            raise
    ctx.ledger.write(f"weekly:{ctx.port.full_name}:reminded", _day(week))
    return f"reminded {len(fresh)}" if fresh else "nobody to remind"


def _mentioned(port: RepoPort, issue: Issue, *, week: dt.date) -> set[str]:
    """Logins the bot's earlier reminder comments for ``week`` mentioned."""
    if not issue.comments:
        return set()
    bot, done = port.bot_login(), set[str]()
    for comment in port.comments(issue.number):
        m = _REMINDED.search(comment.body) if comment.author == bot else None
        if m and m[1] == week.isoformat():
            done.update(x for x in m[2].split(",") if x)
    return done

"""Installed means set up: one onboarding PR per repository whose README has the marker.

Rules:
- ``installation`` (created) and ``installation_repositories`` (added) make one task for the
  repositories they list; each is set up on its own, and one that fails stops no other.
- A push to the default branch that changes a Markdown file, the config or a workflow (what
  can make a repository ready: the README's marker, the config's ``marker``, the Actions
  workflow) sets that repository up too, until one finds it settled (a setup PR or the
  forms exist); that is recorded in the ledger, so its later pushes cost nothing.
- A repository gets the PR only when its README has the marker line and neither issue form
  exists on its default branch; otherwise nothing is written, and the outcome says why.
- There is at most one setup PR per repository, ever: any PR on ``paperbot/setup`` (open,
  merged, or closed unmerged) means nothing more is done, so a closed one is never reopened.
- The branch follows the one ownership rule of every bot branch (``branch.claim``): it is
  moved only off the bot's own last commit or a head that adds nothing to the base;
  otherwise nothing is written and the outcome says so.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from app.core.config import load_config
from app.core.errors import BotError
from app.core.fields import FORMS
from app.core.i18n import Lang
from app.core.onboarding import (
    CONFIG_PATH,
    FORMS_DIR,
    ConfigPlan,
    Found,
    config_text,
    detect,
    setup_files,
    with_language,
)
from app.core.onboarding_text import BRANCH, commit_message, pr_body, pr_title
from app.flows.branch import NotOurs, claim, commit
from app.flows.context import Context, config_file, repo_config
from app.flows.routing import Payload, Router, Skip, Task
from app.github.port import GitHubError, Pull, RepoPort, Unprocessable

log = logging.getLogger("paperbot.onboarding")
router = Router()


class _Stop(Exception):
    """This repository gets no setup PR; the message says why (``settled``: nor ever will)."""

    def __init__(self, why: str, *, settled: bool = False) -> None:
        super().__init__(why)
        self.settled = settled


def _task(payload: Payload, listed: str) -> Task | Skip:
    names = [r["full_name"] for r in payload.get(listed) or []]
    if not names:
        return Skip(f"the {listed} list is empty")
    return Task(
        "onboard",
        {
            "repo": names[0],
            "installation": payload["installation"]["id"],
            "repos": " ".join(names),
            "sender": (payload.get("sender") or {}).get("login"),
        },
    )


@router.register("installation", "created")
def installed(payload: Payload) -> Task | Skip:
    return _task(payload, "repositories")


@router.register("installation_repositories", "added")
def added(payload: Payload) -> Task | Skip:
    return _task(payload, "repositories_added")


def onboard(ctx: Context, repos: str) -> str:
    """Set up each of ``repos`` (space-separated names); one outcome per repository. A GitHub
    error is raised after the others are done, so the job retries (they write nothing then)."""
    outcomes, failed = [], list[GitHubError]()
    for name in repos.split():
        outcome, _ = _attempt(ctx, name, failed=failed)
        outcomes.append(f"{name}: {outcome}")
    if failed:
        raise failed[0]
    return "onboarding: " + "; ".join(outcomes)


def pushed(ctx: Context) -> str:
    """A push that may have readied the repository (its README's marker, its config): set it
    up, unless an earlier push found it settled (a setup PR, or the forms, already there)."""
    key = f"onboarded:{ctx.port.full_name}"
    if ctx.ledger.read(key) is not None:
        return "onboarding: done before"
    failed = list[GitHubError]()
    outcome, settled = _attempt(ctx, ctx.port.full_name, failed=failed)
    if failed:
        raise failed[0]
    if settled:
        ctx.ledger.write(key, b"1")
    return f"onboarding: {outcome}"


def _attempt(ctx: Context, name: str, *, failed: list[GitHubError]) -> tuple[str, bool]:
    """One repository's outcome, logged, and whether it is settled; a GitHub error is added
    to ``failed``."""
    settled = False
    try:
        outcome, settled = setup_repo(_on(ctx, name)), True
    except _Stop as why:
        outcome, settled = str(why), why.settled
    except BotError as exc:  # e.g. the repository's own paperbot.yml is invalid
        outcome = "not set up: " + " ".join(exc.message.split())  # one log line
    except GitHubError as exc:
        outcome = f"failed: {type(exc).__name__}: {exc}"
        failed.append(exc)
    log.info("onboarding", extra={"repository": name, "outcome": outcome})
    return outcome, settled


def _on(ctx: Context, name: str) -> Context:
    """The flow's context for repository ``name`` (another one of the same installation)."""
    if name == ctx.port.full_name:
        return ctx
    if ctx.others is None:
        raise _Stop(f"not reached: this run acts on {ctx.port.full_name} only")
    return replace(ctx, port=ctx.others(name))


def setup_repo(ctx: Context) -> str:
    """Open the repository's setup PR when it needs one; what was done (_Stop: why not)."""
    port = ctx.port
    _no_pull_yet(port)
    about = port.repository()
    base_sha = port.branch_sha(about.default_branch)
    if base_sha is None:
        raise _Stop(f"empty repository (no {about.default_branch} branch)")
    found, plan, config = _config(port, base_sha, found=_found(port, base_sha))
    files = {**setup_files(found), CONFIG_PATH: config}
    written = {path: text for path, text in files.items() if text is not None}
    _write_branch(ctx, base_sha, files=written, lang=found.language)
    body = pr_body(found, repo_url=about.html_url, config=plan)
    title = pr_title(found.language)
    try:
        pull = port.open_pull(branch=BRANCH, base=about.default_branch, title=title, body=body)
    except Unprocessable:  # opened by an earlier try whose answer was lost
        if (made := _first_pull(port)) is None:
            raise
        pull = made
    return f"opened setup PR #{pull.number}"


def _first_pull(port: RepoPort) -> Pull | None:
    return next(iter(port.pulls_for(BRANCH)), None)


def _no_pull_yet(port: RepoPort) -> None:
    """_Stop when the branch has had any pull request: one setup PR per repository, ever."""
    pull = _first_pull(port)
    if pull is None:
        return
    if pull.author != port.bot_login():
        raise _Stop(f"{BRANCH} has a pull request by {pull.author}, not paperbot's", settled=True)
    if pull.merged:
        raise _Stop(f"setup PR #{pull.number} was merged", settled=True)
    if pull.state != "open":
        why = f"setup PR #{pull.number} was closed unmerged; it is never reopened"
        raise _Stop(why, settled=True)
    raise _Stop(f"setup PR #{pull.number} is open", settled=True)


def _found(port: RepoPort, sha: str) -> Found:
    """What the README at ``sha`` tells, or _Stop: forms already there, no README, no marker."""
    forms = [f"{FORMS_DIR}/{form.filename}" for form in FORMS.values()]
    present = [path for path in forms if port.read_file(path, sha) is not None]
    if present:
        raise _Stop(f"already has the forms ({', '.join(present)})", settled=True)
    config = repo_config(port, sha)
    readme = port.read_file(config.path, sha)
    if readme is None:
        raise _Stop(f"no {config.path}")
    try:
        return detect(readme.text, config=config)
    except BotError as exc:
        raise _Stop(f"no marker line: {exc.message}") from None


def _config(port: RepoPort, sha: str, *, found: Found) -> tuple[Found, ConfigPlan, str | None]:
    """What the setup does with the config in force (core.onboarding's rule), the text it
    writes, and what was found in the language the bot will then speak."""
    file, name = config_file(port, sha)
    if file is None:
        return found, "new", config_text(found)
    added = with_language(file.text, found.language) if name == CONFIG_PATH else None
    if added is not None:
        return found, "language", added
    spoken = replace(found, language=load_config(file.text).language)
    return spoken, "kept" if name == CONFIG_PATH else "owner", None


def _write_branch(ctx: Context, base_sha: str, *, files: dict[str, str], lang: Lang) -> None:
    """The branch as the base plus one commit per file, under the one ownership rule."""
    try:
        claim(ctx, BRANCH, base_sha=base_sha, head=ctx.port.branch_sha(BRANCH), recorded=None)
    except NotOurs:
        raise _Stop(f"{BRANCH} holds commits paperbot did not write; it is left alone") from None
    parent = base_sha
    for path, text in files.items():
        message = commit_message(path, lang)
        over = ctx.port.read_file(path, base_sha)  # a config kept, its language line added
        sha = over.sha if over else ""
        parent = commit(ctx, BRANCH, parent=parent, path=path, text=text, sha=sha, message=message)

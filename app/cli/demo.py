"""``paperbot demo``: the whole loop on this machine, told as a member would see it on GitHub.

It starts a fake GitHub (real HTTP, real git objects) seeded with a README, the issue forms and
the config, starts the bot on a free port exactly as ``paperbot serve`` runs, then files a valid
submission and an invalid one, each followed by GitHub's signed webhook, and prints the story:
the issue, the bot's reply, the pull request (title, body, diff), in the repository's language.
Paper lookups go to the bundled stand-ins of arXiv, Crossref, OpenReview and DBLP
(``app.lookup.fake``), so they work without the internet.

Rules:
- What is printed is what people see on GitHub: hidden markers (``<!-- … -->``) are not shown
  and the stand-in's local address reads as github.com (it is gone when the demo ends).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from importlib.util import find_spec
from pathlib import Path

import httpx
import uvicorn

from app.core.config import Config
from app.core.errors import BotError
from app.core.fields import REPORT
from app.core.forms import render_forms
from app.core.i18n import Lang, pick
from app.core.readme import newest
from app.github.fake.pulls import pull_json
from app.github.fake.server import FakeGitHub
from app.github.fake.start import serve
from app.lookup.fake.server import FakeMetadata
from app.lookup.fake.server import serve as serve_metadata
from app.lookup.resolve import HttpLookup, pacings
from app.service import runtime
from app.service.settings import Settings
from app.service.signature import sign

REPO = "demo/reading-group"
MEMBERS = ("zhangyu", "lisi")  # who files the valid and the invalid sample
SAMPLE_DATE = dt.date(2025, 7, 13)  # the valid sample's date when the README has no entry
_HIDDEN = re.compile(r"[ \t]*<!--.*?-->[ \t]*\n?", re.S)
_SAMPLES = {  # (file, title) of the valid and the invalid submission
    "zh": (
        ("paper-report.md", "Attention Is All You Need"),
        ("invalid-report.md", "Deep Residual Learning for Image Recognition"),
    ),
    "en": (
        ("paper-report.en.md", "Attention Is All You Need"),
        ("invalid-report.en.md", "Deep Residual Learning for Image Recognition"),
    ),
}
_SAY: dict[str, tuple[str, str]] = {
    "intro": (
        "paperbot 演示：本机上的 GitHub 替身（真实的 HTTP 和 git），paperbot 按 `paperbot serve` "
        "的方式运行。仓库 {repo}，成员 @{members[0]} 和 @{members[1]}。",
        "paperbot demo: a GitHub stand-in on this machine (real HTTP, real git), and paperbot "
        "running as `paperbot serve` does. Repository {repo}, members @{members[0]} and "
        "@{members[1]}.",
    ),
    "filed": (
        "=== @{member} 用表单提交了 issue #{n}：{title}",
        "=== @{member} files issue #{n}: {title}",
    ),
    "webhook": (
        "（GitHub 发出已签名的 webhook issues.opened；paperbot 答复 {status}，任务入队）",
        "(GitHub sends the signed webhook issues.opened; paperbot answers {status} and queues it)",
    ),
    "reply": ("=== paperbot 在 issue #{n} 的回复", "=== paperbot's reply on issue #{n}"),
    "pull": ("=== pull request #{n}：{title}", "=== pull request #{n}: {title}"),
    "diff": (
        "--- README.md 的改动（分支 {branch} 相对 main）",
        "--- README.md on branch {branch}, against main",
    ),
    "no_pull": (
        "演示到此为止：这份 README 收不下演示的记录（原因见上方 paperbot 的回复），"
        "所以没有开 PR。换一份带插入标记的 README 再试，或不加 --readme 运行。",
        "The demo stops here: this README cannot take the demo's entry (paperbot's reply above "
        "says why), so no pull request was opened. Try a README with the insertion marker, or "
        "run without --readme.",
    ),
    "done": (
        "完成：issue #{good} 成为 pull request #{pull}，等待维护者审阅合并；issue #{bad} "
        "收到逐字段的修改意见，没有开 PR，成员编辑后会重新检查。正式部署：运行 paperbot setup "
        "--webhook-url https://<你的域名>/webhook，在打开的页面上注册 GitHub App（它会写好 "
        ".env），再运行 make run；步骤见 README 中的「Running the bot」一节。",
        "Done: issue #{good} became pull request #{pull}, waiting for a maintainer to merge it; "
        "issue #{bad} got a reply naming each field to fix and no pull request, and is checked "
        "again when edited. To run it for real: paperbot setup --webhook-url "
        "https://<your host>/webhook registers the GitHub App from a page (it writes .env), "
        "then make run; the steps are in the README (Running the bot).",
    ),
}


def say(key: str, lang: Lang, **values: object) -> str:
    return pick(_SAY[key], lang, **values)


def data(name: str) -> str:
    return resources.files("app").joinpath("data", name).read_text(encoding="utf-8")


class Story:
    """The demo's fake GitHub, and how what it holds is shown."""

    def __init__(self, gh: FakeGitHub, lang: Lang, *, day: dt.date = SAMPLE_DATE) -> None:
        self.gh, self.lang, self.day = gh, lang, day
        self.repo = gh.repos[REPO]

    def shown(self, text: str) -> str:
        """Text as GitHub shows it: no hidden markers, links on github.com."""
        return _HIDDEN.sub("", text).replace(self.gh.base_url, "https://github.com").strip()

    def file(self, sample: str, title: str, *, member: str, day: dt.date) -> int:
        body = data(sample).replace(SAMPLE_DATE.isoformat(), day.isoformat())
        full = (REPORT.title_prefix if self.lang == "zh" else REPORT.title_prefix_en) + title
        number = int(self.gh.create_issue(REPO, title=full, body=body, login=member)["number"])
        self.repo.issues[number]["labels"] = [REPORT.label]  # as a form files it
        print(f"\n{say('filed', self.lang, member=member, n=number, title=full)}\n{body.strip()}")
        return number

    def reply(self, number: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [c for c in self.repo.comments.values() if c["issue"] == number]
            if found:
                print(f"\n{say('reply', self.lang, n=number)}\n{self.shown(found[0]['body'])}")
                return
            time.sleep(0.1)
        raise TimeoutError("the bot did not answer in time")

    def pulls(self) -> list[int]:
        """Print every pull request, its body and its README diff; their numbers."""
        for pull in self.repo.pulls.values():
            head = pull_json(self.gh, self.repo, pull=pull)["head"]["sha"]
            print(f"\n{say('pull', self.lang, n=pull['number'], title=pull['title'])}")
            print(self.shown(pull["body"]))
            diff = self.repo.git._git("diff", "main", head, "--", "README.md")
            print(f"\n{say('diff', self.lang, branch=pull['head'])}\n{diff.rstrip()}")
        return list(self.repo.pulls)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def demo_date(readme: str, *, today: dt.date) -> dt.date:
    """The sample's own date, or the day after the README's newest entry when that is as late."""
    try:
        top = newest(readme, marker=Config().marker, until=today)
    except BotError:  # no marker: the bot's reply says so
        return SAMPLE_DATE
    if top is None or top < SAMPLE_DATE:
        return SAMPLE_DATE
    return min(top + dt.timedelta(days=1), today)


def _seed(gh: FakeGitHub, readme: str, *, lang: Lang) -> None:
    files = {"README.md": readme, ".github/paperbot.yml": f"language: {lang}\n"}
    files.update({f".github/ISSUE_TEMPLATE/{k}": v for k, v in render_forms(lang).items()})
    gh.create_repo(REPO, files).permissions.update(dict.fromkeys(MEMBERS, "triage"))
    gh.tokens["demo-token"] = float("inf")


def _deliver(port: int, secret: str, *, number: int, gh: FakeGitHub) -> int:
    issue = gh.issue_json(gh.repos[REPO], gh.repos[REPO].issues[number])
    body = json.dumps(
        {
            "action": "opened",
            "issue": issue,
            "sender": issue["user"],
            "repository": {"full_name": REPO, "default_branch": "main"},
        }
    ).encode()
    headers = {
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": secrets.token_hex(8),
        "X-Hub-Signature-256": sign(body, secret.encode()),
        "Content-Type": "application/json",
    }
    answer = httpx.post(f"http://127.0.0.1:{port}/webhook", content=body, headers=headers)
    return answer.status_code


@contextmanager
def _bot(gh: FakeGitHub, data_dir: Path, *, services: FakeMetadata) -> Iterator[tuple[int, str]]:
    """paperbot as `serve` runs it (endpoint + workers) on a free port, its lookups asking
    the stand-in services (unpaced: they are local); yields port, secret."""
    secret, port = secrets.token_hex(16), _free_port()
    settings = Settings(
        GITHUB_WEBHOOK_SECRET=secret,
        GITHUB_TOKEN="demo-token",
        GITHUB_API_URL=gh.base_url,
        PAPERBOT_DATA_DIR=data_dir,
        PAPERBOT_WRITE_INTERVAL=0,
    )
    lookup = HttpLookup(services.settings(), pacing=pacings({}))
    bot = runtime.build(settings, lookup=lookup)
    consumer = bot.huey.create_consumer(workers=2, worker_type="thread")
    consumer.start()
    config = uvicorn.Config(
        bot.app(), host="127.0.0.1", port=port, log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        yield port, secret
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        consumer.stop(graceful=True)
        bot.worker.clients.close()
        lookup.close()


def _submit(story: Story, sample: tuple[str, str], *, member: str, port: int, secret: str) -> int:
    """File one sample issue, send GitHub's webhook for it and show the bot's reply."""
    number = story.file(*sample, member=member, day=story.day)
    status = _deliver(port, secret, number=number, gh=story.gh)
    print(f"\n{say('webhook', story.lang, status=status)}")
    story.reply(number)
    return number


def _tell(story: Story, port: int, *, secret: str) -> int:
    """The valid submission, its reply and pull request; the invalid one and its reply."""
    lang, (valid, invalid) = story.lang, _SAMPLES[story.lang]
    print(say("intro", lang, repo=REPO, members=MEMBERS))
    good = _submit(story, valid, member=MEMBERS[0], port=port, secret=secret)
    pulls = story.pulls()
    if not pulls:
        print(f"\n{say('no_pull', lang)}")
        return 1
    bad = _submit(story, invalid, member=MEMBERS[1], port=port, secret=secret)
    print(f"\n{say('done', lang, good=good, bad=bad, pull=pulls[0])}")
    return 0


def run(readme: str | None = None, lang: Lang = "zh") -> int:
    """Run the demo; 0 when both submissions got their answer, 1 when no PR could be opened."""
    logging.getLogger().setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        # `make run` installs no dev tools: no jsonschema, so no request-body checks
        gh = FakeGitHub(Path(tmp) / "github", schemas=find_spec("jsonschema") is not None)
        fake = serve(gh)
        text = readme or data("seed_README.md")
        _seed(gh, text, lang=lang)
        try:
            with (
                serve_metadata() as services,
                _bot(gh, Path(tmp) / "data", services=services) as bot,
            ):
                port, secret = bot
                story = Story(gh, lang, day=demo_date(text, today=dt.date.today()))
                return _tell(story, port, secret=secret)
        finally:
            fake.shutdown()
            fake.server_close()

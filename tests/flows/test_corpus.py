"""Every corpus case (tests/corpus) through the bot: an issue on the fake GitHub, ``process_issue``.

The same cases and expectations as the command line (tests/cli/test_corpus.py), seen as the
member sees them: the status comment, the pull request, and the bytes of the bot's commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from app.core import messages
from app.flows.context import Context, clear_caches
from app.flows.submission import process_issue
from app.github.fake.server import FakeGitHub, Repo
from app.github.fake.start import serve
from app.github.pygithub import Clients
from tests.cli.test_corpus import CASES, fields_named, inserted
from tests.corpus import Case
from tests.fakes import MEMBER, settings_for

_FRAME = {"entry", "template", "shape"}


@dataclass
class Seen:
    """What the bot did with one case, as GitHub holds it afterwards."""

    case: Case
    outcome: str
    repo: Repo
    before: bytes

    def comment(self) -> str:
        found = [c["body"] for c in self.repo.comments.values() if c["issue"] == 1]
        assert len(found) <= 1, found
        return found[0] if found else ""

    def shown(self) -> str:
        """The status comment as read (inert encodings undone), and its ``- **label**: message``
        lines once more as the command line prints them, ``label: message``."""
        text = self.comment().replace("&#64;", "@").replace("&#35;", "#").replace("\u2060", "")
        return f"{text}\n{_as_lines(text)}"

    def committed(self) -> bytes | None:
        got = self.repo.git.read(messages.branch(1), "README.md")
        return got[0] if got else None


@pytest.fixture(scope="module")
def github(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FakeGitHub, Clients]]:
    gh = FakeGitHub(tmp_path_factory.mktemp("gh"))
    server = serve(gh)
    clients = Clients(settings_for(gh))
    try:
        yield gh, clients
    finally:
        clients.close()
        server.shutdown()
        server.server_close()


@pytest.fixture
def run_case(github: tuple[FakeGitHub, Clients]) -> Callable[[Case], Seen]:
    gh, clients = github

    def run(case: Case) -> Seen:
        clear_caches()
        name = f"corpus/{case.name}"
        config = f"language: {case.config.language}\n"
        repo = gh.create_repo(name, {"README.md": case.readme, ".github/paperbot.yml": config})
        repo.permissions[MEMBER] = "triage"
        gh.create_issue(name, title="周报", body=case.body, login=MEMBER)
        ctx = Context(port=clients.repo(name, None), base="main", clock=lambda zone: case.today)
        return Seen(case, process_issue(ctx, 1), repo, case.readme.encode("utf-8"))

    return run


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_the_bot_answers_each_member_input(case: Case, run_case: Callable[[Case], Seen]) -> None:
    seen = run_case(case)
    CHECKS[case.expect.outcome](seen)
    main = seen.repo.git.read("main", "README.md")
    assert main is not None and main[0] == seen.before


def _entry(seen: Seen) -> None:
    assert seen.outcome == "submitted", seen.comment()
    committed = seen.committed()
    assert committed is not None
    block = inserted(seen.before, committed).decode("utf-8").replace("\r\n", "\n").split("\n")
    assert seen.case.expect.header in block and all(
        line in block for line in seen.case.expect.lines
    ), block
    (pull,) = seen.repo.pulls.values()
    assert pull["head"] == messages.branch(1)
    for note in seen.case.expect.notes:
        label, said = note.split(": ", 1)
        if label not in _READ_BY:
            assert note in seen.shown(), seen.shown()
            continue
        # who already read it: its own line in the status comment and in the PR body
        assert _READ_BY[label].format(said) in seen.shown(), seen.shown()
        assert _READ_BY[label].format(said) in pull["body"], pull["body"]
    if not [n for n in seen.case.expect.notes if n.split(": ")[0] not in _READ_BY]:
        assert "请留意以下几点" not in seen.shown() and "Please note the" not in seen.shown()


_READ_BY = {"已有人精读": "提示：这篇论文{}。", "Already read": "Note: this paper was {}."}


def _refused(seen: Seen) -> None:
    assert seen.outcome == "invalid" and not seen.repo.pulls, seen.outcome
    shown = seen.shown()
    assert all(text in shown for text in seen.case.expect.says), shown
    named = fields_named(_as_lines(seen.comment()), seen.case.config.language)
    assert named - _FRAME == set(seen.case.expect.fields), shown
    assert seen.committed() is None


def _attempt(seen: Seen) -> None:
    _refused(seen)
    for form in ("paper-report.yml", "skip-week.yml"):
        assert f"/{seen.case.name}/issues/new?template={form})" in seen.comment()


def _ignored(seen: Seen) -> None:
    assert seen.outcome.startswith("ignored: not a submission"), seen.outcome
    assert seen.comment() == "" and not seen.repo.pulls and not seen.repo.issues[1]["labels"]


def _duplicate(seen: Seen) -> None:
    assert seen.outcome.startswith("duplicate") and not seen.repo.pulls, seen.outcome
    shown, line = seen.shown(), seen.case.expect.line
    assert all(text in shown for text in seen.case.expect.says), shown
    assert f"第 {line} 行" in shown or f"at line {line} " in shown, shown
    assert seen.committed() is None


def _as_lines(comment: str) -> str:
    """A status comment's ``- **label**: message`` lines as the CLI's ``label: message``."""
    lines = [line for line in comment.splitlines() if line.startswith("- **")]
    return "\n".join(line[4:].replace("**: ", ": ", 1) for line in lines)


CHECKS: dict[str, Callable[[Seen], None]] = {
    "entry": _entry,
    "invalid": _refused,
    "attempt": _attempt,
    "ignored": _ignored,
    "duplicate": _duplicate,
}

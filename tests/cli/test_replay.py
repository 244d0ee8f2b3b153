"""A delivery of any shape, run offline: one outcome line, never a traceback."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli.replay import offline_port, run_delivery
from app.github.dryrun import DryRun
from app.github.port import GitHubError
from tests.conftest import FIXTURES

README = (FIXTURES / "seed_README.md").read_text(encoding="utf-8")
ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["login", "id", "name"]), st.integers(), max_size=2),
)


def _run(event: str, payload: dict[str, Any]) -> str:
    def port_for(repo: str, installation: int | None) -> DryRun:
        return offline_port(payload, readme=README, readme_path="README.md", config_text=None)

    try:
        return run_delivery(event, payload, port_for=port_for)
    except GitHubError as exc:  # told as one line by the command
        return str(exc)


@settings(max_examples=150, deadline=None)
@given(
    event=st.sampled_from(["issues", "issue_comment", "push", "pull_request"]),
    action=st.one_of(st.sampled_from(["opened", "edited", "created", "closed"]), ODD),
    number=ODD,
    body=ODD,
    title=ODD,
    user=ODD,
    sender=ODD,
    ref=ODD,
)
def test_any_odd_field_types_give_an_outcome_not_a_crash(**odd: Any) -> None:
    issue = {
        "number": odd["number"],
        "body": odd["body"],
        "title": odd["title"],
        "user": odd["user"],
    }
    payload = {
        "action": odd["action"],
        "issue": issue,
        "comment": {"body": odd["body"], "user": odd["user"]},
        "ref": odd["ref"],
        "sender": odd["sender"],
        "repository": {"full_name": "a/b", "default_branch": "main"},
    }
    assert isinstance(_run(odd["event"], payload), str)


@settings(max_examples=60, deadline=None)
@given(body=ODD.filter(lambda v: not isinstance(v, str)), title=ODD)
def test_an_issue_body_that_is_not_text_reads_as_no_submission(body: Any, title: Any) -> None:
    payload = {
        "action": "opened",
        "issue": {"number": 3, "body": body, "title": title, "user": {"login": "u"}},
        "sender": {"login": "u"},
        "repository": {"full_name": "a/b", "default_branch": "main"},
    }
    assert _run("issues", payload).startswith("ignored: not a submission")

"""Hypothesis runs of the fuzz invariants (a short pass in every test run), plus every crash
the fuzzers ever found, replayed from tests/fuzz/regressions/."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.config import DEFAULT_MARKER
from tests.fuzz import checks

HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<!-- x -->",
        "# h",
        "```",
        "~~~",
        "> q",
        "[x]: javascript:1",
        "[a](javascript:alert(1))",
        "[a](data:text/html,x)",
        "<img src=x onerror=alert(1)>",
        "[2025-07-06]-[a]-本周未精读",
        DEFAULT_MARKER,
        "\u202e",
        "\u200b",
        "\U000e0041",
        "\r\n",
        "===",
        "---",
        "    code",
        "@octocat",
        "#1",
        "\\",
        "]",
        "[",
        "(",
        ")",
        "&#106;avascript:",
        # full-width input, images and labels the core reads (issue #8)
        "【2025－07－13】",
        "【",
        "】",
        "（",
        "）",
        "—",
        "\ufeff",
        "２０２５",
        "论文简述：",
        "本周未精读",
        "### Title\n\n",
        "\nhttps://x.org/a.png\n",
        "<img src=https://x.org/a.png>",
        "![i](https://github.com/o/r/blob/main/a.png)",
        "[日期]-[first]",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=40), HOSTILE), max_size=8).map("".join)
LINK = st.one_of(
    st.just(""),
    st.just("https://arxiv.org/abs/1706.03762"),
    TEXT,
    TEXT.map(lambda t: "https://x.org/" + t),
)
FIELDS = st.fixed_dictionaries(
    {
        "name": st.one_of(st.just("张宇"), TEXT),
        "title": TEXT,
        "link": LINK,
        "venue": TEXT,
        "summary": TEXT,
    }
)
EXAMPLES = int(os.environ.get("PAPERBOT_FUZZ_EXAMPLES", "300"))  # make fuzz: 25,000 each
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(TEXT)
def test_any_issue_body(text: str) -> None:
    checks.check_issue_body(text)


@FAST
@given(TEXT)
def test_any_header_line(text: str) -> None:
    checks.check_header_line(text)


@FAST
@given(FIELDS)
def test_any_submission_is_refused_or_inert(fields: dict[str, str]) -> None:
    checks.check_submission(fields)


def test_the_generator_reaches_the_renderer_often() -> None:
    rendered = []

    @settings(max_examples=200, deadline=None, database=None, derandomize=True)
    @given(FIELDS)
    def run(fields: dict[str, str]) -> None:
        rendered.append(checks.check_submission(fields) is not None)

    run()
    assert sum(rendered) >= 20, sum(rendered)  # a tenth of the inputs get past the checks


@FAST
@given(
    st.lists(
        st.one_of(TEXT, st.just(f"> {DEFAULT_MARKER}"), st.just("> > [2025-06-29]-[a]-[T]")),
        max_size=10,
    ).map("\n".join),
    FIELDS,
)
def test_any_readme(readme: str, fields: dict[str, str]) -> None:
    checks.check_insert(readme, fields)


REGRESSIONS = sorted((Path(__file__).parent / "regressions").glob("*.json"))


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.stem)
def test_regression(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    getattr(checks, case["check"])(*case["args"])

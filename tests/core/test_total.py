"""No string makes the core raise anything but a BotError (property tests, hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.config import Config
from app.core.errors import BotError
from app.core.links import recognise
from app.core.smart import paper_link, prepare
from app.core.submission import build

TODAY = dt.date(2025, 7, 14)
PIECES = st.sampled_from(
    [
        "http://",
        "https://",
        "[",
        "]",
        "(",
        ")",
        "::1",
        "[::1",
        "]:",
        ":99999",
        ":80a",
        "%0A",
        "%",
        "@",
        "arxiv.org/abs/",
        "2405.01234",
        "v3",
        "hep-th/9901001",
        "arXiv:",
        "doi:",
        "10.1109/x",
        "openreview.net/forum?id=",
        "?",
        "#",
        "/",
        ".",
        " ",
        "\r\n",
        "\n",
        "【",
        "】",
        "（",
        "）",
        "本周没读",
        "无",
        "skipped",
        "论文简述：",
        "### 论文简述",
        "```",
        "[2025-07-13]",
        "-",
        "李明",
        "\ufeff",
        "\x00",
        "\u202e",
        "<img src=x>",
        "![a](",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=12).map("".join)
FIELDS = ("日期", "姓名", "论文标题", "论文链接", "来源", "论文框架图", "论文简述", "未精读原因")


def _build(body: str) -> None:
    try:
        build(body, config=Config(), today=TODAY)
    except BotError:
        pass


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_plain_body(body: str) -> None:
    _build(body)
    paper_link(body)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(FIELDS), TEXT), min_size=1, max_size=8))
def test_any_form_answers(sections: list[tuple[str, str]]) -> None:
    body = "\n\n".join(f"### {label}\n\n{answer}" for label, answer in sections)
    _build(body)
    paper_link(body)


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_any_link(link: str) -> None:
    recognise(link)
    prepare({"link": link})
    _build(
        f"### 日期\n\n2025-07-13\n\n### 姓名\n\n李明\n\n### 论文链接\n\n{link}\n\n### 论文简述\n\nS"
    )

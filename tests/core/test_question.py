"""A question is told from a statement, line by line."""

from __future__ import annotations

import pytest

from app.core.question import is_question


@pytest.mark.parametrize(
    "line",
    [
        "问一下【7/20】那次分享要不要做 PPT？",
        "论文简述大概写多少字合适？",
        "本周未精读的话也要提交 issue 吗",
        "请问 [2025-07-13] 这周谁主讲",
        "这周的表单在哪里填呢～",
        "Is the reading group on Friday?",
        "Question: where do I put the summary",
        "How long should the summary be? 🙏",
        "要写论文简述吗？）",
    ],
)
def test_questions(line: str) -> None:
    assert is_question(line)


@pytest.mark.parametrize(
    "line",
    [
        "[2025-07-13]-[李明]-本周没读",
        "陈银 本周未精读，在赶 CVPR 的 ddl",
        "论文简述：本文提出了一个新框架。",
        "2025-07-13 Alex: no paper this week (travel)",
        "[2025-07-13]-[Sam]-[What Matters in Transformers?](https://arxiv.org/abs/2406.15786)",
        "",
    ],
)
def test_statements(line: str) -> None:
    assert not is_question(line)

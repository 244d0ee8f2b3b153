"""Members' own words for "did not read": as a whole answer, with a reason, in a sentence."""

from __future__ import annotations

import pytest

from app.core.skip_words import is_skip, reason, sentence


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("本周未精读", ""),
        ("本周没读", ""),
        ("这周没看论文", ""),
        ("没有精读", ""),
        ("无", ""),
        ("暂无", ""),
        ("[本周无精读]", ""),
        ("没来得及读论文（生病）", "生病"),
        ("出差，本周未精读", "出差"),
        ("准备答辩 这周没读", "准备答辩"),
        ("no paper this week", ""),
        ("No paper this week.", ""),
        ("skipped (travel)", "travel"),
        ("Skipped - conference travel", "conference travel"),
        ("Did not read a paper this week: moving house", "moving house"),
        ("didn't read this week", ""),
        ("travel, no paper this week", "travel"),
        ("这周请假", ""),
        ("跳过（出差）", "出差"),
    ],
)
def test_a_skip_in_own_words(text: str, why: str) -> None:
    assert is_skip(text)
    assert reason(text) == why


@pytest.mark.parametrize(
    "text",
    [
        "Skip-Thought Vectors",  # a title
        "No Paper Left Behind",  # a title
        "没看懂这篇论文的第三节",  # did not understand, not did not read
        "读了 DeepSeek 的报告",
        "本周未精读的话需要提交吗？",  # a question
        "准备考试",
        "无监督学习综述",
        "",
    ],
)
def test_not_a_skip(text: str) -> None:
    assert not is_skip(text)


@pytest.mark.parametrize(
    ("line", "got"),
    [
        ("2025-07-13 李明 本周没读，出差", ("2025-07-13", "李明", "出差")),
        ("[2025-07-13] Alex: no paper this week (travel)", ("2025-07-13", "Alex", "travel")),
        ("【2025-07-13】【李明】这周没看论文，出差", ("2025-07-13", "李明", "出差")),
        ("李明 2025-07-13 没有精读", ("2025-07-13", "李明", "")),
        ("> 2025/7/13 Sam Li - skipped (travel)", ("2025/7/13", "Sam Li", "travel")),
        ("[2025-07-13]-[李明]-无精读", ("2025-07-13", "李明", "")),
    ],
)
def test_a_skip_said_in_a_sentence(line: str, got: tuple[str, str, str]) -> None:
    assert sentence(line) == got


@pytest.mark.parametrize(
    "line",
    [
        "2025-07-13 的组会取消，大家本周未精读也没关系",  # no name: a sentence
        "[2025-07-13] 本周未精读",  # no name at all
        "问一下 [2025-07-13] 本周没读要提交吗",  # a question
        "李明 本周没读",  # no date
        "组会通知：这周因为 2025-07-13 停电，本周未精读的不用交",
        "2025-07-13 李明 读了 Mamba",
    ],
)
def test_no_skip_sentence(line: str) -> None:
    assert sentence(line) is None

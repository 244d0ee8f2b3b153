"""What a member's answer carries that is not for the README: comments, signatures, pings."""

from __future__ import annotations

import pytest

from app.core.tails import without_tails


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("提出 Transformer。\n\n发自我的iPhone", "提出 Transformer。"),
        ("提出 Transformer。\n来自我的华为手机", "提出 Transformer。"),
        ("Attention only.\n\nSent from my iPhone", "Attention only."),
        ("Attention only.\n\nGet Outlook for iOS", "Attention only."),
        ("提出 Transformer。<!-- 这里写简述 -->", "提出 Transformer。"),
        ("<!-- 请填写 -->\n提出 Transformer。", "提出 Transformer。"),
        ("提出 Transformer。\n<!-- unclosed", "提出 Transformer。"),
        ("提出 Transformer。\n\n@zhangyu 请审核", "提出 Transformer。"),
        ("Attention only.\n\ncc @alice @bob", "Attention only."),
        ("Attention only.\n@alice please review\n", "Attention only."),
        ("提出 Transformer。\n\n＠张宇 谢谢", "提出 Transformer。"),
        # kept: the member's own words
        ("@zhangyu 推荐的论文：提出 Transformer。", "@zhangyu 推荐的论文：提出 Transformer。"),
        ("第一段。\n\n--\n\n第二段：方法与实验。", "第一段。\n\n--\n\n第二段：方法与实验。"),
        ("作者发自内心地推荐。", "作者发自内心地推荐。"),
        ("Sent from my iPhone", "Sent from my iPhone"),  # the first line is the summary
        (
            "方法：与 @alice 的工作相比更快，详见 @bob 的实验。",
            "方法：与 @alice 的工作相比更快，详见 @bob 的实验。",
        ),
    ],
)
def test_only_what_was_never_meant_for_the_readme_goes(typed: str, kept: str) -> None:
    assert without_tails(typed) == kept

"""A title field holding a link, a README line or several papers: taken apart or refused."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.config import Config
from app.core.errors import InvalidSubmission
from app.core.i18n import Lang
from app.core.submission import build

TODAY = dt.date(2025, 7, 14)
ATTN = "Attention Is All You Need"
ABS = "https://arxiv.org/abs/1706.03762"
HINT = "（这一栏只填链接，想说的话请写在论文简述里）"


def form(title: str, link: str = "", venue: str = "", date: str = "2025-07-13") -> str:
    parts = {"日期": date, "姓名": "李明", "论文标题": title, "论文链接": link, "来源": venue}
    parts["论文简述"] = "用注意力取代循环。"
    return "\n\n".join(f"### {k}\n\n{v or '_No response_'}" for k, v in parts.items())


@pytest.mark.parametrize(
    ("body", "header"),
    [
        (form(f"[{ATTN}]({ABS})"), f"> > [2025-07-13]-[李明]-[{ATTN}]({ABS})"),
        # the same paper in the link field, as its pdf/ page: they agree
        (form(f"[{ATTN}]({ABS})", link="https://arxiv.org/pdf/1706.03762"), f"[{ATTN}]({ABS})"),
        # a whole README line pasted, copied with its quote markers
        (
            form(f"> > [2025-07-13]-[李明]-[{ATTN}]({ABS})-[NeurIPS 2017]"),
            f"> > [2025-07-13]-[李明]-[{ATTN}]({ABS})-[NeurIPS 2017]",
        ),
        (
            form(
                f"【2025-07-13】-【李明】-【{ATTN}】({ABS})-【NeurIPS 2017】", venue="NeurIPS 2017"
            ),
            f"[{ATTN}]({ABS})-[NeurIPS 2017]",
        ),
        (form(f"{ATTN} {ABS}"), f"[{ATTN}]({ABS})"),
        (form(f"{ATTN}：{ABS}", link=f"{ABS}v5"), f"[{ATTN}]({ABS}v5)"),
        (form(f"【{ATTN}】"), f"> > [2025-07-13]-[李明]-[{ATTN}]"),
        (form(f"《{ATTN}》"), f"> > [2025-07-13]-[李明]-[{ATTN}]"),  # Chinese title marks
        (form(f"「{ATTN}」"), f"> > [2025-07-13]-[李明]-[{ATTN}]"),
        (form("《A》和《B》的对比"), "[《A》和《B》的对比]"),  # marks inside the title stay
        (form("[Re] Reproducing SimCLR"), "[\\[Re\\] Reproducing SimCLR]"),
    ],
)
def test_a_pasted_title_is_taken_apart(body: str, header: str) -> None:
    block = build(body, config=Config(), today=TODAY).block
    assert header in block.split("\n")[0]
    assert "\\]\\(" not in block and "\\[2025" not in block  # no escaped nested link


@pytest.mark.parametrize(
    ("body", "lang", "says"),
    [
        (
            form(f"[2025-07-06]-[李明]-[{ATTN}]({ABS})"),
            "zh",
            "论文标题: 填的是整条记录或链接，其中的日期（2025-07-06）与「日期」一栏（2025-07-13）",
        ),
        (
            form(f"[2025-07-13]-[王芳]-[{ATTN}]({ABS})"),
            "en",
            "Paper title: holds a whole entry or link whose Name (王芳) differs from the Name "
            "field (李明)",
        ),
        (
            form(f"[{ATTN}]({ABS})", link="https://arxiv.org/abs/2106.09685"),
            "zh",
            "其中的论文链接（https://arxiv.org/abs/1706.03762）与「论文链接」一栏",
        ),
        (
            form(f"[2025-07-13]-[李明]-[{ATTN}]({ABS})-[NeurIPS 2017]", venue="ICML 2017"),
            "zh",
            "其中的来源（NeurIPS 2017）与「来源」一栏（ICML 2017）不一致",
        ),
        (form(f"[{ATTN}]({ABS}"), "zh", "论文标题: 只填论文标题，不要带链接或方括号"),
        (form(f"{ATTN} (see {ABS} for code)"), "en", "Paper title: takes the paper's title only"),
        (
            form(ATTN, link=f"{ABS} https://arxiv.org/abs/2106.09685"),
            "zh",
            "论文链接: 一个 issue 只写一篇论文，这里有 2 篇；请每篇另开一个 issue",
        ),
        (
            form(f"1. [{ATTN}]({ABS})\n2. [LoRA](https://arxiv.org/abs/2106.09685)"),
            "en",
            "Paper title: holds 2 papers; file one issue per paper",
        ),
    ],
)
def test_a_title_that_does_not_agree_is_refused_naming_the_title(
    body: str, lang: Lang, says: str
) -> None:
    with pytest.raises(InvalidSubmission) as got:
        build(body, config=Config(language=lang), today=TODAY)
    assert says in got.value.message
    assert [p.field for p in got.value.problems].count("title") <= 1


def test_the_same_link_twice_is_one_paper() -> None:
    body = form(ATTN, link=f"{ABS} https://arxiv.org/pdf/1706.03762")
    with pytest.raises(InvalidSubmission) as got:
        build(body, config=Config(), today=TODAY)
    assert "篇" not in got.value.message  # refused as a bad link, not as two papers


@pytest.mark.parametrize(
    ("link", "lang", "header", "notes"),
    [
        (  # a phone's remark glued on with a full-width comma: never part of the link
            "https://arxiv.org/pdf/1706.03762v2，这篇很经典",
            "zh",
            f"[{ATTN}]({ABS}v2)",
            [f"论文链接: 链接后面的文字没有写进记录：这篇很经典{HINT}"],
        ),
        (
            f"{ABS} 这篇很经典！",
            "zh",
            f"[{ATTN}]({ABS})",
            [f"论文链接: 链接后面的文字没有写进记录：这篇很经典！{HINT}"],
        ),
        (
            f"{ABS} (the NeurIPS version)",
            "en",
            f"[{ATTN}]({ABS})",
            [
                "Paper link: the words after the link were left out of the entry: the NeurIPS "
                "version (this field takes the link only; say more in the summary)"
            ],
        ),
        (f"{ABS}。", "zh", f"[{ATTN}]({ABS})", []),  # a closing stop is no remark
        (f"《{ABS}》", "zh", f"[{ATTN}]({ABS})", []),  # inside title marks
        (f"【{ABS}】", "zh", f"[{ATTN}]({ABS})", []),
        (f"「{ABS}」", "zh", f"[{ATTN}]({ABS})", []),
        (f"（{ABS}）", "zh", f"[{ATTN}]({ABS})", []),
        (  # Chinese in a URL's path is part of it (an IRI), not a remark
            "https://zh.wikipedia.org/wiki/注意力机制",
            "zh",
            f"[{ATTN}](https://zh.wikipedia.org/wiki/注意力机制)",
            [],
        ),
    ],
)
def test_a_link_with_words_after_it_keeps_the_link_and_names_the_words(
    link: str, lang: Lang, header: str, notes: list[str]
) -> None:
    got = build(form(ATTN, link=link), config=Config(language=lang), today=TODAY)
    assert header in got.block
    assert [str(n) for n in got.notes if n.field == "link"] == notes


def test_a_title_with_its_link_and_a_remark_is_refused_not_glued() -> None:
    body = form(f"{ATTN} {ABS}，经典")
    with pytest.raises(InvalidSubmission, match="论文标题: 只填论文标题，不要带链接"):
        build(body, config=Config(), today=TODAY)


def test_two_links_in_the_link_field_are_still_two_papers() -> None:
    with pytest.raises(InvalidSubmission, match="论文链接: 一个 issue 只写一篇论文"):
        build(
            form(ATTN, link=f"{ABS}，https://arxiv.org/abs/1512.03385"),
            config=Config(),
            today=TODAY,
        )


IMG = "https://github.com/user-attachments/assets/1b39738f-33ee-4b89-b7d1-6d2abf81d614"


@pytest.mark.parametrize(
    ("figure", "lang", "notes"),
    [
        (
            f'框架图如下：\n<img width="600" alt="Image" src="{IMG}" />',
            "zh",
            [
                "论文框架图: 图片以外的文字没有写进记录：框架图如下"
                "（这一栏只放图片，想说的话请写在论文简述里）"
            ],
        ),
        (
            f"![Image]({IMG})\n(Figure 2 of the paper)",
            "en",
            [
                "Framework figure: the words beside the image were left out of the entry: "
                "Figure 2 of the paper (this field takes the image only; say more in the summary)"
            ],
        ),
        (f'<img width="600" alt="Image" src="{IMG}" />', "zh", []),
        (f"![截屏2025-07-13 10.00.00]({IMG})", "zh", []),  # its alt text is no remark
    ],
)
def test_words_beside_the_figure_are_named(figure: str, lang: Lang, notes: list[str]) -> None:
    body = form(ATTN, link=ABS).replace(
        "### 论文简述", f"### 论文框架图\n\n{figure}\n\n### 论文简述"
    )
    got = build(body, config=Config(language=lang), today=TODAY)
    assert f'src="{IMG}"' in got.block
    assert [str(n) for n in got.notes if n.field == "figure"] == notes

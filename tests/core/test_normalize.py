"""Normalising the history: house style, the same text, bytes outside entries untouched."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.config import DEFAULT_MARKER, Config
from app.core.dates import parse_date
from app.core.grammar import RawEntry
from app.core.lint import Finding, lint
from app.core.normalize import normalize
from app.core.normalize_text import describe
from app.core.readme import entries, find_marker, region

M = DEFAULT_MARKER
HEAD = f"# 组会\n\n> {M}\n> \n"
TAIL = "\n\n为简化排版，2024 年的记录在[这里](https://example.org/2024)。\n"
IMG = "https://github.com/user-attachments/assets/1b39738f-33ee-4b89-b7d1-6d2abf81d614"
HOUSE = (
    "> > [2025-01-05]-[张宇]-[Attention Is All You Need](https://arxiv.org/abs/1706.03762)"
    "-[NeurIPS 2017]\n"
    "> >\n"
    f'> > <img width="512" alt="image" src="{IMG}">\n'
    "> >\n"
    "> > 论文简述：一句话。\n"
    ">\n"
)


def norm(block: str) -> tuple[str, str]:
    """The entry block normalised, and its kinds of change (or why it was left alone)."""
    got = normalize(HEAD + block + TAIL, config=Config())
    assert got.text.startswith(HEAD) and got.text.endswith(TAIL)
    why = " ".join(got.changes[0].kinds) if got.changes else ""
    why = got.left_alone[0].reason if got.left_alone else why
    return got.text[len(HEAD) : len(got.text) - len(TAIL)], why


@pytest.mark.parametrize(
    ("old", "kinds"),
    [
        # each historic shape, and what it is counted as
        (HOUSE.replace("2025-01-05", "2025-1-5"), "date"),
        (HOUSE.replace("2025-01-05", "2025/1/5"), "date"),
        (HOUSE.replace("2025-01-05", "2025年1月5日"), "date"),
        (HOUSE.replace("[张宇]", "张宇"), "name"),
        (HOUSE.replace("-[NeurIPS 2017]", "-NeurIPS 2017"), "venue"),
        (HOUSE.replace("-[NeurIPS 2017]", "[NeurIPS 2017]"), "venue"),
        (
            HOUSE.replace(
                "[Attention Is All You Need](https://arxiv.org/abs/1706.03762)-[NeurIPS 2017]",
                "[Attention Is All You Need]-[NeurIPS 2017](https://arxiv.org/abs/1706.03762)",
            ),
            "link",
        ),
        (HOUSE.replace("Attention Is All ", "Attention Is All\n> > "), "wrapped"),
        (HOUSE.replace(f'<img width="512" alt="image" src="{IMG}">', f"![image]({IMG})"), "image"),
        (HOUSE.replace(f'alt="image" src="{IMG}">', f'alt="x" src="{IMG}" />'), "image"),
        (HOUSE.replace("论文简述：", "论文简述: "), "label"),
        (HOUSE.replace("论文简述：", "论文简述：\n> > "), "label"),
        (HOUSE.replace("> > ", ">>"), "quote"),
        (HOUSE.replace("> >\n", "").replace(">\n", "> \n"), "quote"),
        (HOUSE.replace("> > [", "> >   ["), "quote"),
        (
            ">>[2025-1-5]-张宇-[Attention Is All You Need]"
            "(https://arxiv.org/abs/1706.03762)-NeurIPS 2017\n"
            f">><img src='{IMG}' width=300>\n"
            ">>论文简述:一句话。\n>> \n",
            "date name venue image label quote",
        ),
    ],
)
def test_historic_shapes_become_house_style(old: str, kinds: str) -> None:
    assert norm(old) == (HOUSE, kinds)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("> > [2025-1-5]-张宇-本周未精读\n", "> > [2025-01-05]-[张宇]-本周未精读\n>\n"),
        (
            "> >[2025-1-5]-[张宇]-推进比赛，本周未精读\n> >\n",
            "> > [2025-01-05]-[张宇]-推进比赛，本周未精读\n>\n",
        ),
        (
            "> > [2025-01-05]-[陈银]-这周在改论文，未精度\n",
            "> > [2025-01-05]-[陈银]-这周在改论文，未精度\n>\n",
        ),
        ("> > [2025-01-05]-[陈银]-忙，无精读\n", "> > [2025-01-05]-[陈银]-忙，无精读\n>\n"),
        ("> > [2025-01-05]-[陈银]-没有精读\n", "> > [2025-01-05]-[陈银]-没有精读\n>\n"),
        ("> > [2025-01-05]-[陈银]-未精度\n", "> > [2025-01-05]-[陈银]-未精度\n>\n"),
        ("> [2025-07-06]-李四-[本周无精读]\n", "> > [2025-07-06]-[李四]-[本周无精读]\n>\n"),
        ("> [2025-07-06]-李四-[本周没有精读]\n", "> > [2025-07-06]-[李四]-[本周没有精读]\n>\n"),
        (
            "> [2025-7-6]-[张三]-放假+实验+写论文=未精读\\\n",
            "> > [2025-07-06]-[张三]-放假+实验+写论文=未精读\n>\n",
        ),
    ],
)
def test_skips(old: str, new: str) -> None:
    assert norm(old)[0] == new


@pytest.mark.parametrize(
    ("old", "reason"),
    [
        ("> > [2025-07-06]-[张宇]-随便写点什么\n> > 正文\n", "unreadable"),
        ("> > [2025-02-30]-[张宇]-[T](https://example.org)\n> > 论文简述：S\n", "impossible_date"),
        ("> > [2025-07-06]-[张宇]-[T]\n> > 开头的话\n> > 论文简述：S\n", "text_outside"),
        ("> > [2025-07-06]-[张宇]-本周未精读\n> > 但是读了一半\n", "text_outside"),
        ("> > [2025-07-06]-[张宇]-[T](https://a.org)-[V](https://b.org)\n> > S\n", "not_kept"),
        ("> > [2025-07-06]-[张宇]-[T]-[V] (oral)\n> > S\n", "not_kept"),
    ],
)
def test_what_cannot_be_kept_is_left_byte_identical(old: str, reason: str) -> None:
    assert norm(old) == (old, reason)


def test_house_style_is_left_as_it_is() -> None:
    got = normalize(HEAD + HOUSE + TAIL, config=Config())
    assert (got.text, got.changes, got.left_alone) == (HEAD + HOUSE + TAIL, (), ())


def test_line_break_backslashes_are_format() -> None:
    old = (
        "> > [2025-05-11]-程浩-[Janus]-[Deepseek Technical Report]"
        "(https://arxiv.org/abs/2410.13848) \\\n"
        f"> >![image]({IMG}) \\\n"
        "> > 论文简述：解耦。\n"
    )
    new, kinds = norm(old)
    assert new.startswith(
        "> > [2025-05-11]-[程浩]-[Janus](https://arxiv.org/abs/2410.13848)-[Deepseek"
    )
    assert "link" in kinds and "\\" not in new


def fields(text: str) -> list[RawEntry | None]:
    return [e for _, e in entries(text, marker=M)]


def same_content(a: RawEntry | None, b: RawEntry | None) -> bool:
    if a is None or b is None:
        return a is b
    return (parse_date(a.date), a.fields() | {"date": ""}) == (
        parse_date(b.date),
        b.fields() | {"date": ""},
    )


def outside(text: str) -> tuple[str, str]:
    where = region(text, find_marker(text, M))
    return text[: where.start], text[where.end :]


def test_the_real_readme(seed: str) -> None:
    got = normalize(seed, config=Config())
    assert (got.entries, len(got.changes), got.left_alone) == (144, 135, ())
    before, after = fields(seed), fields(got.text)
    assert len(before) == len(after) == 144
    assert all(same_content(a, b) for a, b in zip(before, after, strict=True))
    assert outside(got.text) == outside(seed)
    assert normalize(got.text, config=Config()).text == got.text


def test_lint_on_the_normalised_readme_reports_only_real_findings(seed: str) -> None:
    found = lint(normalize(seed, config=Config()).text, marker=M)

    def unnumbered(findings: list[Finding]) -> list[tuple[str, str]]:
        return [(f.code, re.sub(r"\d+ 行", "N 行", f.message)) for f in findings]

    assert unnumbered(found) == unnumbered(lint(seed, marker=M))
    assert sorted(f.code for f in found) == ["date", "date", "duplicate", "duplicate"]


def test_bytes_kept_crlf_and_bom(seed: str) -> None:
    lf = normalize(seed, config=Config()).text
    crlf = normalize("\ufeff" + seed.replace("\n", "\r\n"), config=Config()).text
    assert crlf == "\ufeff" + lf.replace("\n", "\r\n")
    no_final = normalize(HEAD + HOUSE.replace("> > ", ">>").removesuffix("\n"), config=Config())
    assert no_final.text == HEAD + HOUSE.removesuffix("\n")


def test_description(seed: str) -> None:
    got = normalize(
        HEAD + HOUSE.replace("2025-01-05", "2025-1-5") + "> > [2025-1-4]-[x]-随便\n" + TAIL,
        config=Config(),
    )
    en = describe(got, path="README.md", lang="en")
    assert "Rewrites 1 of the 2 entries in `README.md`" in en
    assert "| dates written YYYY-MM-DD (zero-padded) | 1 |" in en
    assert "- line 11: not an entry the grammar can read — `[2025-1-4]-[x]-随便`" in en
    again = normalize(got.text, config=Config())
    assert describe(again, path="README.md", lang="zh").startswith(
        "`README.md` 中的 2 条记录都已是当前格式"
    )


# Historic entries in every shape the seed shows, and some it does not.
_text = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
        | st.sampled_from("中文：，。 ab"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@st.composite
def historic(draw: st.DrawFn) -> str:
    y, m, d = draw(st.integers(2023, 2025)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    date = draw(
        st.sampled_from([f"{y}-{m}-{d}", f"{y}-{m:02}-{d:02}", f"{y}/{m}/{d}", f"{y}年{m}月{d}日"])
    )
    name = draw(st.sampled_from(["张宇", "陈银", "Zhang Yu"]))
    name = draw(st.sampled_from([f"[{name}]", name]))
    pre = draw(st.sampled_from(["> > ", ">>", "> >", ">> ", "> >  "]))
    if draw(st.booleans()):
        reason = draw(st.sampled_from(["", "推进比赛，", "考试,"]))
        return f"{pre}[{date}]-{name}-{reason}本周未精读\n" + draw(
            st.sampled_from(["", ">\n", "> \n"])
        )
    title, venue = draw(_text), draw(st.sampled_from(["", "-CVPR2025", "-[ICLR 2024]", "[arxiv]"]))
    link = draw(st.sampled_from(["", "(https://arxiv.org/abs/2401.00001)"]))
    head = f"{pre}[{date}]-{name}-[{title}]{link}{venue}\n"
    fig = draw(
        st.sampled_from(["", f"{pre}![image]({IMG})\n", f'{pre}<img width="400" src="{IMG}" />\n'])
    )
    label = draw(st.sampled_from(["论文简述：", "论文简述:", "论文简述: ", ""]))
    lines = draw(st.lists(_text, min_size=1, max_size=3))
    body = "".join(f"{pre}{x}\n" for x in [label + lines[0], *lines[1:]])
    return (
        head
        + fig
        + draw(st.sampled_from(["", f"{pre}\n"]))
        + body
        + draw(st.sampled_from(["", ">\n", "> \n"]))
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(historic(), min_size=1, max_size=5), st.booleans())
def test_text_content_is_preserved(blocks: list[str], crlf: bool) -> None:
    text = HEAD + "".join(blocks) + TAIL
    text = text.replace("\n", "\r\n") if crlf else text
    got = normalize(text, config=Config())
    before, after = fields(text), fields(got.text)
    assert len(before) == len(after)
    assert all(same_content(a, b) for a, b in zip(before, after, strict=True))
    assert outside(got.text) == outside(text)
    assert normalize(got.text, config=Config()).text == got.text
    for alone in got.left_alone:
        assert alone.shown in got.text


@pytest.mark.parametrize(
    ("config", "line", "said"),
    [
        (Config(), "> > 论文简述：一句话。", "| 简述统一以「论文简述：」开头 | 1 |"),
        (Config(language="en"), "> > Summary: 一句话。", "| summaries labelled Summary: | 1 |"),
    ],
)
def test_a_summary_gets_the_groups_label_and_the_change_names_it(
    config: Config, line: str, said: str
) -> None:
    got = normalize(HEAD + HOUSE.replace("论文简述：", "简述: ") + TAIL, config=config)
    assert line in got.text.split("\n")
    assert said in describe(got, path="README.md", lang=config.language).split("\n")

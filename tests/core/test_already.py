"""A paper read before: who read it and when, matched by arXiv id, DOI or folded title."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.already import Reading, check, earlier, notice
from app.core.config import DEFAULT_MARKER, Config
from app.core.entry import Report
from app.core.errors import InvalidSubmission
from app.core.paper import PaperMeta
from app.core.submission import apply

TODAY = dt.date(2025, 7, 14)
README = (
    f"# Log\n\n> {DEFAULT_MARKER}\n>\n"
    "> > [2025-07-06]-[张宇]-[Understanding and Mitigating Annotation Bias in Facial "
    "Expression\n> > Recognition](https://arxiv.org/pdf/2108.08504v2)\n> >\n> > 论文简述：S\n>\n"
    "> > [2025-06-29]-[陈银]-[Deep Residual Learning](https://doi.org/10.1109/CVPR.2016.90)\n>\n"
    ">>[2025-6-22]-贾朋-[《Attention Is All You Need》]-NIPS2017\n>>论文简述：S\n>\n"
    "> > [2025-06-15]-[何艺超]-本周未精读\n>\n"
)


def paper(title: str, link: str | None = None, *, name: str = "新人") -> Report:
    return Report(date=dt.date(2025, 7, 13), name=name, title=title, link=link, summary="S")


@pytest.mark.parametrize(
    ("entry", "who"),
    [
        # arXiv id: abs or pdf, any version, any title typed
        (paper("FER bias", "https://arxiv.org/abs/2108.08504"), ["张宇"]),
        (paper("FER bias", "https://arxiv.org/pdf/2108.08504v1.pdf"), ["张宇"]),
        (paper("FER bias", "https://doi.org/10.48550/arXiv.2108.08504"), ["张宇"]),
        # DOI, case-insensitive
        (paper("ResNet", "https://doi.org/10.1109/cvpr.2016.90"), ["陈银"]),
        # folded title: case, spacing, punctuation, full-width and 《》 ignored
        (paper("attention is all you need"), ["贾朋"]),
        (paper("Attention is all you need!", "https://example.org/x"), ["贾朋"]),
        (paper("ＡＴＴＥＮＴＩＯＮ ＩＳ ＡＬＬ ＹＯＵ ＮＥＥＤ"), ["贾朋"]),
        # the wrapped title of the README's first entry, typed on one line
        (
            paper("Understanding and Mitigating Annotation Bias in Facial Expression Recognition"),
            ["张宇"],
        ),
        # different papers
        (paper("Attention Is Not All You Need"), []),
        (paper("FER bias", "https://arxiv.org/abs/2108.08505"), []),
        (paper("本周未精读"), []),
    ],
)
def test_same_paper(entry: Report, who: list[str]) -> None:
    assert [r.name for r in earlier(entry, README, marker=DEFAULT_MARKER)] == who


def test_its_own_entry_and_its_previous_one_do_not_count() -> None:
    own = Report(
        date=dt.date(2025, 7, 6),
        name="张宇",
        title="Other words",
        link="https://arxiv.org/abs/2108.08504",
        summary="S",
    )
    assert [r.name for r in earlier(own, README, marker=DEFAULT_MARKER)] == [
        "张宇"
    ]  # new title: another entry
    same_key = own.model_copy(
        update={
            "title": "Understanding and Mitigating Annotation Bias in Facial Expression Recognition"
        }
    )
    assert earlier(same_key, README, marker=DEFAULT_MARKER) == []
    previous = (
        "2025-07-06",
        "张宇",
        "understandingandmitigatingannotationbiasinfacialexpressionrecognition",
    )
    assert earlier(own, README, marker=DEFAULT_MARKER, skip=[previous]) == []


def test_metadata_ids_count() -> None:
    meta = PaperMeta(
        title="ResNet",
        link="https://openreview.net/forum?id=x",
        doi="10.1109/CVPR.2016.90",
        source="test",
    )
    entry = paper("He et al.", "https://openreview.net/forum?id=abcdef")
    assert [r.name for r in earlier(entry, README, marker=DEFAULT_MARKER, meta=meta)] == ["陈银"]


def test_open_submissions() -> None:
    other = Reading(
        dt.date(2025, 7, 13), "李四", "FER Bias", "https://arxiv.org/abs/2108.08504", issue=12
    )
    found = earlier(
        paper("x", "https://arxiv.org/abs/2108.08504"),
        README,
        marker=DEFAULT_MARKER,
        others=[other],
    )
    assert found[0].line == 5 and found[1] == other
    assert (
        notice(found, "zh")
        == "已于 2025-07-06 由 张宇 精读；已于 2025-07-13 由 李四 提交精读（#12，尚未合并）"
    )
    assert notice(found, "en") == (
        "already read by 张宇 on 2025-07-06, "
        "already submitted by 李四 for 2025-07-13 (#12, not merged yet)"
    )


def test_a_note_by_default_a_refusal_when_configured() -> None:
    entry = paper("x", "https://arxiv.org/abs/2108.08504")
    (note,) = check(entry, README, config=Config())
    assert str(note) == "已有人精读: 已于 2025-07-06 由 张宇 精读"  # matched by arXiv id, not title
    with pytest.raises(InvalidSubmission) as info:
        check(entry, README, config=Config(duplicates="refuse", language="en"))
    assert str(info.value) == (
        "Paper title: this paper was already read by 张宇 on 2025-07-06; "
        "this repository logs each paper once"
    )
    assert check(paper("unread"), README, config=Config(duplicates="refuse")) == ()


ISSUE = (
    "### 日期\n\n2025-07-13\n\n### 姓名\n\n新人\n\n### 论文标题\n\n"
    "Understanding and Mitigating Annotation Bias in Facial Expression Recognition\n\n"
    "### 论文链接\n\nhttps://arxiv.org/abs/2108.08504\n\n### 论文简述\n\n一句话。"
)


def test_apply_inserts_and_notes_who_read_it(seed: str) -> None:
    got = apply(seed, ISSUE, config=Config(), today=TODAY)
    assert [str(n) for n in got.notes] == ["已有人精读: 已于 2025-07-06 由 张宇 精读"]
    assert got.readme is not None and "[2025-07-13]-[新人]" in got.readme


def test_apply_refuses_when_configured(seed: str) -> None:
    with pytest.raises(InvalidSubmission, match="本仓库不重复记录同一篇论文"):
        apply(seed, ISSUE, config=Config(duplicates="refuse"), today=TODAY)

"""Entries better than typed: the paper's page as the link, empty fields filled from the
paper's metadata (given as data), a typed title checked against the paper's."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.config import Config
from app.core.errors import InvalidSubmission
from app.core.i18n import Lang
from app.core.paper import FigureCheck, Found, LookupFailure, PaperMeta
from app.core.smart import figure_note, paper_link, prepare
from app.core.submission import build

TODAY = dt.date(2025, 7, 14)
FER = "Understanding and Mitigating Annotation Bias in Facial Expression Recognition"
META = PaperMeta(
    title=FER,
    link="https://arxiv.org/abs/2108.08504",
    venue="ICCV 2021",
    year=2021,
    arxiv="2108.08504",
    source="arxiv+dblp",
)


def form(
    *, title: str = "", link: str = "https://arxiv.org/abs/2108.08504", venue: str = ""
) -> str:
    parts = {"日期": "2025-07-13", "姓名": "新人", "论文标题": title, "论文链接": link}
    parts |= {"来源": venue, "论文简述": "一句话。"}
    return "\n\n".join(f"### {k}\n\n{v or '_No response_'}" for k, v in parts.items())


@pytest.mark.parametrize(
    ("link", "written"),
    [
        ("https://arxiv.org/pdf/2108.08504", "https://arxiv.org/abs/2108.08504"),
        ("https://arxiv.org/pdf/2108.08504v2.pdf", "https://arxiv.org/abs/2108.08504v2"),
        ("arXiv:2108.08504", "https://arxiv.org/abs/2108.08504"),
        ("2405.01234", "https://arxiv.org/abs/2405.01234"),
        ("2405.01234v3", "https://arxiv.org/abs/2405.01234v3"),
        ("hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001"),
        ("arXiv: hep-th/9901001v2", "https://arxiv.org/abs/hep-th/9901001v2"),
        ("10.1109/CVPR.2016.90", "https://doi.org/10.1109/CVPR.2016.90"),
        ("https://dx.doi.org/10.1109/CVPR.2016.90", "https://dx.doi.org/10.1109/CVPR.2016.90"),
        ("https://openreview.net/pdf?id=NG7sS51zVF", "https://openreview.net/pdf?id=NG7sS51zVF"),
        ("https://navila-bot.github.io/", "https://navila-bot.github.io/"),
        ("", ""),
    ],
)
def test_links_are_written_as_the_papers_page(link: str, written: str) -> None:
    assert prepare({"link": link}).get("link", "") == written


def test_date_name_link_and_summary_make_a_complete_entry() -> None:
    got = build(form(), config=Config(), today=TODAY, paper=META)
    assert got.block.split("\n")[0] == (
        f"> > [2025-07-13]-[新人]-[{FER}](https://arxiv.org/abs/2108.08504)-[ICCV 2021]"
    )
    assert [str(n) for n in got.notes] == [
        f"论文标题: 已根据 arXiv + DBLP 填写：{FER}",
        "来源: 已根据 arXiv + DBLP 填写：ICCV 2021",
    ]


@pytest.mark.parametrize(
    ("title", "venue", "notes"),
    [
        # typed values are kept; the same title in other case/spacing/punctuation says nothing
        (FER.upper() + ".", "ICCV2021", []),
        ("understanding  and mitigating annotation-bias in facial expression recognition", "x", []),
        (
            "Annotation bias in FER",
            "ICCV 21",
            [f"论文标题: 与论文的标题不一致，论文的标题是「{FER}」（已保留你填写的标题）"],
        ),
    ],
)
def test_typed_values_are_kept(title: str, venue: str, notes: list[str]) -> None:
    got = build(form(title=title, venue=venue), config=Config(), today=TODAY, paper=META)
    assert f"-[{venue}]" in got.block.split("\n")[0]
    assert [str(n) for n in got.notes] == notes


def test_english_notes() -> None:
    got = build(form(title="FER bias"), config=Config(language="en"), today=TODAY, paper=META)
    assert [str(n) for n in got.notes] == [
        "Venue: filled in from arXiv + DBLP: ICCV 2021",
        f"Paper title: differs from the paper's title, which is “{FER}” (your title is kept)",
    ]


@pytest.mark.parametrize(
    ("failure", "says"),
    [
        (
            LookupFailure(reason="timeout", service="arXiv"),
            "论文链接: 未能查到论文信息：arXiv 没有及时回应；已按填写内容生成记录",
        ),
        (LookupFailure(reason="not_found", service="Crossref"), "：Crossref 上没有这篇论文；"),
        (LookupFailure(reason="refused", service="OpenReview", status=403), "OpenReview 拒绝了"),
        # no status: the connection failed, which is not "nothing found"
        (LookupFailure(reason="unavailable", service="arXiv"), "：无法连接 arXiv；"),
        (LookupFailure(reason="unavailable", service="DBLP", status=502), "：DBLP 出错了；"),
        (LookupFailure(reason="bad_response", service="Crossref"), "：无法读取 Crossref 的回应；"),
        # paperbot's own pacing, not arXiv, said "not now": the reconcile retries it
        (
            LookupFailure(reason="queued", service="arXiv"),
            "：对 arXiv 的查询正在排队，paperbot 稍后",
        ),
    ],
)
def test_a_failed_lookup_never_blocks(failure: LookupFailure, says: str) -> None:
    got = build(form(title="Typed"), config=Config(), today=TODAY, paper=failure)
    assert "[Typed](https://arxiv.org/abs/2108.08504)" in got.block
    assert says in str(got.notes[-1])


@pytest.mark.parametrize(
    ("failure", "says"),
    [
        (LookupFailure(reason="unavailable", service="arXiv"), "could not reach arXiv"),
        (LookupFailure(reason="not_found", service="arXiv"), "arXiv does not know this paper"),
        (LookupFailure(reason="timeout", service="DBLP"), "DBLP did not answer in time"),
        (
            LookupFailure(reason="queued", service="arXiv"),
            "lookups at arXiv are queued; paperbot tries again later by itself",
        ),
    ],
)
def test_a_failed_lookup_says_what_happened_in_english(failure: LookupFailure, says: str) -> None:
    got = build(form(title="Typed"), config=Config(language="en"), today=TODAY, paper=failure)
    assert str(got.notes[-1]) == (
        f"Paper link: no details about the paper: {says}; the entry uses what you typed"
    )


@pytest.mark.parametrize(
    ("body", "lang", "says"),
    [
        (  # refused: no entry was made, so none is said to be; the title is asked for
            form(),
            "zh",
            [
                "论文标题: 必填，不能为空",
                "论文链接: 未能查到论文信息：arXiv 没有及时回应；请自己填写论文标题",
            ],
        ),
        (
            form(),
            "en",
            [
                "Paper title: is required",
                "Paper link: no details about the paper: arXiv did not answer in time; "
                "fill in the paper's title yourself",
            ],
        ),
        (  # refused for another field: the lookup is only said
            form(title="Typed").replace("一句话。", "_No response_"),
            "zh",
            ["论文简述: 必填，不能为空", "论文链接: 未能查到论文信息：arXiv 没有及时回应"],
        ),
    ],
)
def test_a_refused_submission_says_why_the_lookup_did_not_help(
    body: str, lang: Lang, says: list[str]
) -> None:
    failure = LookupFailure(reason="timeout", service="arXiv")
    with pytest.raises(InvalidSubmission) as info:
        build(body, config=Config(language=lang), today=TODAY, paper=failure)
    assert [str(p) for p in info.value.problems] == says


@pytest.mark.parametrize(
    "found",
    [None, LookupFailure(reason="off"), LookupFailure(reason="unrecognised")],
)
def test_no_lookup_says_nothing(found: Found | None) -> None:
    assert build(form(title="Typed"), config=Config(), today=TODAY, paper=found).notes == ()


@pytest.mark.parametrize(
    ("body", "link"),
    [
        (form(link="https://arxiv.org/pdf/2108.08504"), "https://arxiv.org/abs/2108.08504"),
        (form(link="10.1109/CVPR.2016.90"), "https://doi.org/10.1109/CVPR.2016.90"),
        (form(link="https://navila-bot.github.io/"), None),
        (form(link=""), None),
        (
            "[2025-07-13]-[新人]-[T](https://openreview.net/forum?id=NG7sS51zVF)\n\n论文简述：S",
            "https://openreview.net/forum?id=NG7sS51zVF",
        ),
        ("hello", None),
        (None, None),
    ],
)
def test_the_link_to_look_up(body: str | None, link: str | None) -> None:
    assert paper_link(body) == link


@pytest.mark.parametrize(
    ("verdict", "detail", "zh", "en"),
    [
        ("image", "image/png", None, None),
        ("trusted", "", None, None),
        ("unchecked", "busy", None, None),
        (
            "not_image",
            "HTTP 404",
            "链接打开的不是图片（HTTP 404）",
            "does not answer with an image",
        ),
        ("unreachable", "refused", "无法打开这个图片链接", "could not be opened"),
        ("unreachable", "ReadTimeout", "不是公开地址，或没有及时响应", "no answer in time"),
    ],
)
def test_a_figure_note_tells_the_verdict_only(
    verdict: str, detail: str, zh: str | None, en: str | None
) -> None:
    check = FigureCheck(url="http://127.0.0.1/x.png", verdict=verdict, detail=detail)  # type: ignore[arg-type]
    notes = {lang: figure_note(check, lang) for lang in ("zh", "en")}
    if zh is None:
        assert notes == {"zh": None, "en": None}
        return
    said = {lang: note.message for lang, note in notes.items() if note}
    assert zh in said["zh"] and en in said["en"]
    if verdict == "unreachable":
        assert detail not in said["zh"] + said["en"] and "127.0.0.1" not in said["en"]

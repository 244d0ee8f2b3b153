"""The README grammar reads every entry of the real seed README."""

from __future__ import annotations

import pytest

from app.core.config import DEFAULT_MARKER
from app.core.grammar import RawEntry, parse_header, read_entry
from app.core.readme import entries

SEED_ENTRIES = 144


@pytest.fixture(scope="module")
def seed_entries(seed: str) -> dict[int, RawEntry]:
    found = entries(seed, marker=DEFAULT_MARKER)
    assert all(e is not None for _, e in found), [line for line, e in found if e is None]
    return {line: e for line, e in found if e is not None}


def test_reads_every_seed_entry(seed_entries: dict[int, RawEntry]) -> None:
    assert len(seed_entries) == SEED_ENTRIES
    assert (
        sum(e.kind == "skip" for e in seed_entries.values()) == 51
    )  # counted by grep for 未精读 and its variants


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # newest style: bracketed name, link on the title, no venue, no figure
        (
            26,
            {
                "date": "2025-07-06",
                "name": "张宇",
                "link": "https://arxiv.org/abs/2108.08504",
                "venue": "",
                "figure": "",
            },
        ),
        # HTML figure on the line right after the header
        (
            30,
            {
                "name": "贾朋",
                "figure": "https://raw.githubusercontent.com/2351548518/images/"
                "main/20250424/20250706222130651.png",
            },
        ),
        # '>>' prefix, bare venue, summary on the line after its label
        (
            41,
            {
                "title": "**Question-Aware Gaussian Experts for Audio-Visual Question Answering",
                "venue": "CVPR2025",
                "summary": "本文提出了一个新的AVQA的框架",
            },
        ),
        # link on the venue, not the title
        (67, {"venue": "ICML2025", "link": "https://arxiv.org/pdf/2501.16566"}),
        # skip with a reason before the phrase
        (79, {"kind": "skip", "reason": "推进比赛"}),
        # skip whose reason comes after the phrase and holds a link: the phrase is not
        # repeated in the reason (the template adds it)
        (
            145,
            {"kind": "skip", "reason": "阅读和复现[SPOC](https://spoc-robot.github.io/)论文代码"},
        ),
        # bare name and a markdown figure
        (
            226,
            {
                "name": "程浩",
                "venue": "Deepseek Technical Report",
                "figure": "https://github.com/user-attachments/assets/bec6208c-96fc-418b-b219-72304c5041d4",
            },
        ),
        # a title wrapped onto an unquoted next line
        (
            249,
            {
                "title": "R1-Omni: Explainable Omni-Multimodal Emotion Recognition with "
                "Reinforcement Learning"
            },
        ),
        # skip written as a bracketed title
        (309, {"kind": "skip", "name": "程浩"}),
        # '>> >' prefix
        (343, {"date": "2025-04-17", "venue": "paper", "link": "https://sairlab.org/vlnav/"}),
        # a bare URL where the venue goes becomes the link
        (
            357,
            {
                "venue": "",
                "link": "https://openaccess.thecvf.com/content/ICCV2021/html/Yuan_"
                "Tokens-to-Token_ViT_Training_Vision_Transformers_From_Scratch_on_ImageNet_ICCV_"
                "2021_paper.html?ref=https://githubhelp.com",
            },
        ),
        # venue bracket right after the title, with its own link; un-padded date
        (421, {"date": "2025-04-6", "venue": "IJCV 2024"}),
        # spaces around the dashes; single-quoted <img> attributes
        (
            455,
            {
                "date": "2025-3-30",
                "venue": "Arxiv",
                "figure": "https://github.com/ReadingPapers/Report/blob/main/Images/MoE-LLaVA.png",
            },
        ),
        # a title wrapped over three lines and a full-width parenthesised venue
        (
            485,
            {
                "venue": "TPAMI2024",
                "link": "https://ieeexplore.ieee.org/abstract/document/10495141/",
            },
        ),
        # an unquoted src attribute; 论文简评 instead of 论文简述
        (
            601,
            {
                "figure": "https://raw.githubusercontent.com/cyinen/imge/master/20250108133119.png",
                "summary": "考虑到标签分布提供了图像的分类保真度",
            },
        ),
        # the 2024 typo is read as written (lint flags it)
        (583, {"date": "2024-1-12", "venue": "ICCV23"}),
    ],
)
def test_seed_entry_fields(
    seed_entries: dict[int, RawEntry], line: int, expected: dict[str, str]
) -> None:
    entry = seed_entries[line]
    for key, value in expected.items():
        got = getattr(entry, key)
        assert got.startswith(value) if key == "summary" else got == value, (key, got)


@pytest.mark.parametrize(
    "line",
    [
        "> > \\[2025-07-06]-[张宇]-本周未精读",  # escaped by the renderer: inert
        "> > 2025-07-06-[张宇]-本周未精读",  # no brackets around the date
        "> > [2025-07-06]-[张宇]-随便写点什么",  # neither a paper nor a skip
        "> > [2025-07-06]-[张宇]-[unclosed title",
    ],
)
def test_not_headers(line: str) -> None:
    assert parse_header(line) is None


def test_read_entry_prefers_labelled_summary() -> None:
    raw = read_entry(["[2025-07-06]-[a]-[T]", "intro line", "论文简述：the summary", "more"])
    assert raw is not None and raw.summary == "the summary\nmore"

"""Venue wording from each service, and title folding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.paper import (
    fold_title,
    plain,
    venue_from_container,
    venue_from_dblp,
    venue_from_journal,
    venue_from_openreview,
    venue_from_text,
)


@pytest.mark.parametrize(
    ("container", "year", "short", "venue"),
    [
        (
            "2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)",
            2016,
            "",
            "CVPR 2016",
        ),
        (
            "2025 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)",
            2025,
            "",
            "CVPR 2025",
        ),
        (
            "Proceedings of the AAAI Conference on Artificial Intelligence",
            2024,
            "AAAI",
            "AAAI 2024",
        ),
        ("Nature", 2021, "", "Nature 2021"),
        ("Transactions 2020", 2020, "", "Transactions 2020"),
        ("Workshops, 2003. Proceedings", 2004, "", "Workshops, 2003. Proceedings"),  # has a year
        ("Cloud Engineering (IC2E 2022)", 2022, "", "IC2E 2022"),
        ("", 2020, "", None),
        ("x" * 90, 2020, "", None),
    ],
)
def test_crossref_venue(container: str, year: int, short: str, venue: str | None) -> None:
    assert venue_from_container(container, year, short=short) == venue


@pytest.mark.parametrize(
    ("written", "venue"),
    [
        ("ICLR 2024 Poster", "ICLR 2024"),
        ("ICLR 2025 Oral", "ICLR 2025"),
        ("ICLR 2023 notable top 5%", "ICLR 2023"),
        ("NeurIPS 2023 Datasets and Benchmarks", "NeurIPS 2023"),
        ("ICLR 2024 Conference Submission", None),
        ("ICLR 2026 Conference Withdrawn Submission", None),
        ("Submitted to ICLR 2025", None),
        ("TMLR", "TMLR"),
        ("Accepted by TMLR", "TMLR"),  # no year known
        ("Under review for TMLR", None),
        ("", None),
    ],
)
def test_openreview_venue(written: str, venue: str | None) -> None:
    assert venue_from_openreview(written) == venue


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        (
            "detecting\n                    <i>KRAS</i>\n                    /\n  <i>NRAS</i>",
            "detecting KRAS / NRAS",
        ),
        ("[Ru(bpy)<sub>3</sub>]<sup>2+</sup> luminophore", "[Ru(bpy)3]2+ luminophore"),
        ("<scp>KRAS</scp> &amp; <jats:italic>BRAF</jats:italic>", "KRAS & BRAF"),
        ("Promises &amp;amp; Perils", "Promises & Perils"),  # escaped twice
        ("&amp;lt;i&amp;gt;Homo&amp;lt;/i&amp;gt; sapiens", "Homo sapiens"),
        ("p &lt; 0.05 in &#8220;trials&#8221;", "p < 0.05 in \u201ctrials\u201d"),
        ("a < b and c > d", "a < b and c > d"),  # no tag, kept
        ("How Can\n  the History", "How Can the History"),  # arXiv's wrapped titles
    ],
)
def test_plain_text(raw: str, text: str) -> None:
    assert plain(raw) == text


@pytest.mark.parametrize(
    ("ref", "venue"),
    [  # journal_ref values from the recorded arXiv answers (tests/lookup/realdata)
        (
            "2021 IEEE International Conference on Artificial Intelligence Testing (AITest)",
            "AITest 2021",
        ),
        ("2022 IEEE International Conference on Cloud Engineering (IC2E 2022)", "IC2E 2022"),
        (
            "In Proc. ACM SIGSOFT International Symposium on Software Testing and Analysis "
            "(ISSTA 2020), pages 14-26. ACM, 2020",
            "ISSTA 2020",
        ),
        (
            "International Journal of Software Engineering &amp; Applications (IJSEA), Vol.3, "
            "No.1, January 2012",
            "IJSEA 2012",
        ),
        ("SBES 2025 39th Brazilian Symposium on Software Engineering", "SBES 2025"),
        ("ActaAstron.56:1-50,2006", "ActaAstron. 2006"),
        ("Phys.Lett.B573:94-100,2003", "Phys.Lett.B 2003"),
        (
            "Software Testing, Verification and Reliability, 35(2):e1914, 2025",
            "Software Testing, Verification and Reliability 2025",
        ),
        ("Science & Education, September 2014, 23(9): 1853-1873", "Science & Education 2014"),
        (
            "IEEE Transactions on Information Theory ( Volume: 65 , Issue: 4 , April 2019 )",
            "IEEE Transactions on Information Theory 2019",
        ),
        (
            "InProceedings of the 31st ACM SIGSOFT International Symposium on Software Testing "
            "and Analysis 2022 Jul 18 (pp. 289-301)",
            "InProceedings of the 31st ACM SIGSOFT International Symposium on Software",
        ),
        ("Nature", "Nature"),
        ("", None),
    ],
)
def test_journal_reference_is_a_venue(ref: str, venue: str | None) -> None:
    assert venue_from_journal(ref) == venue


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("Accepted to CVPR 2025", "CVPR 2025"),
        ("To appear in ICCV 2021", "ICCV 2021"),
        ("NeurIPS 2023 camera-ready", "NeurIPS 2023"),
        ("15 pages, 5 figures", None),
        ("arXiv 2023", None),
        ("published in 2023", None),
    ],
)
def test_author_venue(text: str, venue: str | None) -> None:
    assert venue_from_text(text) == venue


@pytest.mark.parametrize(
    ("venues", "year", "venue"),
    [
        (["CVPR"], "2025", "CVPR 2025"),
        (["NIPS", "CoRR"], "2017", "NIPS 2017"),
        (["CoRR"], "2023", None),
    ],
)
def test_dblp_venue(venues: list[str], year: str, venue: str | None) -> None:
    assert venue_from_dblp(venues, year) == venue


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Attention Is All You Need", "attention is all you need."),
        ("Attention  is all\nyou need", "ATTENTION IS ALL YOU NEED"),
        (
            "《Dynamic Curriculum for Imbalanced Multimodal Learning》",
            "Dynamic Curriculum for Imbalanced Multimodal Learning",
        ),
        ("ＧＧＴａｌｋｅｒ：Talking Head", "GGTalker: Talking-Head"),
        ("**Question-Aware Gaussian Experts", "Question Aware Gaussian Experts"),
        ("<i>KRAS</i> mutations &amp; more", "KRAS mutations & more"),
    ],
)
def test_titles_fold_alike(a: str, b: str) -> None:
    assert fold_title(a) == fold_title(b)


PIECES = st.sampled_from(["<i>", "</i>", "&amp;", "&lt;b&gt;", " (CVPR)", "Accepted by ", "\n  "])


@given(
    text=st.lists(st.text(max_size=8) | PIECES, max_size=6).map("".join),
    year=st.none() | st.integers(1900, 2100),
)
def test_venue_wording_is_plain_text_for_any_input(text: str, year: int | None) -> None:
    for venue in (
        venue_from_container(text, year, short=text),
        venue_from_openreview(text, year),
        venue_from_journal(text),
        venue_from_text(text),
        venue_from_dblp([text], str(year or "")),
    ):
        assert venue is None or (venue and plain(venue) == venue), venue

"""Venue wording from each service, and title folding."""

from __future__ import annotations

import pytest

from app.core.paper import (
    fold_title,
    venue_from_container,
    venue_from_dblp,
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
        ("", 2020, "", None),
        ("x" * 90, 2020, "", None),
    ],
)
def test_crossref_venue(container: str, year: int, short: str, venue: str | None) -> None:
    assert venue_from_container(container, year, short) == venue


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
        ("", None),
    ],
)
def test_openreview_venue(written: str, venue: str | None) -> None:
    assert venue_from_openreview(written) == venue


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
    ],
)
def test_titles_fold_alike(a: str, b: str) -> None:
    assert fold_title(a) == fold_title(b)

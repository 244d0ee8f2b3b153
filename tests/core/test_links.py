"""Recognising paper links: every form members paste, and what is not a paper link."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.links import PaperRef, canonical, recognise


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://arxiv.org/abs/2108.08504", PaperRef("arxiv", "2108.08504")),
        ("https://arxiv.org/abs/2108.08504v2", PaperRef("arxiv", "2108.08504", "v2")),
        ("https://arxiv.org/pdf/2108.08504", PaperRef("arxiv", "2108.08504")),
        ("https://arxiv.org/pdf/2108.08504v3.pdf", PaperRef("arxiv", "2108.08504", "v3")),
        ("http://export.arxiv.org/abs/1501.00001", PaperRef("arxiv", "1501.00001")),
        ("https://www.arxiv.org/abs/0704.0001", PaperRef("arxiv", "0704.0001")),
        ("https://arxiv.org/abs/arXiv:2108.08504", PaperRef("arxiv", "2108.08504")),
        ("https://arxiv.org/abs/2108.08504?context=cs", PaperRef("arxiv", "2108.08504")),
        ("https://arxiv.org/html/2501.16566v1", PaperRef("arxiv", "2501.16566", "v1")),
        ("<https://arxiv.org/abs/2108.08504>", PaperRef("arxiv", "2108.08504")),
        ("https://arxiv.org/abs/2108.08504。", PaperRef("arxiv", "2108.08504")),
        ("https://arxiv.org/abs/cs/0112017", PaperRef("arxiv", "cs/0112017")),
        ("https://arxiv.org/abs/hep-th/9901001v2", PaperRef("arxiv", "hep-th/9901001", "v2")),
        ("https://arxiv.org/abs/math.GT/0309136", PaperRef("arxiv", "math/0309136")),
        ("arXiv:2108.08504", PaperRef("arxiv", "2108.08504")),
        ("arxiv: 2108.08504v1", PaperRef("arxiv", "2108.08504", "v1")),
        ("https://doi.org/10.1109/CVPR.2016.90", PaperRef("doi", "10.1109/CVPR.2016.90")),
        ("http://dx.doi.org/10.1109/cvpr.2016.90", PaperRef("doi", "10.1109/cvpr.2016.90")),
        ("https://doi.org/10.1145%2F3292500.3330701", PaperRef("doi", "10.1145/3292500.3330701")),
        ("10.1109/CVPR.2016.90", PaperRef("doi", "10.1109/CVPR.2016.90")),
        ("doi:10.1109/CVPR.2016.90.", PaperRef("doi", "10.1109/CVPR.2016.90")),
        ("https://doi.org/10.48550/arXiv.2108.08504", PaperRef("arxiv", "2108.08504")),
        ("10.48550/ARXIV.2309.17453", PaperRef("arxiv", "2309.17453")),
        ("https://openreview.net/forum?id=NG7sS51zVF", PaperRef("openreview", "NG7sS51zVF")),
        ("https://openreview.net/pdf?id=NG7sS51zVF", PaperRef("openreview", "NG7sS51zVF")),
        (
            "https://openreview.net/forum?id=NG7sS51zVF&noteId=x1",
            PaperRef("openreview", "NG7sS51zVF"),
        ),
        ("https://dblp.org/rec/conf/cvpr/HeZRS16.html", PaperRef("dblp", "conf/cvpr/HeZRS16")),
        (
            "https://dblp.org/rec/journals/corr/abs-2309-17453",
            PaperRef("dblp", "journals/corr/abs-2309-17453"),
        ),
        (
            "https://dblp.uni-trier.de/rec/bibtex/conf/iclr/XiaoTCHL24",
            PaperRef("dblp", "conf/iclr/XiaoTCHL24"),
        ),
        ("https://navila-bot.github.io/", None),
        ("https://openaccess.thecvf.com/content/CVPR2023/papers/x.pdf", None),
        ("https://arxiv.org/list/cs.CV/recent", None),
        ("https://openreview.net/group?id=ICLR.cc/2024/Conference", None),
        ("javascript:alert(1)//arxiv.org/abs/2108.08504", None),
        ("ftp://arxiv.org/abs/2108.08504", None),
        # bare ids, as members paste them from the abstract page
        ("2108.08504", PaperRef("arxiv", "2108.08504")),
        ("2405.01234v3", PaperRef("arxiv", "2405.01234", "v3")),
        ("hep-th/9901001", PaperRef("arxiv", "hep-th/9901001")),
        ("arXiv 2405.01234", PaperRef("arxiv", "2405.01234")),
        ("arXiv：2405.01234。", PaperRef("arxiv", "2405.01234")),
        ("2025.07.13", None),
        ("http://[::1", None),  # a half IPv6 literal: urlsplit raises, recognise does not
        ("https://example.org:99999/x", None),
        ("", None),
        ("论文链接见正文", None),
    ],
)
def test_recognise(text: str, expected: PaperRef | None) -> None:
    assert recognise(text) == expected


@pytest.mark.parametrize(
    ("ref", "link"),
    [
        (PaperRef("arxiv", "2108.08504", "v2"), "https://arxiv.org/abs/2108.08504v2"),
        (PaperRef("arxiv", "cs/0112017"), "https://arxiv.org/abs/cs/0112017"),
        (PaperRef("doi", "10.1109/CVPR.2016.90"), "https://doi.org/10.1109/CVPR.2016.90"),
        (PaperRef("openreview", "NG7sS51zVF"), "https://openreview.net/forum?id=NG7sS51zVF"),
        (PaperRef("dblp", "conf/cvpr/HeZRS16"), "https://dblp.org/rec/conf/cvpr/HeZRS16"),
    ],
)
def test_canonical_link(ref: PaperRef, link: str) -> None:
    assert ref.link == link
    assert recognise(link) == ref


@pytest.mark.parametrize(
    ("link", "written"),
    [
        ("https://arxiv.org/pdf/2501.16566", "https://arxiv.org/abs/2501.16566"),
        ("https://arxiv.org/pdf/2501.16566v2.pdf", "https://arxiv.org/abs/2501.16566v2"),
        ("https://doi.org/10.1109/CVPR.2016.90", "https://doi.org/10.1109/CVPR.2016.90"),
        ("https://navila-bot.github.io/", "https://navila-bot.github.io/"),
    ],
)
def test_arxiv_pdf_links_become_abs_pages(link: str, written: str) -> None:
    assert canonical(link) == written


@given(st.text(max_size=300))
def test_recognise_never_raises(text: str) -> None:
    ref = recognise(text)
    assert ref is None or recognise(ref.link) == ref

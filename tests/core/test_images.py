"""Images in member text: found in every form they are pasted in, written so they display."""

from __future__ import annotations

import pytest

from app.core.images import displayable, images_in, without_images

ASSET = "https://github.com/user-attachments/assets/1b39738f-33ee-4b89-b7d1-6d2abf81d614"


@pytest.mark.parametrize(
    ("text", "found", "left"),
    [
        # a desktop paste into a textarea
        (
            f'看图：\r\n<img width="900" alt="image" src="{ASSET}" />\r\n就是这样',
            [ASSET],
            "看图：\n\n就是这样",
        ),
        # a phone paste
        (f"![image]({ASSET})\n\n本文提出", [ASSET], "本文提出"),
        # an image wrapped in a link, inline in a sentence
        ("见[![fig](https://x.org/a.png)](https://x.org)所示", ["https://x.org/a.png"], "见所示"),
        # a bare image link on its own line
        ("https://x.org/fig.JPG?raw=1\n文字", ["https://x.org/fig.JPG?raw=1"], "文字"),
        (f"{ASSET}", [ASSET], ""),
        # a bare link that is no image stays text
        ("https://arxiv.org/abs/1706.03762", [], "https://arxiv.org/abs/1706.03762"),
        ("no image here", [], "no image here"),
    ],
)
def test_images_found_and_removed(text: str, found: list[str], left: str) -> None:
    text = text.replace("\r\n", "\n")
    assert images_in(text) == found
    assert without_images(text) == left


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://github.com/ReadingPapers/Report/blob/main/Images/VLNR1.png",
            "https://github.com/ReadingPapers/Report/raw/main/Images/VLNR1.png",
        ),
        (
            "https://github.com/o/r/blob/feature/x/dir/a%20b.png",
            "https://github.com/o/r/raw/feature/x/dir/a%20b.png",
        ),
        (ASSET, ASSET),
        (
            "https://raw.githubusercontent.com/o/r/main/a.png",
            "https://raw.githubusercontent.com/o/r/main/a.png",
        ),
    ],
)
def test_blob_links_become_raw_links(url: str, shown: str) -> None:
    assert displayable(url) == shown


def test_an_unclosed_tag_is_no_image_and_loses_no_text() -> None:
    text = '<img src="https://x.org/a.png" 然后是很长的一段简述，没有结尾的尖括号'
    assert images_in(text) == [] and without_images(text) == text

"""``paperbot normalize`` on a copy of the real README."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.main import main
from tests.conftest import FIXTURES


@pytest.fixture
def readme(tmp_path: Path) -> Path:
    path = tmp_path / "README.md"
    seed = (FIXTURES / "seed_README.md").read_bytes()
    path.write_bytes(b"\xef\xbb\xbf" + seed.replace(b"\n", b"\r\n"))  # a Windows editor's save
    return path


def test_shows_the_diff_and_writes_nothing(
    readme: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = readme.read_bytes()
    assert main(["normalize", str(readme)]) == 0
    out, err = capsys.readouterr()
    assert "->>[2025-06-29]-[陈银]-[**Question-Aware Gaussian Experts" in out
    assert "+> > [2025-06-29]-[陈银]-[**Question-Aware Gaussian Experts" in out
    assert "135 条历史记录（共 144 条）" in err
    assert "大致搜索一些文章，本周未精读" not in out  # a skip's own words are kept
    assert readme.read_bytes() == before


def test_write_then_nothing_left(readme: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["normalize", str(readme), "--write"]) == 0
    assert f"{readme}: updated" in capsys.readouterr().out
    written = readme.read_bytes()
    assert (
        written.startswith(b"\xef\xbb\xbf")
        and b"\r\n" in written
        and b"\n" not in written.replace(b"\r\n", b"")
    )
    assert main(["normalize", str(readme), "--write"]) == 0
    out, err = capsys.readouterr()
    assert "already up to date" in out and "无需改动" in err
    assert readme.read_bytes() == written


def test_english(readme: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "paperbot.yml"
    config.write_text("language: en\n", encoding="utf-8")
    assert main(["normalize", str(readme), "--config", str(config)]) == 0
    assert "Rewrites 135 of the 144 entries" in capsys.readouterr().err

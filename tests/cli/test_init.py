"""``paperbot init`` in a checkout holding the real README."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.cli.init import workflow
from app.cli.main import main
from app.core.config import load_config
from app.core.forms import render_forms
from tests.conftest import FIXTURES

ROOT = Path(__file__).parents[2]
FILES = (
    ".github/ISSUE_TEMPLATE/paper-report.yml",
    ".github/ISSUE_TEMPLATE/skip-week.yml",
    ".github/paperbot.yml",
)


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    (tmp_path / "README.md").write_bytes((FIXTURES / "seed_README.md").read_bytes())
    return tmp_path


def test_writes_the_three_files_and_says_what_it_found(
    checkout: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(checkout)]) == 0
    out = capsys.readouterr().out
    assert "144 条记录（93 篇精读，51 次本周未精读），最近一条 2025-07-06" in out
    assert (
        "10 位成员（记录数）：陈银 (20)" in out and "每周从 周一 开始（记录大多写在 周日）" in out
    )
    assert "lint 249: duplicate: 与第 214 行是同一条记录（陈银）" in out  # the README's language
    assert [f"wrote {checkout / p}" in out for p in FILES] == [True] * 3
    forms = render_forms("zh")
    assert (checkout / FILES[0]).read_text(encoding="utf-8") == forms["paper-report.yml"]
    assert load_config((checkout / FILES[2]).read_text(encoding="utf-8")).week_start == "monday"
    assert not (checkout / ".github/workflows").exists()


def test_never_overwrites_without_force(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mine = checkout / FILES[2]
    mine.parent.mkdir(parents=True)
    mine.write_text("language: en\n", encoding="utf-8")
    assert main(["init", str(checkout)]) == 0
    out = capsys.readouterr().out
    assert mine.read_text(encoding="utf-8") == "language: en\n"
    assert f"kept    {mine} (exists)" in out and "1 file(s) kept as they were: --force" in out
    assert "paperbot read" not in out and "3 entries" not in out
    assert "144 entries (93 papers, 51 weeks skipped)" in out  # the existing config's language
    assert main(["init", str(checkout), "--force"]) == 0
    assert f"overwrote {mine}" in capsys.readouterr().out
    assert load_config(mine.read_text(encoding="utf-8")).language == "en"


def test_actions_adds_the_workflow(checkout: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(checkout), "--actions"]) == 0
    written = (checkout / ".github/workflows/paperbot.yml").read_text(encoding="utf-8")
    assert written == (ROOT / "deploy/workflows/paperbot.yml").read_text(encoding="utf-8")
    assert "set its `uses:` line" in capsys.readouterr().out


def test_the_shipped_workflow_is_the_deploy_copy() -> None:
    assert workflow() == (ROOT / "deploy/workflows/paperbot.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("readme", "error"),
    [
        (None, "README.md: no such file"),
        ("# Our group\n", "README.md 中找不到插入标记「==> 时间倒序，本次更新插入位置 <==」"),
    ],
)
def test_a_checkout_it_cannot_set_up(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], readme: str | None, error: str
) -> None:
    if readme is not None:
        (tmp_path / "README.md").write_text(readme, encoding="utf-8")
    assert main(["init", str(tmp_path)]) == 2
    assert error in capsys.readouterr().err
    assert not (tmp_path / ".github").exists()

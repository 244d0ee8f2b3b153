"""The paperbot command line, run as a member or maintainer would run it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_corpus import inserted
from tests.conftest import FIXTURES

REPORT = """### 日期

2025-07-06

### 姓名

新人

### 论文标题

A New Paper

### 论文链接

https://arxiv.org/abs/2401.00001

### 来源

_No response_

### 论文框架图

![image](https://github.com/user-attachments/assets/1b39738f-33ee-4b89-b7d1-6d2abf81d614)

### 论文简述

一句话总结。
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.fixture
def issue(tmp_path: Path) -> Path:
    path = tmp_path / "issue.md"
    path.write_text(REPORT, encoding="utf-8")
    return path


def test_render_prints_the_block(issue: Path) -> None:
    got = run("render", str(issue))
    assert got.returncode == 0, got.stderr
    assert got.stdout.splitlines()[0] == (
        "> > [2025-07-06]-[新人]-[A New Paper](https://arxiv.org/abs/2401.00001)"
    )


def test_render_lists_bad_fields_by_label(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(REPORT.replace("2025-07-06", "next week").replace("https://arxiv", "arxiv"))
    got = run("render", str(bad))
    assert got.returncode == 1 and got.stdout == ""
    assert got.stderr.splitlines() == [
        "日期: 日期格式应为 YYYY-MM-DD，例如 2025-07-06（收到：next week）",
        "论文链接: 应为 http(s) 链接，例如 https://arxiv.org/abs/2108.08504"
        " （收到：arxiv.org/abs/2401.00001）",
    ]


def test_apply_shows_a_diff_then_writes(tmp_path: Path, issue: Path) -> None:
    readme = tmp_path / "README.md"
    original = (FIXTURES / "seed_README.md").read_text(encoding="utf-8")
    readme.write_text(original, encoding="utf-8")
    diff = run("apply", str(readme), str(issue))
    assert diff.returncode == 0 and "+> > [2025-07-06]-[新人]-[A New Paper]" in diff.stdout
    assert readme.read_text(encoding="utf-8") == original
    wrote = run("apply", str(readme), str(issue), "--write")
    assert wrote.returncode == 0 and "updated" in wrote.stdout
    again = run("apply", str(readme), str(issue), "--write")
    assert "already up to date" in again.stdout
    shown = run("apply", str(readme), str(issue))  # no --write: the same answer, not silence
    assert shown.returncode == 0 and shown.stdout == f"{readme}: already up to date\n"


def test_apply_with_errors_leaves_the_file(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("no marker\n", encoding="utf-8")
    bad = tmp_path / "i.md"
    bad.write_text("[2025-07-06]-[a]-本周未精读", encoding="utf-8")
    got = run("apply", str(readme), str(bad), "--write")
    assert got.returncode == 1 and "找不到插入标记" in got.stderr
    assert readme.read_text(encoding="utf-8") == "no marker\n"


DUPLICATE = (
    "### 日期\n\n2025-07-06\n\n### 姓名\n\n张宇\n\n### 论文标题\n\nUnderstanding and "
    "Mitigating Annotation Bias in Facial Expression Recognition\n\n### 论文简述\n\n短。\n"
)


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("zh", "paperbot: {path} 第 26 行已有这条记录（2025-07-06，张宇）；paperbot 不会覆盖它"),
        (
            "en",
            "paperbot: already in {path} at line 26 (2025-07-06, 张宇); "
            "paperbot does not replace it",
        ),
    ],
)
def test_apply_refuses_an_entry_it_did_not_make(tmp_path: Path, language: str, says: str) -> None:
    readme, body, config = tmp_path / "README.md", tmp_path / "i.md", tmp_path / "c.yml"
    original = (FIXTURES / "seed_README.md").read_bytes()
    readme.write_bytes(original)
    body.write_text(DUPLICATE, encoding="utf-8")
    config.write_text(f"language: {language}\n", encoding="utf-8")
    got = run("apply", str(readme), str(body), "--write", "--config", str(config))
    assert got.returncode == 1 and got.stderr == says.format(path=readme) + "\n"
    assert readme.read_bytes() == original


def test_apply_keeps_a_crlf_readme_byte_for_byte(tmp_path: Path, issue: Path) -> None:
    readme = tmp_path / "README.md"
    original = b"\xef\xbb\xbf" + (FIXTURES / "seed_README.md").read_bytes().replace(b"\n", b"\r\n")
    readme.write_bytes(original)
    diff = run("apply", str(readme), str(issue))
    added = [x for x in diff.stdout.splitlines() if x.startswith("+") and not x.startswith("+++")]
    removed = [x for x in diff.stdout.splitlines() if x.startswith("-") and not x.startswith("---")]
    assert (len(added), removed) == (7, []), diff.stdout  # a spacer and the block, nothing else
    assert run("apply", str(readme), str(issue), "--write").returncode == 0
    block = inserted(original, readme.read_bytes())
    assert block.startswith(">\r\n> > [2025-07-06]-[新人]-[A New Paper]".encode())
    assert block.count(b"\r\n") == 7 == block.count(b"\n")


def test_lint_reads_a_crlf_readme_the_same(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_bytes((FIXTURES / "seed_README.md").read_bytes().replace(b"\n", b"\r\n"))
    got = run("lint", str(readme))
    plain = run("lint", str(FIXTURES / "seed_README.md"))
    strip = len(str(readme)), len(str(FIXTURES / "seed_README.md"))
    assert [x[strip[0] :] for x in got.stdout.splitlines()] == [
        x[strip[1] :] for x in plain.stdout.splitlines()
    ]


def test_lint_the_seed(tmp_path: Path) -> None:
    got = run("lint", str(FIXTURES / "seed_README.md"))
    assert got.returncode == 1 and got.stderr == "共 4 处问题\n"
    lines = got.stdout.splitlines()
    assert len(lines) == 4 and lines[2].endswith(
        ":583: date: 日期 2024-01-12 可疑：周围的记录都在 2025-01（是否应为 2025-01-12？）"
    )
    config = tmp_path / "paperbot.yml"
    config.write_text("language: en\n", encoding="utf-8")
    got = run("lint", "--config", str(config), str(FIXTURES / "seed_README.md"))
    assert got.returncode == 1 and got.stderr == "4 finding(s)\n"
    assert got.stdout.splitlines()[2].endswith(
        ":583: date: suspicious date 2024-01-12 among entries of 2025-01 (did you mean 2025-01-12?)"
    )


def test_dashboard_of_the_seed_at_a_fixed_date(tmp_path: Path) -> None:
    config = tmp_path / "paperbot.yml"
    config.write_text("members:\n  zhangyu: 张宇\n  newbie: 新人\n", encoding="utf-8")
    seed = str(FIXTURES / "seed_README.md")
    got = run("dashboard", seed, "--config", str(config), "--today", "2025-07-06")
    assert got.returncode == 0, got.stderr
    lines = got.stdout.splitlines()
    assert lines[:2] == ["<!-- paperbot:dashboard -->", "## 本周 · 2025-06-30 至 2025-07-06"]
    assert "| 张宇 | ✅✅❌💤✅✅❌✅💤✅✅✅ | 8 | 13 | 3 |" in lines
    assert "- ❌ **新人** 尚无记录" in lines and "```mermaid" in lines
    assert run("dashboard", seed, "--today", "2025-07-06").stdout == got.stdout.replace(
        "- ❌ **新人** 尚无记录\n", ""
    ).replace("| 新人 | ❌❌❌❌❌❌❌❌❌❌❌❌ | 0 | 0 | 0 |\n", "")
    bad = run("dashboard", seed, "--today", "7/6")
    assert bad.returncode == 2 and "expected YYYY-MM-DD" in bad.stderr


def test_forms_writes_both_forms(tmp_path: Path) -> None:
    got = run("forms", "--out", str(tmp_path / "forms"))
    assert got.returncode == 0
    assert sorted(p.name for p in (tmp_path / "forms").iterdir()) == [
        "paper-report.yml",
        "skip-week.yml",
    ]


def test_forms_follow_the_configured_language(tmp_path: Path) -> None:
    config = tmp_path / "paperbot.yml"
    config.write_text("language: en\n", encoding="utf-8")
    got = run("forms", "--out", str(tmp_path / "forms"), "--config", str(config))
    assert got.returncode == 0, got.stderr
    report = (tmp_path / "forms" / "paper-report.yml").read_text(encoding="utf-8")
    assert "name: Paper report" in report and "label: Paper title" in report
    assert "论文" not in report


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["render", "/no/such/file.md"], "paperbot: error: /no/such/file.md: no such file"),
        (["lint", "LATIN1"], "not UTF-8 text"),
        (["render", "ISSUE", "--config", "BADCONFIG"], "limits.summary_max"),
    ],
)
def test_clear_one_line_errors(tmp_path: Path, args: list[str], says: str) -> None:
    (tmp_path / "LATIN1").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "ISSUE").write_text(REPORT, encoding="utf-8")
    (tmp_path / "BADCONFIG").write_text("limits: {summary_max: -1}\n", encoding="utf-8")
    got = run(*args, cwd=tmp_path)
    assert got.returncode in (1, 2) and says in got.stderr, got.stderr


@pytest.mark.parametrize(
    "command", ["render", "apply", "lint", "forms", "dashboard", "lookup", "normalize"]
)
def test_help_on_every_command(command: str) -> None:
    got = run(command, "--help")
    assert got.returncode == 0 and "usage: paperbot" in got.stdout


@pytest.mark.parametrize("command", ["lint", "normalize", "apply"])
def test_a_bad_config_file_is_named_as_given(tmp_path: Path, issue: Path, command: str) -> None:
    (tmp_path / "bad.yml").write_text("language: fr\n", encoding="utf-8")
    readme = str(FIXTURES / "seed_README.md")
    extra = [str(issue)] if command == "apply" else []
    got = run(command, readme, *extra, "--config", "bad.yml", cwd=tmp_path)
    assert got.returncode != 0 and got.stderr.splitlines() == [
        "paperbot: bad.yml 中有无效的选项：",  # zh: the language it asks for is not one
        "- language: Input should be 'zh' or 'en'",
    ]

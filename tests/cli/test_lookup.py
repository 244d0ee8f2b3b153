"""``paperbot lookup LINK`` against the fake metadata services."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.cli.main import main
from app.lookup.fake.server import FakeMetadata, serve
from app.lookup.resolve import PROCESS_WIDE
from tests.conftest import FIXTURES


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMetadata]:
    for pacing in PROCESS_WIDE.values():  # the real services' pacing, not the fake's
        monkeypatch.setattr(pacing, "interval", 0.0)
    with serve() as fake:
        for name, value in fake.settings().model_dump(by_alias=True).items():
            monkeypatch.setenv(name, str(value))
        yield fake


def test_prints_what_was_found(services: FakeMetadata, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "https://arxiv.org/pdf/2309.17453"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "title:   Efficient Streaming Language Models with Attention Sinks",
        "venue:   ICLR 2024",
    ]
    assert "link:    https://arxiv.org/abs/2309.17453" in out


def test_json(services: FakeMetadata, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lookup", "--json", "10.1109/CVPR.2016.90"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["venue"], data["source"]) == ("CVPR 2016", "crossref")


def test_says_why_nothing_was_found(
    services: FakeMetadata, capsys: pytest.CaptureFixture[str]
) -> None:
    services.fail("openreview", 403)
    assert main(["lookup", "https://openreview.net/forum?id=NG7sS51zVF"]) == 1
    assert capsys.readouterr().err == "paperbot: OpenReview refused the request (HTTP 403)\n"


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "paperbot: could not reach arXiv (ConnectError)\n"),
        ("zh", "paperbot: 无法连接 arXiv (ConnectError)\n"),
    ],
)
def test_a_service_out_of_reach_is_not_nothing_found(
    services: FakeMetadata,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    language: str,
    said: str,
) -> None:
    with socket.socket() as s:  # a port nobody listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("PAPERBOT_ARXIV_API", f"http://127.0.0.1:{port}/api/query")
    assert main(["lookup", "--language", language, "https://arxiv.org/abs/2309.17453"]) == 1
    assert capsys.readouterr().err == said


def test_off(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PAPERBOT_METADATA", "off")
    assert main(["lookup", "https://arxiv.org/abs/2309.17453"]) == 1
    assert capsys.readouterr().err == "paperbot: metadata lookups are off\n"


def test_bad_setting(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PAPERBOT_DBLP_API", "dblp.org")
    assert main(["lookup", "https://arxiv.org/abs/2309.17453"]) == 2
    assert "PAPERBOT_DBLP_API: " in capsys.readouterr().err


BARE = (
    "### 日期\n\n2025-07-06\n\n### 姓名\n\n新人\n\n### 论文链接\n\n"
    "https://arxiv.org/pdf/2108.08504\n\n### 论文简述\n\n一句话。"
)


def test_render_looks_the_paper_up(
    services: FakeMetadata, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = tmp_path / "issue.md"
    issue.write_text(BARE, encoding="utf-8")
    assert main(["render", str(issue), "--today", "2025-07-10"]) == 0
    out, err = capsys.readouterr()
    assert out.split("\n")[0] == (
        "> > [2025-07-06]-[新人]-[Understanding and Mitigating Annotation Bias in Facial "
        "Expression Recognition](https://arxiv.org/abs/2108.08504)-[ICCV 2021]"
    )
    assert "note: 来源: 已根据 arXiv 填写：ICCV 2021" in err


def test_offline_looks_nothing_up(
    services: FakeMetadata, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue = tmp_path / "issue.md"
    issue.write_text(BARE, encoding="utf-8")
    assert main(["render", str(issue), "--today", "2025-07-10", "--offline"]) == 1
    assert "论文标题: 必填" in capsys.readouterr().err and services.seen == []


def test_apply_says_who_read_it_already(
    services: FakeMetadata, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    issue, readme = tmp_path / "issue.md", tmp_path / "README.md"
    issue.write_text(BARE, encoding="utf-8")
    readme.write_bytes((FIXTURES / "seed_README.md").read_bytes())
    assert main(["apply", str(readme), str(issue), "--today", "2025-07-10"]) == 0
    assert "note: 已有人精读: 已于 2025-07-06 由 张宇 精读" in capsys.readouterr().err

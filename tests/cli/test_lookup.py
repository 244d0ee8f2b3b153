"""``paperbot lookup LINK`` against the fake metadata services."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from app.cli.main import main
from app.lookup.fake.server import FakeMetadata, serve


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeMetadata]:
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
    assert capsys.readouterr().err == ("paperbot: nothing found (OpenReview: refused; HTTP 403)\n")


def test_off(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PAPERBOT_METADATA", "off")
    assert main(["lookup", "https://arxiv.org/abs/2309.17453"]) == 1
    assert "lookups are off" in capsys.readouterr().err


def test_bad_setting(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PAPERBOT_DBLP_API", "dblp.org")
    assert main(["lookup", "https://arxiv.org/abs/2309.17453"]) == 2
    assert "PAPERBOT_DBLP_API: " in capsys.readouterr().err

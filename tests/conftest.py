"""Shared test fixtures: the seed README and a fixed 'today'."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.config import Config

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2025, 7, 10)


@pytest.fixture(scope="session")
def seed() -> str:
    return (FIXTURES / "seed_README.md").read_text(encoding="utf-8")


@pytest.fixture
def config() -> Config:
    return Config()

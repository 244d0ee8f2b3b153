"""The fuzzers' own checks can fail: each is shown a broken result and must catch it."""

from __future__ import annotations

import pytest

from app.core.config import DEFAULT_MARKER
from tests.fuzz import checks

FIELDS = {
    "name": "新人",
    "title": "A Paper",
    "link": "https://arxiv.org/abs/2401.00001",
    "venue": "NeurIPS 2025",
    "summary": "一句话。",
}
README = f"# log\n> {DEFAULT_MARKER}\n>\n> > [2025-06-29]-[老人]-[Old](https://a.b)\n> >\n"


@pytest.mark.parametrize(
    ("old", "new", "contiguous"),
    [
        (["a", "b"], ["a", "x", "y", "b"], True),
        (["a", "b"], ["x", "a", "b"], True),
        (["a", "b"], ["a", "b", "x"], True),
        (["a", "b"], ["a", "b", "b"], True),
        (["a", "b", "c"], ["a", "x", "b", "y", "c"], False),  # two runs
        (["a", "b"], ["a", "x", "c"], False),  # a line changed
        (["a", "b"], ["a"], False),
        (["a", "b"], ["a", "b"], False),
    ],
)
def test_added_run_is_exactly_one_contiguous_insertion(
    old: list[str], new: list[str], contiguous: bool
) -> None:
    assert checks.added_run(old, new) is contiguous


def test_check_insert_passes_a_real_insertion() -> None:
    new = checks.check_insert(README, FIELDS)
    assert new is not None and "[新人]" in new and new != README
    assert checks.check_insert(new, FIELDS) == new  # the same entry again: no change


@pytest.mark.parametrize(
    "broken",
    [
        lambda text: text.replace("# log\n", "# log\nstray\n", 1) + "> > extra\n",  # two runs
        lambda text: text.replace("[老人]", "[别人]"),  # an unrelated entry rewritten too
    ],
)
def test_check_insert_catches_a_change_that_is_not_one_run(
    monkeypatch: pytest.MonkeyPatch, broken: object
) -> None:
    real = checks.insert
    assert callable(broken)
    monkeypatch.setattr(checks, "insert", lambda *a, **k: broken(real(*a, **k)))
    with pytest.raises(AssertionError, match="contiguous"):
        checks.check_insert(README, FIELDS)

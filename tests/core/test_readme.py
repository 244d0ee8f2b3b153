"""Inserting a block into README text: position, purity, replacement, markers."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.config import DEFAULT_MARKER, Template
from app.core.entry import Report, Skip, key
from app.core.errors import DuplicateEntry, MarkerError
from app.core.readme import entries, insert
from app.core.render import render
from tests.core.markdown import blockquote_at, flat, html

M = DEFAULT_MARKER
HEAD = f"# Log\n\n> {M}\n> \n"
TAIL = "\n\n归档在别处。\n"


def block_of(entry: Report | Skip) -> str:
    return render(entry, Template())


def rep(day: str, name: str = "a", title: str = "T") -> Report:
    return Report(date=dt.date.fromisoformat(day), name=name, title=title, summary="S")


def readme(*days: str) -> str:
    return HEAD + "".join(block_of(rep(d, name=f"m{i}")) for i, d in enumerate(days)) + TAIL


def dates_in(text: str) -> list[str]:
    return [e.date for _, e in entries(text, marker=M) if e]


@pytest.mark.parametrize(
    ("existing", "new", "expected"),
    [
        ((), "2025-07-06", ["2025-07-06"]),
        (("2025-06-29",), "2025-07-06", ["2025-07-06", "2025-06-29"]),
        (("2025-07-06", "2025-06-29"), "2025-07-06", ["2025-07-06", "2025-07-06", "2025-06-29"]),
        (("2025-07-13", "2025-06-29"), "2025-07-06", ["2025-07-13", "2025-07-06", "2025-06-29"]),
        (("2025-07-13", "2025-07-06"), "2025-06-29", ["2025-07-13", "2025-07-06", "2025-06-29"]),
    ],
)
def test_goes_above_the_first_older_entry(
    existing: tuple[str, ...], new: str, expected: list[str]
) -> None:
    entry = rep(new, name="new")
    out = insert(readme(*existing), block_of(entry), entry=entry, marker=M)
    assert dates_in(out) == expected
    names = [e.name for _, e in entries(out, marker=M) if e]
    assert names.index("new") == len([d for d in existing if d >= new])


def test_late_entry_goes_after_all_of_its_own_date() -> None:
    text = readme("2025-07-13", "2025-07-06", "2025-07-06", "2025-06-29")
    entry = rep("2025-07-06", name="late")
    names = [
        e.name
        for _, e in entries(insert(text, block_of(entry), entry=entry, marker=M), marker=M)
        if e
    ]
    assert names == ["m0", "m1", "m2", "late", "m3"]


def test_seed_insertion_is_pure_and_renders_as_its_own_blockquote(seed: str) -> None:
    entry = Report(
        date=dt.date(2025, 6, 29),
        name="新人",
        title="New Paper",
        figure="https://x.org/f.png",
        summary="简述。",
    )
    out = insert(seed, block_of(entry), entry=entry, marker=M)
    assert_one_run_added(seed, out)
    page = html(out)
    start, end = blockquote_at(page, "[2025-06-29]-[新人]-[New Paper]")
    assert '<img width="512" alt="image" src="https://x.org/f.png">' in page[start:end]
    assert page[start:end].count("<blockquote>") == 1
    assert flat(page[:start] + page[end:]) == flat(html(seed))


def test_same_entry_twice_is_a_no_op_and_only_its_own_entry_is_replaced(seed: str) -> None:
    entry = rep("2025-06-29", name="新人")
    once = insert(seed, block_of(entry), entry=entry, marker=M)
    assert insert(once, block_of(entry), entry=entry, marker=M) == once
    edited = entry.model_copy(update={"summary": "改过的简述"})
    with pytest.raises(DuplicateEntry):
        insert(once, block_of(edited), entry=edited, marker=M)
    twice = insert(once, block_of(edited), entry=edited, marker=M, previous=key(entry))
    assert twice.count("[2025-06-29]-[新人]") == 1 and "改过的简述" in twice
    assert len(twice.splitlines()) == len(once.splitlines())


def test_previous_key_replaces_the_entry_this_submission_made() -> None:
    old = rep("2025-07-06", name="a", title="Old")
    text = insert(readme("2025-06-29"), block_of(old), entry=old, marker=M)
    new = rep("2025-07-06", name="a", title="New title")
    out = insert(text, block_of(new), entry=new, marker=M, previous=key(old))
    assert "[Old]" not in out and out.count("[New title]") == 1


@pytest.mark.parametrize(
    ("entry", "line", "says"),
    [
        # the hand-written entry with its long summary, from the issue
        (
            Report(
                date=dt.date(2025, 7, 6),
                name="张宇",
                title="Understanding and Mitigating Annotation Bias in Facial Expression "
                "Recognition",
                summary="短的",
            ),
            26,
            "README.md 第 26 行已有这条记录（2025-07-06，张宇）",
        ),
        (
            Skip(date=dt.date(2025, 6, 29), name="何艺超", reason="比赛"),
            59,
            "README.md 第 59 行已有这条记录（2025-06-29，何艺超）",
        ),
    ],
)
def test_an_entry_it_did_not_make_is_never_replaced(
    seed: str, entry: Report | Skip, line: int, says: str
) -> None:
    with pytest.raises(DuplicateEntry, match=says) as info:
        insert(seed, block_of(entry), entry=entry, marker=M)
    assert info.value.line == line
    other_issue = rep("2025-01-01", name="x")  # a previous key that is not this entry's
    with pytest.raises(DuplicateEntry):
        insert(seed, block_of(entry), entry=entry, marker=M, previous=key(other_issue))


def test_duplicate_message_in_english(seed: str) -> None:
    entry = Skip(date=dt.date(2025, 6, 29), name="何艺超", reason="比赛")
    with pytest.raises(
        DuplicateEntry, match=r"already in README.md at line 59 \(2025-06-29, 何艺超\)"
    ):
        insert(seed, block_of(entry), entry=entry, marker=M, lang="en")


@pytest.mark.parametrize(
    ("text", "says"),
    [("# no marker here\n", "找不到插入标记"), (f"> {M}\n> {M}\n", "有 2 处插入标记")],
)
def test_marker_must_be_there_exactly_once(text: str, says: str) -> None:
    entry = rep("2025-07-06")
    with pytest.raises(MarkerError, match=says):
        insert(text, block_of(entry), entry=entry, marker=M)


# entries that run to the end of the file, the last one without its closing spacer line
TO_THE_END = f"# Log\n\n> {M}\n> > [2025-06-29]-[a]-[T]\n> >\n> > 论文简述：S"
WITH_TAIL = HEAD + block_of(rep("2025-06-29")) + TAIL.rstrip("\n")


@pytest.mark.parametrize("base", [WITH_TAIL, TO_THE_END], ids=["tail", "to-the-end"])
@pytest.mark.parametrize("bom", ["", "\ufeff"], ids=["", "bom"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("final", [True, False], ids=["final-newline", "no-final-newline"])
@pytest.mark.parametrize("day", ["2025-07-13", "2025-06-01"], ids=["top", "bottom"])
def test_bytes_are_kept_but_for_the_inserted_lines(
    base: str, bom: str, newline: str, final: bool, day: str
) -> None:
    text = bom + base.replace("\n", newline) + (newline if final else "")
    entry = rep(day, name="new")
    out = insert(text, block_of(entry), entry=entry, marker=M)
    assert_one_run_added(text, out, newline)
    assert "\n" not in out.replace(newline, "") and "\r" not in out.replace(newline, "")
    assert out.startswith(bom + "# Log") and out.endswith(newline) == final
    assert [e.name for _, e in entries(out, marker=M) if e].count("new") == 1


# Property-based: generated READMEs and entries.
names = st.text(alphabet="张李王赵abcxyz", min_size=1, max_size=6)
days = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 1, 1))
summaries = st.text(min_size=1, max_size=80).map(lambda s: s.strip() or "S")
reports = st.builds(
    Report,
    date=days,
    name=names,
    title=st.text("abc XYZ", min_size=1, max_size=12).map(str.strip).filter(bool),
    summary=summaries,
)
skips = st.builds(Skip, date=days, name=names)
any_entry = st.one_of(reports, skips)


@st.composite
def readmes(draw: st.DrawFn) -> str:
    existing = sorted(
        draw(st.lists(any_entry, max_size=8, unique_by=key)), key=lambda e: e.date, reverse=True
    )
    head = draw(st.sampled_from([HEAD, f"> {M}\n", f"intro\n\n> {M}\n>\n"]))
    return head + "".join(block_of(e) for e in existing) + draw(st.sampled_from(["", TAIL]))


def assert_one_run_added(old: str, new: str, newline: str | None = None) -> None:
    a, b = (
        (old.split(newline), new.split(newline))
        if newline
        else (old.splitlines(), new.splitlines())
    )
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    added = len(b) - len(a)
    assert added > 0 and b[:i] == a[:i] and b[i + added :] == a[i:]


@settings(max_examples=150, deadline=None)
@given(readmes(), any_entry)
def test_property_insert_is_pure_ordered_idempotent(text: str, entry: Report | Skip) -> None:
    block = block_of(entry)
    before = {key_(e) for _, e in entries(text, marker=M)}
    try:
        out = insert(text, block, entry=entry, marker=M)
    except DuplicateEntry:  # the same key, written differently: never replaced
        assert key(entry) in before and block not in text
        return
    if out == text:  # the same key was already there with the same block
        assert block in text
        return
    assert_one_run_added(text, out)
    assert insert(out, block, entry=entry, marker=M) == out
    assert out.count(M) == 1
    got = [e for _, e in entries(out, marker=M)]
    assert all(e is not None for e in got)
    found = [e for e in got if e and key_(e) == key(entry)]
    assert len(found) == 1
    listed = [dt.date.fromisoformat(e.date) for e in got if e]
    assert listed == sorted(listed, reverse=True)


def key_(raw: object) -> tuple[str, str, str]:
    from app.core.entry import entry_key, parse_date

    day = parse_date(raw.date)  # type: ignore[attr-defined]
    assert day is not None
    title = raw.title if raw.kind == "report" else ""  # type: ignore[attr-defined]
    return entry_key(day, raw.name, title=title)  # type: ignore[attr-defined]


AWESOME = Template(report="- {title}{venue} — {summary}\n", venue=" ({venue})")


def test_a_list_template_goes_under_the_marker_and_twice_is_a_no_op() -> None:
    text = "# Awesome\n\n<!-- add -->\n- [Old](https://x.org) — old\n\n## Other\n"
    entry = Report(
        date=dt.date(2025, 7, 6),
        name="a",
        title="New",
        link="https://n.org",
        venue="ICCV",
        summary="good",
    )
    block = render(entry, AWESOME)
    once = insert(text, block, entry=entry, marker="<!-- add -->")
    assert once == text.replace("<!-- add -->\n", "<!-- add -->\n" + block)
    assert block == "- [New](https://n.org) (ICCV) — good\n"
    assert insert(once, block, entry=entry, marker="<!-- add -->") == once

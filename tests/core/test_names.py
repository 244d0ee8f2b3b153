"""Names close to a member's get "did you mean …?"; a member's own name, or a new one, nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.core.config import Config
from app.core.i18n import Lang
from app.core.names import hint, in_readme, near
from app.core.submission import apply, build

MEMBERS = ["李明", "何艺超", "陈银", "Alex Chen", "曾小贤", "张宇"]
SEED = (Path(__file__).parents[1] / "fixtures" / "seed_README.md").read_text(encoding="utf-8")
TODAY = dt.date(2025, 7, 14)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("李 明", "李明"),  # a space inside
        ("李明🎉", "李明"),  # an emoji added
        ("李明 Leo", "李明"),  # a nickname beside it
        ("小李-李明", "李明"),
        ("Li Ming", "李明"),  # pinyin, family name first
        ("liming", "李明"),
        ("Ming Li", "李明"),  # family name last
        ("ＬＩ ＭＩＮＧ", "李明"),  # full-width capitals
        ("李铭", "李明"),  # a homophone the keyboard chose
        ("Zeng Xiaoxian", "曾小贤"),  # 曾 read zeng as a family name
        ("He Yichao", "何艺超"),
        ("alex chen ✨", "Alex Chen"),
        ("Chen Alex", "Alex Chen"),
    ],
)
def test_a_name_close_to_a_member(typed: str, meant: str) -> None:
    assert near(typed, MEMBERS) == [meant]


@pytest.mark.parametrize(
    "typed",
    ["李明", "Alex  Chen", " 张宇 ", "王芳", "Alexandra", "Chen", "陈", "🎉", ""],
)
def test_a_members_own_name_or_a_new_one(typed: str) -> None:
    assert near(typed, MEMBERS) == []


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("zh", "姓名: 不在成员名单里；你是不是想写「李明」？"),
        ("en", "Name: matches no member; did you mean 李明? One name per person"),
    ],
)
def test_the_note_in_both_languages(lang: Lang, says: str) -> None:
    (note,) = hint("Li Ming", MEMBERS, lang=lang)
    assert str(note).startswith(says)


SKIP = "### 日期\n\n2025-07-13\n\n### 姓名\n\n{name}\n\n### 未精读原因\n\n出差"


def test_members_in_the_config_are_the_truth() -> None:
    config = Config.model_validate({"members": {"liming": "李明"}})
    notes = build(SKIP.format(name="Li Ming"), config=config, today=TODAY).notes
    assert [n.field for n in notes] == ["name"]
    # the README's names are not asked when the config lists members
    assert not apply(SEED, SKIP.format(name="Chen Yin"), config=config, today=TODAY).notes


def test_without_members_the_readmes_names_are_the_members() -> None:
    assert in_readme(SEED, marker=Config().marker)[:3] == ["张宇", "贾朋", "徐赟博"]
    got = apply(SEED, SKIP.format(name="Chen Yin"), config=Config(), today=TODAY)
    assert [str(n) for n in got.notes] == [
        "姓名: 不在成员名单里；你是不是想写「陈银」？"
        "同一个人请写同一个名字，看板才不会把一人算成两人"
    ]
    assert not apply(SEED, SKIP.format(name="陈银"), config=Config(), today=TODAY).notes
    assert not apply(SEED, SKIP.format(name="新同学"), config=Config(), today=TODAY).notes

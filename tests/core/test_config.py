"""The weekly-loop options of .github/paperbot.yml: forms people write, and bad values explained."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.config import Config, load_config
from app.core.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "check"),
    [
        (
            "",
            lambda c: (
                (c.dashboard, c.reminders, c.pull_requests) == (False, None, "per-submission")
            ),
        ),
        ("members:\n  zhangyu: 张宇\n", lambda c: c.member_name("zhangyu") == "张宇"),
        (
            "members:\n  chenyin: {name: 陈银, remind: false}\n",
            lambda c: (c.member_name("chenyin"), c.members["chenyin"].remind) == ("陈银", False),
        ),
        ("members:\n  zhangyu: 张宇\n", lambda c: c.members["zhangyu"].remind),
        ("week_start: Sunday\n", lambda c: c.week_start == "sunday"),
        ("week_start: sun\n", lambda c: c.week_start == "sunday"),
        ("reminders: {weekday: SUN, time: '20:00'}\n", lambda c: c.reminders.weekday == "sunday"),
        ("reminders: {weekday: sunday, time: 20:00}\n", lambda c: c.reminders.time == "20:00"),
        ("reminders: {weekday: sunday, time: '8:05'}\n", lambda c: c.reminders.time == "08:05"),
        ("reminders: {weekday: sunday, time: '20：00'}\n", lambda c: c.reminders.time == "20:00"),
        ("pull_requests: weekly\ndashboard: true\n", lambda c: c.pull_requests == "weekly"),
        ("dashboard_title: 看板\n", lambda c: c.dashboard_title == "看板"),
    ],
)
def test_accepted(text: str, check: Any) -> None:
    assert check(load_config(text))


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("week_start: someday\n", "week_start: Input should be 'monday'"),
        ("reminders: {weekday: funday, time: '20:00'}\n", "reminders.weekday"),
        ("reminders: {weekday: sunday, time: '25:00'}\n", "reminders.time"),
        ("reminders: {weekday: sunday, time: 'evening'}\n", 'HH:MM, e.g. "20:00"'),
        ("reminders: {weekday: sunday}\n", "reminders.time: Field required"),
        ("reminders: sunday\n", "reminders: Input should be a valid dictionary"),
        ("pull_requests: daily\n", "pull_requests: Input should be 'per-submission' or 'weekly'"),
        ("dashboard: maybe\n", "dashboard: Input should be a valid boolean"),
        ("members:\n  chenyin: {remind: false}\n", "members.chenyin.name: Field required"),
        ("members:\n  chenyin: {name: 陈银, remind: nope}\n", "members.chenyin.remind"),
        ("members:\n  chenyin: {name: 陈银, mute: true}\n", "members.chenyin.mute"),
        ("members: [zhangyu]\n", "members: Input should be a valid dictionary"),
        # a typo went into members' PRs as the literal text, or crashed every submission
        ("template:\n  report: '- {titel} {summary}\\n'\n", "template.report: unknown {titel}"),
        ("template:\n  title_linked: '[{titel}]({link})'\n", "use {title}, {link}"),
        ("template:\n  venue: ' ({venue)'\n", "template.venue: unmatched brace"),
        ("template:\n  figure: '![]({figure.url})'\n", "template.figure: unknown {figure.url}"),
        ("template:\n  reason: '{0}，'\n", "template.reason: unknown {0}"),
        ("template:\n  skip: '- {date} {title}\\n'\n", "use {date}, {name}, {reason}"),
        ("markr: '<!-- x -->'\n", "markr: unknown option; did you mean marker?"),
        ("limits: {summary: 10}\n", "limits.summary: unknown option; did you mean summary_max?"),
        ("colour: blue\n", "colour: unknown option; the options are path, marker,"),
        ("reminders: {wekday: sun, time: '20:00'}\n", "reminders.wekday: unknown option; did "),
        ("reminders: {at: sun, time: '20:00'}\n", "the options are weekday, time"),
    ],
)
def test_bad_values_are_explained_by_option(text: str, named: str) -> None:
    with pytest.raises(ConfigError) as got:
        load_config(text)
    assert named in got.value.message


def test_the_plain_and_the_object_form_mix() -> None:
    config = load_config("members:\n  a: 甲\n  b: {name: 乙, remind: false}\n")
    assert [(m.name, m.remind) for m in config.members.values()] == [("甲", True), ("乙", False)]
    assert config == Config.model_validate(
        {"members": {"a": "甲", "b": {"name": "乙", "remind": False}}}
    )


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("dashboard: maybe\n", "paperbot.yml 中有无效的选项："),
        ("language: en\ndashboard: maybe\n", "paperbot.yml has invalid options:"),
        ("language: fr\n", "paperbot.yml 中有无效的选项："),  # no language to go by: zh
        ("- a\n", "paperbot.yml 应为选项表（每行 option: value）"),
        ("a: [\n", "paperbot.yml 第 2 行第 1 列不是有效的 YAML："),
        ("language: en\na: [\n", "paperbot.yml: line 3, column 1: not valid YAML:"),
    ],
)
def test_a_config_error_speaks_the_language_the_config_asks_for(text: str, said: str) -> None:
    with pytest.raises(ConfigError) as got:
        load_config(text)
    assert got.value.message.startswith(said)


@pytest.mark.parametrize(
    "text",
    [
        "template:\n  report: '- {title}{venue} — {summary}\\n'\n  venue: ' ({venue})'\n",
        "template:\n  title_linked: '[{title}]({link}) {{x}}'\n",
        "template:\n  report: '- {title} { } stays }{\\n'\n",
    ],
)
def test_templates_with_known_placeholders_are_accepted(text: str) -> None:
    load_config(text)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            'marker: "<!-- x -->\nlanguage: en\n',
            ".github/paperbot.yml: line 1, column 9: not valid YAML: found unexpected end of "
            "stream",
        ),
        ("language: en\n\tmarker: x\n", ".github/paperbot.yml: line 2, column 1: not valid"),
        ("a: [\n", ".github/paperbot.yml 第 2 行第 1 列不是有效的 YAML："),
    ],
)
def test_a_yaml_error_names_the_file_and_its_line(text: str, said: str) -> None:
    with pytest.raises(ConfigError) as got:
        load_config(text, name=".github/paperbot.yml")
    assert got.value.message.startswith(said)
    assert "<unicode string>" not in got.value.message

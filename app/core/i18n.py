"""User-facing message catalogue, in Chinese (default) and English."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

MESSAGES: dict[str, tuple[str, str]] = {
    "required": ("必填，不能为空", "is required"),
    "one_line": ("只能写一行", "must be a single line"),
    "too_long": ("过长：{n} 个字符，最多 {max} 个", "is too long: {n} characters, at most {max}"),
    "bad_date": (
        "日期格式应为 YYYY-MM-DD，例如 2025-07-06（收到：{value}）",
        "should be a date as YYYY-MM-DD, e.g. 2025-07-06 (got: {value})",
    ),
    "no_such_date": ("日期不存在：{value}", "is not a real date: {value}"),
    "future_date": (
        "日期 {value} 晚于今天超过 {days} 天",
        "{value} is more than {days} days in the future",
    ),
    "wrong_weekday": (
        "{value} 是{day}，不是{said}；请核对日期",
        "{value} is a {day}, not a {said}; please check the date",
    ),
    "year_missing": (
        "没有写年份；请写完整日期，例如 [2025-07-13]",
        "has no year; write the date in full, e.g. [2025-07-13]",
    ),
    "year_taken": (
        "没有写年份，已按 {value} 记录；如果不是这一年，请编辑 issue 写上完整日期",
        "no year given, so it is taken as {value}; if that is not the year you meant, "
        "edit the issue and write the full date",
    ),
    "bad_url": (
        "应为 http(s) 链接，例如 https://arxiv.org/abs/2108.08504 （收到：{value}）",
        "should be an http(s) link, e.g. https://arxiv.org/abs/2108.08504 (got: {value})",
    ),
    "bad_figure": (
        "应为一张图片：直接粘贴上传，或填写图片的 http(s) 链接",
        "should be one image: paste or drop it, or give its http(s) link",
    ),
    "many_figures": ("只能有一张图片，收到 {n} 张", "takes one image, got {n}"),
    "long_word": (
        "含有过长的连续字符（{n} 个，最多 {max} 个），请加空格或缩短",
        "contains an unbroken run of {n} characters (at most {max}); add spaces or shorten it",
    ),
    "long_url": (
        "含有过长的链接（{n} 个字符，最多 {max} 个）",
        "contains a link of {n} characters (at most {max})",
    ),
    "image_in_summary": (
        "含有图片；请把一张图片放在「{figure}」一栏，简述只写文字",
        "contains an image; put one image in the {figure} field and keep the summary to text",
    ),
    "late_date": (
        "{value} 比 README 中最新的记录（{newest}）早 {n} 天，最多可早 {days} 天",
        "{value} is {n} days before the newest entry in the README ({newest}); "
        "at most {days} are allowed",
    ),
    "late_guess": ("：{value} → {guess}？", ": {value} → {guess}?"),
    "duplicate": (
        "{path} 第 {line} 行已有这条记录（{date}，{name}）；paperbot 不会覆盖它",
        "already in {path} at line {line} ({date}, {name}); paperbot does not replace it",
    ),
    "bad_name_chars": ("不能包含 [ ] ( ) 等符号", "must not contain [ ] ( ) characters"),
    "has_marker": ("不能包含 README 的插入标记", "must not contain the README's insertion marker"),
    "unsafe_link": (
        "只允许 http(s) 链接，不允许 javascript:、data: 等",
        "may only link to http(s) addresses, not javascript:, data: or the like",
    ),
    "body_label": ("issue 正文", "Issue body"),
    "html_shown": (
        "含有 HTML 标签（如 `{tag}`），README 中按原样显示为文字，不会折叠或生效",
        "holds HTML tags (such as `{tag}`); the README shows them as plain text, they do "
        "not fold or take effect",
    ),
    "code_shown": (
        "含有代码块，README 中按普通文字逐行显示（不保留缩进和代码格式）",
        "holds a code block; the README shows its lines as plain text (no indentation or "
        "code formatting)",
    ),
    "many_entries": (
        "一个 issue 只能提交一条记录，这里有 {n} 条",
        "holds {n} entries; file one issue per entry",
    ),
    "not_submission": (
        "没有找到表单字段，也不是 README 格式的记录",
        "has no form fields and is not an entry in the README's format",
    ),
    "attempt": ("格式", "Format"),
    "attempt_seen": (
        "这像是一条周报记录，但没有按格式书写；已识别：{found}",
        "this looks like an entry, but it is not in the expected shape; recognised: {found}",
    ),
    "nothing": ("无", "nothing"),
    "template": ("模板", "Template"),
    "placeholders": (
        "{items} 是 README 模板里的占位符，请换成实际内容",
        "{items} are the README template's placeholders; fill in the real values",
    ),
    "not_found": ("未找到", "was not found"),
    "unknown_heading": (
        "未被识别，其内容没有读取；字段有：{fields}",
        "was not recognised, so its text was not read; the fields are: {fields}",
    ),
    "unread": ("未写入", "Not in the entry"),
    "unread_text": (
        "这些文字不在记录里：{text}（简述请写在「论文简述：」之后）",
        "this text is not part of the entry: {text} (the summary goes after Summary:)",
    ),
    "expected": ("应写成", "Expected"),
    "shape_report": (
        "`[2025-07-06]-[张宇]-[论文标题](https://论文链接)-[来源]`，下一行写 `论文简述：……`"
        "（链接和来源可选）",
        "`[2025-07-06]-[Zhang Yu]-[Paper title](https://link)-[Venue]`, then a line "
        "`Summary: …` with the summary (link and venue optional)",
    ),
    "shape_skip": (
        "`[2025-07-06]-[张宇]-原因，本周未精读`（原因可选）",
        "`[2025-07-06]-[Zhang Yu]-reason, did not read this week` (the reason is optional)",
    ),
    "file_missing": ("{branch} 分支上没有 {path}", "{path} not found on {branch}"),
    "file_not_text": (
        "{path} 不是 UTF-8 文本，请维护者把它另存为 UTF-8 编码后再试",
        "{path} is not UTF-8 text; a maintainer should save it as UTF-8, then retry",
    ),
    "marker_missing": (
        "{path} 中找不到插入标记「{marker}」",
        "{path} has no insertion marker '{marker}'",
    ),
    "config_yaml": ("{name} 不是有效的 YAML：{error}", "{name} is not valid YAML: {error}"),
    "config_yaml_at": (
        "{name} 第 {line} 行第 {column} 列不是有效的 YAML：{error}",
        "{name}: line {line}, column {column}: not valid YAML: {error}",
    ),
    "config_mapping": (
        "{name} 应为选项表（每行 option: value）",
        "{name} must be a mapping of options",
    ),
    "config_invalid": ("{name} 中有无效的选项：", "{name} has invalid options:"),
    "lint_unreadable": (
        "不是可读取的记录：{line}",
        "not an entry the grammar can read: {line}",
    ),
    "lint_impossible": ("日期不存在：{date}", "impossible date {date}"),
    "lint_future": ("日期 {date} 在未来", "date {date} is in the future"),
    "lint_suspicious": (
        "日期 {date} 可疑：周围的记录都在 {month}",
        "suspicious date {date} among entries of {month}",
    ),
    "lint_guess": ("（是否应为 {guess}？）", " (did you mean {guess}?)"),
    "lint_order": (
        "{date} 比上方第 {line} 行的 {above} 更新；记录应按时间倒序排列",
        "{date} is newer than {above} above it (line {line}); entries go newest first",
    ),
    "lint_duplicate": (
        "与第 {line} 行是同一条记录（{name}）",
        "same entry as line {line} ({name})",
    ),
    "lint_count": ("共 {n} 处问题", "{n} finding(s)"),
    "marker_many": (
        "{path} 中有 {n} 处插入标记「{marker}」，应只有一处",
        "{path} has {n} insertion markers '{marker}'; it must have exactly one",
    ),
}


def listing(items: list[str], lang: Lang) -> str:
    """Items joined as a list in ``lang``."""
    return ("、" if lang == "zh" else ", ").join(items)


def pick(texts: tuple[str, str], lang: Lang, **values: object) -> str:
    """The ``lang`` one of a (zh, en) pair of texts, filled with ``values``."""
    return texts[lang != "zh"].format(**values)


def counted(n: int, nouns: tuple[str, str]) -> str:
    """``n`` and the English noun for it (singular, plural): 1 entry, 2 entries."""
    return f"{n} {nouns[n != 1]}"


def msg(key: str, lang: Lang, **values: object) -> str:
    """Return message ``key`` in ``lang``, filled with ``values``."""
    return pick(MESSAGES[key], lang, **values)

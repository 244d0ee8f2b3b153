"""What a normalisation did, in words: the PR body and the command's summary."""

from __future__ import annotations

from app.core.i18n import Lang
from app.core.normalize import KINDS, Normalized
from app.core.text import quiet

_KIND: dict[str, tuple[str, str]] = {
    "date": ("日期写成 YYYY-MM-DD（补零）", "dates written YYYY-MM-DD (zero-padded)"),
    "name": ("姓名加方括号", "names in brackets"),
    "venue": ("来源加方括号", "venues in brackets"),
    "link": ("链接移到标题上", "links moved onto the title"),
    "wrapped": ("折行的标题合为一行", "wrapped titles joined into one line"),
    "image": (
        '图片统一为 `<img width="512" alt="image" src=…>`',
        'images in one form, `<img width="512" alt="image" src=…>`',
    ),
    "label": ("简述统一以「{label}」开头", "summaries labelled {label}"),
    "quote": ("引用前缀（`> >`）与空行统一", "blockquote prefixes (`> >`) and blank lines"),
}
SHOWN_ALONE = 100  # entries left alone listed: a PR body or comment stays far below 65,536
_REASON: dict[str, tuple[str, str]] = {
    "unreadable": ("无法按记录格式解析", "not an entry the grammar can read"),
    "impossible_date": ("日期不存在", "its date does not exist"),
    "text_outside": ("含有不属于任何字段的文字", "it holds text outside its fields"),
    "not_kept": ("改写后文字会变化", "rewriting it would change its text"),
}
_TEXT: dict[str, tuple[str, str]] = {
    "head": (
        "把 `{path}` 中 {changed} 条历史记录（共 {total} 条）统一为当前格式。"
        "每条记录的标题、链接、来源、图片地址和简述文字都保持不变，只改格式；"
        "标记行和记录以外的内容一字未动。",
        "Rewrites {changed} of the {total} entries in `{path}` into house style. Every "
        "entry keeps its title, link, venue, figure URL and summary text; only the format "
        "changes. The marker line and everything outside the entries are untouched.",
    ),
    "table": ("| 改动 | 条数 |\n|---|---|", "| change | entries |\n|---|---|"),
    "already": ("已是当前格式：{n} 条。", "Already in house style: {n}."),
    "alone": ("保持原样、未改动的记录：", "Left alone, byte for byte:"),
    "line": ("第 {line} 行", "line {line}"),
    "more": ("- ……另有 {n} 条未列出", "- … and {n} more"),
    "nothing": (
        "`{path}` 中的 {total} 条记录都已是当前格式，无需改动。",
        "All {total} entries in `{path}` are already in house style; nothing to change.",
    ),
}


def _t(key: str, lang: Lang, *, table: dict[str, tuple[str, str]] = _TEXT) -> str:
    zh, en = table[key]
    return zh if lang == "zh" else en


def describe(result: Normalized, *, path: str, lang: Lang) -> str:
    """Markdown: counts of each kind of change, and the entries left alone with why (the
    first ``SHOWN_ALONE``, then how many more)."""
    total = result.entries
    if not result.changes:
        parts = [_t("nothing", lang).format(path=path, total=total)]
    else:
        head = _t("head", lang).format(path=path, changed=len(result.changes), total=total)
        rows = [
            f"| {_t(k, lang, table=_KIND).format(label=result.label)} | {result.counts[k]} |"
            for k in KINDS
            if k in result.counts
        ]
        kept = total - len(result.changes) - len(result.left_alone)
        parts = [head, "\n".join([_t("table", lang), *rows]), _t("already", lang).format(n=kept)]
    if result.left_alone:
        items = [
            f"- {_t('line', lang).format(line=a.line)}: "
            f"{_t(a.reason, lang, table=_REASON)} — `{a.shown}`"
            for a in result.left_alone[:SHOWN_ALONE]
        ]
        more = len(result.left_alone) - SHOWN_ALONE
        items += [_t("more", lang).format(n=more)] if more > 0 else []
        parts.append(_t("alone", lang) + "\n\n" + "\n".join(items))
    return "\n\n".join(parts) + "\n"


BRANCH = "paperbot/normalize"
TRAILER = "Paperbot-Normalize"
MARK = "<!-- paperbot:normalize -->"
_PR: dict[str, tuple[str, str]] = {
    "title": ("README：{n} 条历史记录统一格式", "README: {n} historic entries in house style"),
    "asked": (
        "由 @{by} 以 `/paperbot normalize` 请求。只改格式、不改文字；再次评论该命令会按当时的 "
        "README 重新生成这个 PR。",
        "Asked for by @{by} with `/paperbot normalize`. Format only, no text changes; the "
        "command again regenerates this PR from the README as it then is.",
    ),
    "opened": ("已开启格式统一的 PR：{url}", "Opened the normalisation pull request: {url}"),
    "updated": (
        "已按当前的 README 更新格式统一的 PR：{url}",
        "Updated the normalisation pull request from the current README: {url}",
    ),
    "not_allowed": (
        "只有有 maintain 或 admin 权限的协作者可以运行 `/paperbot normalize`。",
        "Only collaborators with maintain or admin permission may run `/paperbot normalize`.",
    ),
    "human": (
        "有人直接修改了分支 {branch}，paperbot 不再覆盖它；"
        "请在 PR 中继续处理，或删除该分支后重试。",
        "Someone else pushed to {branch}, so paperbot does not overwrite it; continue in the "
        "pull request, or delete the branch and ask again.",
    ),
    "closed": (
        "README 已是当前格式，这个 PR 不再需要。",
        "The README is in house style already; this pull request is no longer needed.",
    ),
}


def say(key: str, lang: Lang, **values: str) -> str:
    """One of the normalisation's messages (pull request title and body parts, replies)."""
    return _t(key, lang, table=_PR).format(**values)


def pr_title(result: Normalized, lang: Lang) -> str:
    return say("title", lang, n=str(len(result.changes)))


def pr_body(result: Normalized, *, path: str, by: str, lang: Lang) -> str:
    """What changed by kind, what was left alone, who asked; the bot's hidden mark."""
    asked = quiet(say("asked", lang, by=by))  # names, never mentions
    return f"{describe(result, path=path, lang=lang)}\n{asked}\n\n{MARK}\n"


def commit_message(result: Normalized, lang: Lang) -> str:
    return f"{pr_title(result, lang)}\n\n{TRAILER}: {len(result.changes)}\n"

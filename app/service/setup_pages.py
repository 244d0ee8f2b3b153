"""The setup pages as HTML: plain forms and links, no script, every text in Chinese and English.

Rule: every value put into a page is escaped here; no page ever holds the App's key or
webhook secret.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from app.core.config import DEFAULT_MARKER
from app.core.manifest import EVENTS, PERMISSIONS

Pair = tuple[str, str]
_MARKER = f"> {DEFAULT_MARKER}"  # the line a README needs, as the seed README writes it
_STYLE = """
body{font:16px/1.55 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;
color:#1f2328}h1{font-size:1.6rem;margin-bottom:.2rem}.en{color:#59636e}
p.en,li .en{display:block}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #d1d9e0;padding:.3rem .6rem;text-align:left}
button,.button{font-size:1.05rem;padding:.6rem 1.2rem;border-radius:6px;border:1px solid #1f883d;
background:#1f883d;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button .en,.button .en{color:#fff;opacity:.85}h1 .en{display:block;font-size:1.2rem}
input[type=url]{font-size:1rem;padding:.4rem;width:28rem;max-width:100%}
.note{background:#fff8c5;border:1px solid #d4a72c;padding:.6rem 1rem;border-radius:6px}
.bad{background:#ffebe9;border:1px solid #ff8182;padding:.6rem 1rem;border-radius:6px}
code{background:#eff2f5;padding:.1rem .3rem;border-radius:4px}pre{overflow-x:auto}
"""
_PERMISSION_NAMES: dict[str, Pair] = {
    "issues": ("Issues（读写：读提交、回复状态）", "Issues (read & write: read reports, reply)"),
    "pull_requests": ("Pull requests（读写：开 PR）", "Pull requests (read & write: open PRs)"),
    "contents": ("Contents（读写：README、分支）", "Contents (read & write: README, branches)"),
    "metadata": ("Metadata（只读，GitHub 必需）", "Metadata (read only, required by GitHub)"),
}


def both(pair: Pair) -> str:
    """A text in Chinese, then in English (grey), both escaped."""
    return f'{escape(pair[0])} <span class="en">{escape(pair[1])}</span>'


def page(title: Pair, body: str) -> str:
    return (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(title[0])} · {escape(title[1])}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{both(title)}</h1>{body}</body></html>"
    )


def _p(pair: Pair) -> str:
    return f'<p>{escape(pair[0])}</p><p class="en">{escape(pair[1])}</p>'


def _steps(steps: list[Pair]) -> str:
    return "<ol>" + "".join(f"<li>{both(s)}</li>" for s in steps) + "</ol>"


def _what() -> str:
    rows = "".join(
        f"<tr><td>{both(_PERMISSION_NAMES[k])}</td><td><code>{escape(v)}</code></td></tr>"
        for k, v in PERMISSIONS.items()
    )
    events = ", ".join(f"<code>{escape(e)}</code>" for e in EVENTS)
    return (
        f"<h2>{both(('权限', 'Permissions'))}</h2><table>{rows}</table>"
        f"<h2>{both(('事件', 'Events'))}</h2><p>{events}</p>"
        + _p(
            (
                "安装事件（installation）无需订阅，GitHub 会发给每个 App。",
                "The installation events reach every App without subscribing.",
            )
        )
    )


def start(*, env_file: str, action: str, manifest: dict[str, Any] | None, blocked: str) -> str:
    """The first page: what will happen, what the App may do, and the one button."""
    intro = _p(
        (
            "这一页为 paperbot 在 GitHub 上注册一个 App。点下面的按钮后：",
            "This page registers a GitHub App for paperbot. After the button below:",
        )
    ) + _steps(
        [
            (
                "GitHub 显示这个 App（可以改名），点创建。",
                "GitHub shows the App (you may rename it); create it.",
            ),
            (
                f"GitHub 带你回到这里；paperbot 把 App 的编号、webhook 密钥和私钥文件路径写进 "
                f"{env_file}（权限 0600），私钥写在它旁边。",
                f"GitHub sends you back here; paperbot writes the App's id, webhook secret and "
                f"key file path into {env_file} (mode 0600), and the key beside it.",
            ),
            (
                "把 App 安装到读书会的仓库；paperbot 会开一个配置 PR。",
                "Install the App on "
                "your reading group's repository; paperbot opens a setup pull request.",
            ),
        ]
    )
    if blocked:
        return page(TITLE, intro + _what() + f'<div class="note">{blocked}</div>')
    if manifest is None:
        return page(TITLE, intro + _what() + _ask_webhook())
    data = escape(json.dumps(manifest), quote=True)
    button = (
        f'<form method="post" action="{escape(action, quote=True)}">'
        f'<input type="hidden" name="manifest" value="{data}">'
        f'<p><button type="submit">{both(("在 GitHub 上创建 App", "Create the App on GitHub"))}'
        f"</button></p></form>"
    )
    hook = escape(str(manifest["hook_attributes"]["url"]))
    where = _p((f"Webhook 地址：{hook}", f"Webhook URL: {hook}"))
    return page(TITLE, intro + _what() + where + button)


TITLE: Pair = ("注册 paperbot 的 GitHub App", "Register paperbot's GitHub App")


def _ask_webhook() -> str:
    label = both(
        (
            "paperbot 的公网地址（GitHub 把事件发到这里，以 /webhook 结尾）",
            "paperbot's public address (GitHub sends events here; it ends in /webhook)",
        )
    )
    return (
        f'<form method="get" action="/"><p><label for="webhook_url">{label}</label></p>'
        '<p><input type="url" id="webhook_url" name="webhook_url" required '
        'placeholder="https://paperbot.example.org/webhook"></p>'
        f'<p><button type="submit">{both(("下一步", "Next"))}</button></p></form>'
    )


def done(*, app_name: str, app_id: int, env_file: str, key_file: str, install_url: str) -> str:
    """The last page: what was written (never the secrets), and what to do next."""
    name, install = escape(app_name), escape(install_url, quote=True)
    written = _p(
        (
            f"已创建 App「{app_name}」（编号 {app_id}），并写入 {env_file} 和 {key_file}"
            "（都只有你能读：0600）。密钥和私钥不会显示在这里。",
            f"The App “{app_name}” (id {app_id}) is registered; {env_file} and {key_file} are "
            "written (readable by you only: 0600). The secret and the key are not shown here.",
        )
    )
    steps = _steps(
        [
            (
                "启动 paperbot：在这个目录运行 make run（或 paperbot serve）。",
                "Start paperbot: make run in this folder (or paperbot serve).",
            ),
            (
                f"安装 App「{app_name}」到读书会的仓库（下面的按钮）。",
                f"Install “{app_name}” on your reading group's repository (the button below).",
            ),
            (
                "paperbot 读 README，开一个「配置 paperbot」PR：两个表单和 .github/paperbot.yml。"
                "合并它，成员就可以用表单提交了。",
                "paperbot reads the README and opens a “Set up paperbot” pull request: the two "
                "forms and .github/paperbot.yml. Merge it, and members can file the forms.",
            ),
            (
                "README 需要下面这一行插入标记，记录插在它下面（新的读书会：一个标题加这一行"
                "即可）。没有它就不会开 PR；之后把它推到默认分支，PR 随即打开。",
                "The README needs the marker line below; entries go under it (a new group: a "
                "title and that line will do). Without it no pull request opens; push it to the "
                "default branch later, and it opens then.",
            ),
        ]
    )
    label = both(("安装 ", "Install ")) + name
    button = f'<p><a class="button" href="{install}/installations/new">{label}</a></p>'
    marker = f"<pre><code>{escape(_MARKER)}</code></pre>"  # one line to copy, even on a phone
    return page(("完成", "Done"), written + steps + marker + button)


def error(why: Pair) -> str:
    """An error page in plain words; nothing was written."""
    body = (
        f'<div class="bad">{_p(why)}</div>'
        + _p(("没有写入任何文件。", "Nothing was written."))
        + f'<p><a href="/">{both(("重新开始", "Start again"))}</a></p>'
    )
    return page(("没有完成", "Not done"), body)

"""Smart entries on GitHub: the fake GitHub and the fake metadata services, over real HTTP."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from app.core import messages
from app.flows.context import Context
from app.flows.submission import process_issue
from app.github.fake.pulls import push_file
from app.github.fake.server import FakeGitHub
from app.lookup.fake.server import FakeMetadata
from app.lookup.resolve import HttpLookup, pacings
from tests.fakes import MEMBER, REPO, report_body, writes
from tests.lookup.listeners import answer, listening
from tests.lookup.stand_ins import figures_for

FER = "Understanding and Mitigating Annotation Bias in Facial Expression Recognition"
SINKS = "Efficient Streaming Language Models with Attention Sinks"


@pytest.fixture
def smart(ctx: Context, services: FakeMetadata) -> Iterator[Context]:
    figures = figures_for(services.base_url, budget=1.0)
    lookup = HttpLookup(services.settings(), budget=1.0, pacing=pacings({}), figures=figures)
    yield dataclasses.replace(ctx, lookup=lookup)
    lookup.close()


def body(link: str, *, title: str = "", figure: str = "", name: str = "新人") -> str:
    parts = {"日期": "2025-07-06", "姓名": name, "论文标题": title, "论文链接": link}
    parts |= {"论文框架图": figure, "论文简述": "一句话。"}
    return "\n\n".join(f"### {k}\n\n{v or '_No response_'}" for k, v in parts.items())


def file(gh: FakeGitHub, ctx: Context, text: str) -> tuple[str, str, str]:
    """File an issue, run the bot; the status comment, the PR body and the README on the PR."""
    number = int(gh.create_issue(REPO, title="x", body=text, login=MEMBER)["number"])
    assert process_issue(ctx, number) == "submitted"
    status = [c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == number][-1]
    pull = next(p for p in gh.repos[REPO].pulls.values() if p["head"].endswith(f"-{number}"))
    readme = gh.repos[REPO].git.read(f"paperbot/issue-{number}", "README.md")
    assert readme is not None
    return str(status), str(pull["body"]), readme[0].decode()


def test_date_name_link_summary_is_a_complete_entry(
    gh: FakeGitHub, smart: Context, services: FakeMetadata
) -> None:
    status, pr, readme = file(gh, smart, body("https://arxiv.org/pdf/2309.17453"))
    assert "已根据 arXiv + DBLP 填写" in pr
    header = f"> > [2025-07-06]-[新人]-[{SINKS}](https://arxiv.org/abs/2309.17453)-[ICLR 2024]"
    assert header in readme.split("\n")
    assert f"**论文标题**: 已根据 arXiv + DBLP 填写：{SINKS}" in status
    assert "**来源**: 已根据 arXiv + DBLP 填写：ICLR 2024" in status
    assert "论文信息：" in status and "请留意以下几点" not in status  # its own list, not "left out"
    assert pr.index("论文信息：") < pr.index("> > [2025-07-06]")
    assert [s.service for s in services.seen] == ["arxiv", "dblp"]


def test_a_typed_title_that_differs_is_kept_and_flagged(gh: FakeGitHub, smart: Context) -> None:
    status, pr, readme = file(gh, smart, body("https://arxiv.org/abs/2309.17453", title="Sinks"))
    assert "-[Sinks](https://arxiv.org/abs/2309.17453)-[ICLR 2024]" in readme
    warning = f"与论文的标题不一致，论文的标题是「{SINKS}」"
    assert warning in status and warning in pr


def test_already_read_is_named_in_the_status_and_the_pr(gh: FakeGitHub, smart: Context) -> None:
    status, pr, _ = file(gh, smart, body("https://arxiv.org/abs/2108.08504"))
    assert "已于 2025-07-06 由 张宇 精读" in status and "已于 2025-07-06 由 张宇 精读" in pr
    assert f"已根据 arXiv + DBLP 填写：{FER}" not in status  # DBLP knows nothing: arXiv's words
    assert "已根据 arXiv 填写：ICCV 2021" in status


def test_an_open_submission_of_the_same_paper(gh: FakeGitHub, smart: Context) -> None:
    file(gh, smart, body("https://arxiv.org/abs/2309.17453", name="李四"))
    status, pr, _ = file(gh, smart, body("arXiv:2309.17453", title=SINKS.lower()))
    assert "已于 2025-07-06 由 李四 提交精读（#\u20601，尚未合并）" in status
    assert "（#\u20601，尚未合并）" in pr  # inert: the preview references no issue


def test_duplicates_refuse(gh: FakeGitHub, smart: Context) -> None:
    text = "duplicates: refuse\n"
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text=text)
    text = body("https://arxiv.org/abs/2108.08504")
    issue = gh.create_issue(REPO, title="x", body=text, login=MEMBER)
    assert process_issue(smart, int(issue["number"])) == "invalid"
    assert not gh.repos[REPO].pulls


def test_a_failed_lookup_never_blocks(
    gh: FakeGitHub, smart: Context, services: FakeMetadata
) -> None:
    services.fail("arxiv", 503)
    status, _, readme = file(gh, smart, body("https://arxiv.org/abs/2309.17453", title="Sinks"))
    assert "[Sinks](https://arxiv.org/abs/2309.17453)" in readme
    assert "未能查到论文信息：arXiv 正忙，稍后编辑 issue 可重试" in status


def test_a_figure_that_is_a_page_gets_a_warning(
    gh: FakeGitHub, smart: Context, services: FakeMetadata
) -> None:
    page, image = services.base_url + "/files/page.html", services.base_url + "/files/figure.png"
    status, _, _ = file(gh, smart, body("https://x.org/p", title="T", figure=page))
    assert "**论文框架图**: 链接打开的不是图片（text/html）" in status
    status, _, _ = file(gh, smart, body("https://x.org/q", title="U", figure=image))
    assert "论文框架图" not in status


UNREACHABLE = (
    "- **论文框架图**: 无法打开这个图片链接（不是公开地址，或没有及时响应），"
    "README 中可能不会显示；请直接把图片粘贴到 issue 里上传"
)


def figure_lines(status: str) -> list[str]:
    return [line for line in status.split("\n") if "论文框架图" in line]


def test_a_figure_url_into_the_servers_network_is_refused_and_only_that_is_said(
    gh: FakeGitHub, smart: Context, services: FakeMetadata
) -> None:
    with listening(answer("200 OK", "Content-Type: image/png", "X-Secret: s3cr3t")) as quiet:
        moved = answer("302 Found", f"Location: http://127.0.0.1:{quiet.port}/x.png")
        with listening(moved) as stand_in:
            figures = figures_for(services.base_url, stand_in.base_url, budget=1.0)
            lookup = HttpLookup(services.settings(), budget=1.0, figures=figures)
            bot = dataclasses.replace(smart, lookup=lookup)
            for n, url in enumerate(
                [
                    f"http://127.0.0.1:{quiet.port}/x.png",
                    f"http://2130706433:{quiet.port}/x.png",
                    "http://169.254.169.254/latest/meta-data/x.png",
                    stand_in.base_url + "/x.png",  # redirected to the listener
                ]
            ):
                status, pr, _ = file(gh, bot, body(f"https://x.org/{n}", title=f"T{n}", figure=url))
                assert figure_lines(status) == [UNREACHABLE] and "s3cr3t" not in status + pr
            lookup.close()
    assert (quiet.connections, quiet.received) == (0, b"")


def test_no_text_from_a_figure_answer_reaches_github(
    gh: FakeGitHub, smart: Context, services: FakeMetadata
) -> None:
    leaky = answer("200 OK", "Content-Type: text/s3cr3t-token", "X-Token: s3cr3t")
    with listening(leaky) as stand_in:
        figures = figures_for(services.base_url, stand_in.base_url, budget=1.0)
        lookup = HttpLookup(services.settings(), budget=1.0, figures=figures)
        bot = dataclasses.replace(smart, lookup=lookup)
        status, pr, readme = file(
            gh, bot, body("https://x.org/p", title="T", figure=stand_in.base_url + "/f.png")
        )
        lookup.close()
    note = "链接打开的不是图片（HTTP 200），README 中不会显示；请直接把图片粘贴到 issue 里上传"
    assert figure_lines(status) == [f"- **论文框架图**: {note}"]
    assert "s3cr3t" not in status + pr + readme


def test_without_lookups_nothing_is_asked(
    gh: FakeGitHub, ctx: Context, services: FakeMetadata
) -> None:
    status, _, readme = file(gh, ctx, body("https://arxiv.org/abs/2309.17453", title="Sinks"))
    assert services.seen == [] and "未能查到" not in status and "[Sinks]" in readme


def test_an_open_submission_is_named_only_on_later_ones_and_only_while_fresh(
    gh: FakeGitHub, smart: Context
) -> None:
    file(gh, smart, body("https://arxiv.org/abs/2309.17453", name="李四"))
    file(gh, smart, body("arXiv:2309.17453", title="Sinks"))
    gh.repos[REPO].issues[1]["body"] = body(
        "https://arxiv.org/abs/2309.17453", name="李四", title="x"
    )
    assert process_issue(smart, 1) == "submitted"  # an edit of the earlier one
    first = [c["body"] for c in gh.repos[REPO].comments.values() if c["issue"] == 1][-1]
    assert "尚未合并" not in str(first)
    later = dataclasses.replace(smart, now=lambda: dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    status, _, _ = file(gh, later, body("arXiv:2309.17453", title="Sinks again"))
    assert "尚未合并" not in status  # records not refreshed for a week are dropped


@pytest.mark.parametrize("junk", [b"nonsense", b"[]", b'{"1": {"date": "x"}}', b'{"1": 3}'])
def test_an_unreadable_record_is_no_record(gh: FakeGitHub, smart: Context, junk: bytes) -> None:
    smart.ledger.write(f"open-submissions:{REPO}", junk)
    status, _, _ = file(gh, smart, body("arXiv:2309.17453", title="Sinks"))
    assert "尚未合并" not in status


def test_the_rolling_pr_fills_from_the_metadata_too(gh: FakeGitHub, smart: Context) -> None:
    push_file(gh, REPO, branch="main", path=".github/paperbot.yml", text="pull_requests: weekly\n")
    number = gh.create_issue(REPO, title="x", body=body("arXiv:2309.17453"), login=MEMBER)
    assert process_issue(smart, int(number["number"])) == "submitted"
    got = gh.repos[REPO].git.read("paperbot/batch", "README.md")
    assert got is not None
    assert f"-[{SINKS}](https://arxiv.org/abs/2309.17453)-[ICLR 2024]" in got[0].decode()


def test_a_name_that_copies_the_hidden_state_takes_over_no_pr(gh: FakeGitHub, ctx: Context) -> None:
    """The "already read by" note quotes an earlier member's name in a later member's PR
    body, above the bot's hidden state: a name spelling a state line is not read as it."""
    fake = '<!-- paperbot:state {"closed": "x"} -->'
    first = gh.create_issue(
        REPO, title="x", body=report_body(name=fake, title="Same"), login=MEMBER
    )
    assert process_issue(ctx, int(first["number"])) == "submitted"
    second = gh.create_issue(
        REPO, title="x", body=report_body(name="李四", title="Same"), login=MEMBER
    )
    assert process_issue(ctx, int(second["number"])) == "submitted"
    (pull,) = [
        p for p in gh.repos[REPO].pulls.values() if p["head"].endswith(f"-{second['number']}")
    ]
    assert messages.pr_state(pull["body"])["issue"] == second["number"]
    assert "由 &lt;!-- paperbot:state" in pull["body"]  # shown as typed, hiding nothing after it
    before = writes(gh)
    assert process_issue(ctx, int(second["number"])) == "submitted"
    assert writes(gh) == before  # up to date: nothing rewritten

"""The issue-form field definitions: the one source of truth for ids, labels and rules.

Rules:
- A field's id is what the code uses; its labels are what members see and what an issue
  body carries as ``### <label>``. Parsing maps labels back to ids using these definitions
  only, never positions or strings written elsewhere.
- Both the Chinese and the English label of a field, and its aliases (``### Title``,
  ``### 链接``), are recognised in an issue body whatever the configured language, case-
  and width-insensitively (NFKC), with or without a trailing colon or ``(optional)``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

Kind = Literal["report", "skip"]
ElementType = Literal["input", "textarea", "dropdown", "checkboxes"]


@dataclass(frozen=True)
class Field:
    """One form element: how it is asked for and how its answer is read."""

    id: str
    type: ElementType
    label_zh: str
    label_en: str
    description_zh: str
    description_en: str
    placeholder: str = ""
    placeholder_en: str = ""
    aliases: tuple[str, ...] = ()
    required: bool = False
    looked_up: bool = False  # a paper link's metadata can fill it: the form does not insist
    single_line: bool = True
    render: str | None = None
    options: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en

    def description(self, lang: str) -> str:
        return self.description_zh if lang == "zh" else self.description_en

    def hint(self, lang: str) -> str:
        return self.placeholder if lang == "zh" else self.placeholder_en or self.placeholder


@dataclass(frozen=True)
class Form:
    """One issue form: its kind, its file name, its label and its fields in order."""

    kind: Kind
    filename: str
    name: str
    description: str
    title_prefix: str
    label: str
    fields: tuple[Field, ...]
    name_en: str
    description_en: str
    title_prefix_en: str

    def field(self, field_id: str) -> Field:
        return next(f for f in self.fields if f.id == field_id)


DATE = Field(
    "date",
    "input",
    "日期",
    "Date",
    "精读所在周的日期，格式 YYYY-MM-DD。Date of the week you read it, as YYYY-MM-DD.",
    "Date of the week, YYYY-MM-DD",
    placeholder="2025-07-06",
    aliases=("时间", "周", "week"),
    required=True,
)
NAME = Field(
    "name",
    "input",
    "姓名",
    "Name",
    "你在周报中的名字。Your name as it appears in the log.",
    "Your name as it appears in the log",
    placeholder="张宇",
    placeholder_en="Zhang Yu",
    aliases=("名字", "成员", "member"),
    required=True,
)
TITLE = Field(
    "title",
    "input",
    "论文标题",
    "Paper title",
    "论文的完整标题；填了 arXiv、DOI 或 OpenReview 链接时可留空，自动填写。"
    "The paper's full title; may be left empty with an arXiv, DOI or OpenReview link.",
    "The paper's full title; may be left empty with an arXiv, DOI or OpenReview link",
    placeholder="Understanding and Mitigating Annotation Bias in Facial Expression Recognition",
    aliases=("标题", "题目", "论文题目", "论文名称", "论文名", "title", "paper"),
    required=True,
    looked_up=True,
)
LINK = Field(
    "link",
    "input",
    "论文链接",
    "Paper link",
    "论文的 http(s) 链接（可选）。The paper's http(s) link (optional).",
    "The paper's http(s) link (optional)",
    placeholder="https://arxiv.org/abs/2108.08504",
    aliases=("链接", "论文地址", "地址", "link", "url", "arxiv"),
)
VENUE = Field(
    "venue",
    "input",
    "来源",
    "Venue",
    "发表的会议或期刊，如 ICCV 2021（可选，有论文链接时自动填写）。"
    "Where it was published (optional; filled from a paper link).",
    "Where it was published (optional; filled from a paper link)",
    placeholder="ICCV 2021",
    aliases=("会议", "期刊", "会议/期刊", "出处", "conference", "journal", "source"),
)
FIGURE = Field(
    "figure",
    "textarea",
    "论文框架图",
    "Framework figure",
    "粘贴或拖入一张框架图，帮助一眼想起论文内容（可选）。"
    "Paste or drop one framework figure (optional).",
    "Paste or drop one framework figure (optional)",
    aliases=("框架图", "图", "图片", "配图", "figure", "image", "framework"),
    single_line=False,
)
SUMMARY = Field(
    "summary",
    "textarea",
    "论文简述",
    "Summary",
    "一两句话总结精华，切勿过长。One or two sentences on the essence; never long.",
    "One or two sentences on the essence; never long",
    placeholder="本文提出……",
    placeholder_en="The paper proposes …",
    aliases=("简述", "总结", "概述", "summary", "abstract", "tl;dr"),
    required=True,
    single_line=False,
)
REASON = Field(
    "reason",
    "input",
    "未精读原因",
    "Reason",
    "本周没有精读的原因（可选）。Why you did not read a paper this week (optional).",
    "Why you did not read a paper this week (optional)",
    placeholder="准备考试",
    placeholder_en="Preparing for an exam",
    aliases=("原因", "reason", "why"),
)

REPORT = Form(
    kind="report",
    filename="paper-report.yml",
    name="论文精读周报 Paper report",
    description="记录本周全文精读的一篇论文。Log a paper you read in full this week.",
    title_prefix="[周报] ",
    label="paper-report",
    fields=(DATE, NAME, TITLE, LINK, VENUE, FIGURE, SUMMARY),
    name_en="Paper report",
    description_en="Log a paper you read in full this week.",
    title_prefix_en="[Report] ",
)
SKIP = Form(
    kind="skip",
    filename="skip-week.yml",
    name="本周未精读 Did not read this week",
    description="本周没有全文精读论文。You did not read a paper in full this week.",
    title_prefix="[未精读] ",
    label="skip-week",
    fields=(DATE, NAME, REASON),
    name_en="Did not read this week",
    description_en="You did not read a paper in full this week.",
    title_prefix_en="[Skip] ",
)
FORMS: dict[Kind, Form] = {"report": REPORT, "skip": SKIP}


def label_index() -> dict[str, Field]:
    """Map every normalised label (zh, en and aliases, of every form) to its field."""
    index: dict[str, Field] = {}
    for form in FORMS.values():
        for f in form.fields:
            for label in (f.label_zh, f.label_en, *f.aliases):
                index[normalise_label(label)] = f
    return index


def own_labels() -> set[str]:
    """The normalised labels only paperbot's forms use: every Chinese label, and the English
    labels that are more than one common word (``Paper title``, not ``Summary``)."""
    labels = [f.label_zh for form in FORMS.values() for f in form.fields]
    labels += [f.label_en for form in FORMS.values() for f in form.fields if " " in f.label_en]
    return {normalise_label(x) for x in labels}


_OPTIONAL = re.compile(r"\s*\((?:可选|选填|optional)\)\s*$")


def normalise_label(text: str) -> str:
    """Fold width, case and spaces, and drop a trailing colon or (optional), for matching."""
    text = " ".join(unicodedata.normalize("NFKC", text).split()).casefold()
    return _OPTIONAL.sub("", text.rstrip(" :*")).rstrip(" :*")

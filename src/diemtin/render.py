"""Summaries as text, Markdown or JSON, with citations back to the source articles."""

from __future__ import annotations

import json
import re

from diemtin.links import http_url
from diemtin.types import Summary

FORMATS = ("text", "markdown", "json")
# Characters that let text become a link, an image, an autolink or raw HTML in Markdown.
_MARKDOWN_SPECIAL = re.compile(r"[\\`\[\]<>]")


def markdown_text(text: str) -> str:
    """Article text for Markdown, shown as written: no link or HTML can be made of it.

    >>> print(markdown_text("Xem [ảnh](javascript:alert(1)) <script>"))
    Xem \\[ảnh\\](javascript:alert(1)) \\<script\\>
    """
    return _MARKDOWN_SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def markdown_link(title: str, url: str | None) -> str:
    """``[title](url)`` when ``url`` is http(s); else the title alone."""
    url = http_url(url)
    title = markdown_text(title)
    if not url:
        return title
    return f"[{title}](<{url.replace('<', '%3C').replace('>', '%3E')}>)"


def citation_numbers(article_ids) -> dict[str, int]:
    """Article id -> its citation number: 1, 2, ... in order of first citation."""
    numbers: dict[str, int] = {}
    for article_id in article_ids:
        numbers.setdefault(article_id, len(numbers) + 1)
    return numbers


def _cited(summary: Summary) -> tuple[list[tuple[str, int]], list]:
    """Each sentence with the 1-based number of its article among those cited, and those articles."""
    numbers = citation_numbers(s.article_id for s in summary.sentences)
    by_id = {a.id: a for a in summary.articles}
    cited = [by_id.get(article_id) for article_id in numbers]
    return [(s.text, numbers[s.article_id]) for s in summary.sentences], cited


# Words of an untitled article's opening that stand in for its title.
LABEL_WORDS = 14


def article_label(title: str | None, opening: str | None) -> str:
    """What names an article to a reader: its title, or for an untitled one the first words of
    its lead, never its id.

    >>> article_label("", "Sáng 3/10, tân Tổng thư ký NATO Mark Rutte đã có chuyến thăm đầu tiên tới Kyiv sau khi nhậm chức.")
    'Sáng 3/10, tân Tổng thư ký NATO Mark Rutte đã có chuyến thăm đầu…'
    """
    if title and title.strip():
        return title.strip()
    words = (opening or "").split()
    if not words:
        return "(bài không có tiêu đề)"
    return " ".join(words[:LABEL_WORDS]) + ("…" if len(words) > LABEL_WORDS else "")


def _source_line(article) -> str:
    label = article.title
    extra = ", ".join(x for x in (article.source, article.published or "", article.url) if x)
    return " ".join(x for x in (label, f"({extra})" if extra else "") if x)


def to_text(summary: Summary, heading: bool = False) -> str:
    lines = [f"== {summary.cluster_id} =="] if heading else []
    sentences, cited = _cited(summary)
    if not sentences:
        lines.append("(no summary: the articles have no sentence of 5 syllables or more)")
    lines += [f"{text} [{n}]" for text, n in sentences]
    if cited:
        lines.append("")
        lines += [f"[{n}] {a.id}" + (f": {_source_line(a)}" if _source_line(a) else "")
                  for n, a in enumerate(cited, start=1) if a]
    if summary.facts:
        numbers = {a.id: n for n, a in enumerate(cited, start=1) if a}
        lines.append("")
        lines += [line.replace("**", "") for line in
                  facts_lines(summary.facts, lambda article_id: numbers.get(article_id, article_id), escape=str)]
    return "\n".join(lines).rstrip()


def to_markdown(summary: Summary, heading: bool = False) -> str:
    lines = [f"## {summary.cluster_id}", ""] if heading else []
    sentences, cited = _cited(summary)
    numbers = {a.id: n for n, a in enumerate(cited, start=1) if a}
    if not sentences:
        lines.append("*No summary: the articles have no sentence of 5 syllables or more.*")
    else:
        lines.append(" ".join(f"{markdown_text(text)} [{n}]" for text, n in sentences))
        lines += ["", "**Nguồn (sources):**", ""]
        for n, a in enumerate(cited, start=1):
            if a is None:
                continue
            meta = markdown_text(", ".join(x for x in (a.source, a.published or "") if x))
            lines.append(f"{n}. {markdown_link(article_label(a.title, a.sapo or a.text), a.url)}" + (f" — {meta}" if meta else "")
                         + f" `{a.id.replace('`', '')}`")  # nothing in a code span is a link or HTML
    if summary.facts:
        lines.append("")
        lines += facts_lines(summary.facts, lambda article_id: numbers.get(article_id, article_id))
    return "\n".join(lines).rstrip()


def to_json(summary: Summary) -> str:
    data = summary.to_dict()
    if summary.facts is not None:
        data["facts"] = summary.facts
    return json.dumps(data, ensure_ascii=False)


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def facts_lines(facts: dict, label, escape=markdown_text) -> list[str]:
    """Markdown lines for a story's facts; ``label(article_id)`` names the article cited;
    ``escape`` makes article text safe for the output (``str`` for plain text)."""
    lines: list[str] = []
    if facts.get("entities"):
        shown = []
        for e in facts["entities"][:12]:
            role = f"; {sorted(e['roles'], key=len)[-1]}" if e.get("roles") else ""
            shown.append(escape(f"{e['name']} ({e['type']}{role}; {e['articles']} bài)"))
        lines += ["**Nhân vật, tổ chức, địa điểm:** " + ", ".join(shown), ""]
    if facts.get("quotes"):
        lines.append("**Trích dẫn:**")
        lines += [f"- {escape(q['speaker'])}: “{escape(_short(q['quote']))}” [{label(q['article_id'])}]"
                  for q in facts["quotes"][:8]]
        lines.append("")
    dated = [d for d in facts.get("timeline", []) if d.get("year_known")]
    undated = [d for d in facts.get("timeline", []) if not d.get("year_known")]
    if dated or undated:
        lines.append("**Diễn biến:**" + ("" if facts.get("publication_time_known") else
                                          " (không rõ thời điểm đăng bài nên không rõ năm)"))
        seen = set()
        for d in dated + undated:
            key = (d["date"], d["sentence"])
            if key in seen:
                continue
            seen.add(key)
            when = d["date"] if d["year_known"] else f"{escape(d['text'])} (không rõ năm)"
            lines.append(f"- {when}: {escape(_short(d['sentence']))} [{label(d['article_id'])}]")
        lines.append("")
    for diff in facts.get("differences", []):
        values = "; ".join(f"{escape(v['value'])} theo {escape(v['outlet'])} [{label(v['article_id'])}]"
                           for v in diff["values"])
        lines.append(f"**Số liệu khác nhau** ({escape(diff['what'])}): {values}")
    if facts.get("differences"):
        lines.append("")
    if facts.get("exclusive"):
        lines.append("**Chỉ một nguồn đưa tin:**")
        lines += [f"- {escape(x['outlet'])}: {escape(_short(x['sentence']))} [{label(x['article_id'])}]"
                  for x in facts["exclusive"]]
        lines.append("")
    return lines


def render(summary: Summary, fmt: str, heading: bool = False) -> str:
    if fmt == "json":
        return to_json(summary)
    if fmt == "markdown":
        return to_markdown(summary, heading)
    return to_text(summary, heading)

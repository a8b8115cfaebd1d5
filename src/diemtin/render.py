"""Summaries as text, Markdown or JSON, with citations back to the source articles."""

from __future__ import annotations

import json

from diemtin.types import Summary

FORMATS = ("text", "markdown", "json")


def _cited(summary: Summary) -> tuple[list[tuple[str, int]], list]:
    """Each sentence with the 1-based number of its article among those cited, and those articles."""
    numbers: dict[str, int] = {}
    for s in summary.sentences:
        numbers.setdefault(s.article_id, len(numbers) + 1)
    by_id = {a.id: a for a in summary.articles}
    cited = [by_id.get(article_id) for article_id in numbers]
    return [(s.text, numbers[s.article_id]) for s in summary.sentences], cited


def _article_label(article) -> str:
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
        lines += [f"[{n}] {a.id}" + (f": {_article_label(a)}" if _article_label(a) else "")
                  for n, a in enumerate(cited, start=1) if a]
    return "\n".join(lines)


def to_markdown(summary: Summary, heading: bool = False) -> str:
    lines = [f"## {summary.cluster_id}", ""] if heading else []
    sentences, cited = _cited(summary)
    if not sentences:
        lines.append("*No summary: the articles have no sentence of 5 syllables or more.*")
    else:
        lines.append(" ".join(f"{text} [{n}]" for text, n in sentences))
        lines += ["", "**Nguồn (sources):**", ""]
        for n, a in enumerate(cited, start=1):
            if a is None:
                continue
            title = a.title or a.id
            link = f"[{title}]({a.url})" if a.url else title
            meta = ", ".join(x for x in (a.source, a.published or "") if x)
            lines.append(f"{n}. {link}" + (f" — {meta}" if meta else "") + f" `{a.id}`")
    return "\n".join(lines)


def to_json(summary: Summary) -> str:
    return json.dumps(summary.to_dict(), ensure_ascii=False)


def render(summary: Summary, fmt: str, heading: bool = False) -> str:
    if fmt == "json":
        return to_json(summary)
    if fmt == "markdown":
        return to_markdown(summary, heading)
    return to_text(summary, heading)

"""Story -> Digest: the stories of a time window, ranked, each with its cited summary and outlets.

Rank = (outlets + 0.5 * log2(1 + articles)) * 0.5 ** (hours since the story's last article / 24):
a story carried by many outlets comes first, more articles help less, and a story loses half
its weight for each day without news.
"""

from __future__ import annotations

import json
import math
from datetime import datetime

from diemtin.render import citation_numbers, facts_lines, markdown_link, markdown_text
from diemtin.store.database import Store
from diemtin.times import parse_at, parse_since, utcnow
from diemtin.types import Digest, DigestEntry, StoryRecord

# HTML is the web layer's to render (diemtin.web.pages.digest_html): the digest sits below it.
FORMATS = ("markdown", "json")
HALF_LIFE_HOURS = 24.0


def rank(outlets: int, articles: int, last: datetime | None, now: datetime) -> float:
    hours = max((now - (last or now)).total_seconds() / 3600, 0.0)
    return (outlets + 0.5 * math.log2(1 + articles)) * 0.5 ** (hours / HALF_LIFE_HOURS)


def build_digest(store: Store, since: str | None = "24h", at: str | None = None, limit: int = 20,
                 facts: bool = True) -> Digest:
    """The ranked digest as plain data (what JSON, Markdown, HTML and the web page all show).

    Only reads: summaries and facts are what the store holds (``facts=False`` leaves them out).
    """
    now = parse_at(at, utcnow())
    start = parse_since(since, now)
    candidates = store.ranking_rows(since=start, until=now)
    scored = sorted(((rank(outlets, articles, last, now), story_id) for story_id, outlets, articles, last in candidates),
                    key=lambda pair: (-pair[0], pair[1]))[:limit]
    entries = [digest_entry(store.story(story_id), number, score)
               for number, (score, story_id) in enumerate(scored, start=1)]
    if not facts:
        for entry in entries:
            entry["facts"] = None
    latest = store.latest_time()
    return {
        "generated_at": now.isoformat(timespec="minutes"),
        "since": start.isoformat(timespec="minutes") if start else None,
        "stories_in_window": len(candidates),
        "latest_story_time": latest.isoformat(timespec="minutes") if latest else None,
        "stories": entries,
    }


def digest_entry(story: StoryRecord, position: int, score: float) -> DigestEntry:
    """A story with its summary sentences numbered by the article they cite ([1], [2], ...)."""
    by_id = {a["id"]: a for a in story["members"]}
    summary = (story["summary"] or {}).get("sentences", [])
    cited = citation_numbers(s["article_id"] for s in summary)
    sentences = [{**s, "citation": cited[s["article_id"]]} for s in summary]
    outlets = sorted({a["source"] for a in story["members"] if a["source"]})
    return {
        "position": position, "id": story["id"], "title": story["title"], "score": round(score, 3),
        "articles": story["articles"], "outlets": outlets, "keywords": story["keywords"],
        "first_published": story["first_published"], "last_published": story["last_published"],
        "summary": sentences,
        "summary_provisional": story.get("summary_stale", False),
        "sources": [{"citation": n, **by_id.get(aid, {"id": aid, "title": aid, "source": "", "url": None})}
                    for aid, n in cited.items()],
        "links": [{"id": a["id"], "title": a["title"], "source": a["source"], "url": a["url"]}
                  for a in story["members"]],
        "facts": story.get("facts"),
    }


def to_markdown(digest: Digest) -> str:
    lines = [f"# Điểm tin — {digest['generated_at']}", ""]
    if not digest["stories"]:
        lines.append(_empty_note(digest))
    for entry in digest["stories"]:
        meta = f"{entry['articles']} bài" + (f", {len(entry['outlets'])} nguồn" if entry["outlets"] else "")
        lines += [f"## {entry['position']}. {markdown_text(entry['title'])}", "",
                  f"*{meta}; {entry['last_published'] or ''}*", ""]
        if entry["summary"]:
            lines.append(" ".join(f"{markdown_text(s['text'])} [{s['citation']}]" for s in entry["summary"]))
            lines.append("")
        for source in entry["sources"]:
            link = markdown_link(source["title"] or source["id"], source.get("url"))
            lines.append(f"{source['citation']}. {link}"
                         + (f" — {markdown_text(source['source'])}" if source.get("source") else ""))
        if entry["outlets"]:
            lines += ["", "Nguồn đưa tin: " + markdown_text(", ".join(entry["outlets"]))]
        lines.append("")
        if entry.get("facts"):
            numbers = {s["id"]: s["citation"] for s in entry["sources"]}
            lines += facts_lines(entry["facts"], lambda article_id: numbers.get(article_id, article_id))
    return "\n".join(lines).rstrip() + "\n"


def _empty_note(digest: dict) -> str:
    note = "Không có tin nào trong khoảng thời gian này."
    if digest["latest_story_time"]:
        note += f" Tin mới nhất trong cơ sở dữ liệu là lúc {digest['latest_story_time']} (dùng --since all)."
    return note


def render_digest(digest: Digest, fmt: str) -> str:
    """The digest as Markdown or JSON."""
    if fmt == "json":
        return json.dumps(digest, ensure_ascii=False, indent=1)
    if fmt == "markdown":
        return to_markdown(digest)
    raise ValueError(f"unknown digest format {fmt!r}; choose one of: {', '.join(FORMATS)}")

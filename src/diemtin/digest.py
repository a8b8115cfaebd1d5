"""Story -> Digest: the stories of a time window, ranked, each with its cited summary and outlets.

Rank = (outlets + 0.5 * log2(1 + articles)) * 0.5 ** (hours since the story's last article / 24):
a story carried by many outlets comes first, more articles help less, and a story loses half
its weight for each day without news.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime

from diemtin.config import DIGEST_ORDERS
from diemtin.render import article_label, citation_numbers, facts_lines, markdown_link, markdown_text
from diemtin.store.database import Store
from diemtin.times import named_dates, parse_at, parse_since, utcnow, vietnam_time
from diemtin.types import Digest, DigestEntry, StoryRecord

# HTML is the web layer's to render (diemtin.web.pages.digest_html): the digest sits below it.
FORMATS = ("markdown", "json")
HALF_LIFE_HOURS = 24.0


def rank(outlets: int, articles: int, last: datetime | None, now: datetime) -> float:
    hours = max((now - (last or now)).total_seconds() / 3600, 0.0)
    return (outlets + 0.5 * math.log2(1 + articles)) * 0.5 ** (hours / HALF_LIFE_HOURS)


def build_digest(store: Store, since: str | None = "24h", at: str | None = None, limit: int = 20,
                 facts: bool = True, order: str = "rank", offset: int = 0, section: str | None = None) -> Digest:
    """The ranked digest as plain data (what JSON, Markdown, HTML and the web page all show).

    ``order``: one of ``config.DIGEST_ORDERS``; ``offset``: how many stories of that order to skip (the next
    page starts where the last one ended); ``section``: only that section's stories. Only reads: summaries and facts are what the store
    holds (``facts=False`` leaves them out).
    """
    if order not in DIGEST_ORDERS:
        raise ValueError(f"unknown digest order {order!r}; choose one of: {', '.join(DIGEST_ORDERS)}")
    now = parse_at(at, utcnow())
    start = parse_since(since, now)
    candidates = store.ranking_rows(since=start, until=now, section=section)
    rows = [(rank(outlets, articles, last, now), outlets, articles, last or datetime.min, story_id)
            for story_id, outlets, articles, last in candidates]
    # ties go by the next criterion, then by id, so a page boundary never repeats or skips a story
    key = {"rank": lambda r: (-r[0], r[4]),
           "newest": lambda r: (-r[3].timestamp(), -r[0], r[4]),
           "outlets": lambda r: (-r[1], -r[2], -r[0], r[4])}[order]
    scored = [(r[0], r[4]) for r in sorted(rows, key=key)][offset:offset + limit]
    entries = [digest_entry(store.story(story_id), number, score)
               for number, (score, story_id) in enumerate(scored, start=offset + 1)]
    if not facts:
        for entry in entries:
            entry["facts"] = None
    latest = store.latest_time()
    return {
        "generated_at": now.isoformat(timespec="minutes"),
        "since": start.isoformat(timespec="minutes") if start else None,
        "order": order,
        "offset": offset,
        "section": section,
        "stories_in_window": len(candidates),
        "latest_story_time": latest.isoformat(timespec="minutes") if latest else None,
        "stories": entries,
    }


def digest_entry(story: StoryRecord, position: int, score: float) -> DigestEntry:
    """A story with its summary sentences numbered by the article they cite ([1], [2], ...)."""
    by_id = {a["id"]: a for a in story["members"]}
    summary = (story["summary"] or {}).get("sentences", [])
    cited = citation_numbers(s["article_id"] for s in summary)
    # every article of the story has a number, the summary's sources first: a fact may cite any
    numbered = citation_numbers([*cited, *(a["id"] for a in story["members"])])
    sentences = [{**s, "citation": cited[s["article_id"]]} for s in summary]
    outlets = sorted({a["source"] for a in story["members"] if a["source"]})
    for member in story["members"]:
        member["label"] = article_label(member["title"], member.get("opening"))
    published = [m["published_at"] for m in story["members"] if m.get("published_at")]
    return {
        "position": position, "id": story["id"], "title": story["title"], "score": round(score, 3),
        "articles": story["articles"], "outlets": outlets,
        # the story counts an article of unknown outlet as an outlet of its own (``store.update``):
        # those are shown as outlets whose name is unknown, so the two counts agree
        "outlets_unnamed": max(story["outlets"] - len(outlets), 0), "section": story.get("section"),
        # the earliest article's lead image; only https, which a page served over https may show
        "image": next((m["image"] for m in story["members"] if (m.get("image") or "").startswith("https://")), None),
        "keywords": story["keywords"],
        # publication times only: a story whose articles carry none shows no time rather than
        # the time it was ingested (which its ranking still uses)
        "first_published": min(published, default=None), "last_published": max(published, default=None),
        "summary": sentences,
        "summary_provisional": story.get("summary_stale", False),
        "sources": [{"citation": n, **by_id.get(aid, {"id": aid, "title": "", "label": aid, "source": "", "url": None})}
                    for aid, n in cited.items()],
        "links": [{"id": a["id"], "title": a["title"], "label": a["label"], "source": a["source"], "url": a["url"],
                   "published_at": a.get("published_at"), "duplicate_of": a.get("duplicate_of"),
                   "citation": numbered[a["id"]]}
                  for a in story["members"]],
        "facts": story.get("facts"),
    }


def series_key(title: str) -> tuple[str, tuple[int, int, int]] | None:
    """A title's series and its date: the words before the first date it names
    (``times.named_dates``; lower case; at least two) and (year or 0, month, day); None for a
    title that names no date after two words.

    >>> series_key("Giá vàng hôm nay 12/7: Bất ổn, vàng chưa thể 'ngóc đầu'")
    ('giá vàng hôm nay', (0, 7, 12))
    >>> series_key("Kết quả xổ số điện toán Vietlott ngày 6/2/2017"), series_key("Ngày 7/9, bão số 3 đổ bộ")
    (('kết quả xổ số điện toán vietlott', (2017, 2, 6)), None)
    >>> series_key("Giá vàng hôm nay 7.2: Sẽ hồi phục mạnh sau ngày Thần Tài")
    ('giá vàng hôm nay', (0, 2, 7))
    """
    dates = named_dates(title or "")
    if not dates:
        return None
    first = dates[0]
    prefix = " ".join(title[:first.start].lower().split()).strip(" -:,.|")
    prefix = re.sub(r"\s+ngày$", "", prefix)
    if len(prefix.split()) < 2:
        return None
    return prefix, (first.year, first.month, first.day)


class StoryIndex:
    """Which stories share keywords, and which stories are one series' reports: the stories'
    keywords inverted, and their titles' series, to find related stories and a series in well
    under a millisecond (a scan of every story's text per page cost 130 ms on the 35k store,
    and 20 readers queued behind it: docs/BENCHMARKS.md).

    A keyword that many stories share ("việt nam", "doanh nghiệp") says nothing about a story
    and is not counted: at most ``COMMON_SHARE`` of the stories, or ``COMMON_FLOOR`` of a small
    store, may hold a keyword that is."""

    COMMON_SHARE, COMMON_FLOOR = 0.01, 5

    def __init__(self, stories: list[tuple[str, str, list[str], datetime | None]]):
        self.postings: dict[str, set[str]] = {}
        self.last: dict[str, datetime] = {}
        self.series_of: dict[str, tuple[str, tuple]] = {}
        self.series: dict[str, list[str]] = {}
        for story_id, title, keywords, last in stories:
            self.last[story_id] = last or datetime.min
            for keyword in keywords:
                self.postings.setdefault(keyword.lower(), set()).add(story_id)
            if key := series_key(title):
                self.series_of[story_id] = key
                self.series.setdefault(key[0], []).append(story_id)
        self.common = max(self.COMMON_FLOOR, self.COMMON_SHARE * len(self.last))

    def related(self, story_id: str, terms: list[str], limit: int = 5, least: int = 2) -> list[str]:
        """Ids of the stories holding at least ``least`` of ``terms`` that are telling, most
        shared first, then newest, then by id; a story of the same series is not one of them."""
        shared: dict[str, int] = {}
        for term in dict.fromkeys(t.lower() for t in terms):
            holders = self.postings.get(term, ())
            if len(holders) <= self.common:
                for other in holders:
                    shared[other] = shared.get(other, 0) + 1
        shared.pop(story_id, None)
        same_series = set(self.series.get(self.series_of.get(story_id, ("",))[0], ()))
        found = [sid for sid, n in shared.items() if n >= least and sid not in same_series]
        return sorted(found, key=lambda sid: (-shared[sid], -self.last[sid].timestamp(), sid))[:limit]

    def neighbours(self, story_id: str, around: int = 3) -> tuple[list[str], list[str]]:
        """The reports of the story's series before and after it by the dates their titles name
        (a date without a year is in the year of the story's news), nearest first."""
        if story_id not in self.series_of:
            return [], []
        name, _ = self.series_of[story_id]

        def when(sid: str) -> tuple:
            year, month, day = self.series_of[sid][1]
            return (year or self.last[sid].year, month, day, sid)

        ordered = sorted(self.series[name], key=when)
        at = ordered.index(story_id)
        return ordered[max(at - around, 0):at][::-1], ordered[at + 1:at + 1 + around]


def related_stories(store: Store, index: StoryIndex, entry: DigestEntry, limit: int = 5) -> list:
    """Stories about the same people, places or things: those that share two or more telling
    keywords with this story, its most mentioned names (its facts) counting as keywords."""
    names = [e["name"] for e in (entry.get("facts") or {}).get("entities", [])[:4]]
    return store.story_briefs(index.related(entry["id"], entry["keywords"] + names, limit=limit))


def series_stories(store: Store, index: StoryIndex, entry: DigestEntry) -> dict:
    """The earlier and the later reports of the story's series, nearest first."""
    earlier, later = index.neighbours(entry["id"])
    return {"earlier": store.story_briefs(earlier), "later": store.story_briefs(later)}


def to_markdown(digest: Digest) -> str:
    lines = [f"# Điểm tin — {vietnam_time(digest['generated_at'])} (giờ Việt Nam)", ""]
    if not digest["stories"]:
        lines.append(_empty_note(digest))
    for entry in digest["stories"]:
        outlets = len(entry["outlets"]) + entry["outlets_unnamed"]
        meta = f"{entry['articles']} bài" + (f", {outlets} nguồn" if outlets else "")
        if entry["last_published"]:
            meta += f"; cập nhật {vietnam_time(entry['last_published'])}"
        lines += [f"## {entry['position']}. {markdown_text(entry['title'])}", "", f"*{meta}*", ""]
        if entry["summary"]:
            lines.append(" ".join(f"{markdown_text(s['text'])} [{s['citation']}]" for s in entry["summary"]))
            lines.append("")
        for source in entry["sources"]:
            link = markdown_link(source["label"], source.get("url"))
            lines.append(f"{source['citation']}. {link}"
                         + (f" — {markdown_text(source['source'])}" if source.get("source") else ""))
        if entry["outlets"]:
            unnamed = f" và {entry['outlets_unnamed']} nguồn chưa rõ tên" if entry["outlets_unnamed"] else ""
            lines += ["", "Nguồn đưa tin: " + markdown_text(", ".join(entry["outlets"])) + unnamed]
        lines.append("")
        if entry.get("facts"):
            numbers = {a["id"]: a["citation"] for a in entry["links"]}
            lines += facts_lines(entry["facts"], lambda article_id: numbers.get(article_id, article_id))
    return "\n".join(lines).rstrip() + "\n"


def _empty_note(digest: dict) -> str:
    note = "Không có tin nào trong khoảng thời gian này."
    if digest["latest_story_time"]:
        note += f" Tin mới nhất trong cơ sở dữ liệu là lúc {vietnam_time(digest['latest_story_time'])} (dùng --since all)."
    return note


def render_digest(digest: Digest, fmt: str) -> str:
    """The digest as Markdown or JSON."""
    if fmt == "json":
        return json.dumps(digest, ensure_ascii=False, indent=1)
    if fmt == "markdown":
        return to_markdown(digest)
    raise ValueError(f"unknown digest format {fmt!r}; choose one of: {', '.join(FORMATS)}")

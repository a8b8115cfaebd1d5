"""Atom feeds of the digest and of each section, written with feedgen.

A feed lists the newest stories of the last week (``FEED_SINCE``, at most ``FEED_STORIES``),
each as an entry whose id is its story page's URL, so a reader keeps one entry per story
while the story grows; the entry's content is the cited summary as plain text.
"""

from __future__ import annotations

from datetime import timezone

from diemtin.errors import require
from diemtin.links import http_url
from diemtin.times import parse_time
from diemtin.types import Digest

FEED_SINCE = "7d"
FEED_STORIES = 50
ATOM = "application/atom+xml"


def atom_feed(digest: Digest, base_url: str, title: str, path: str) -> bytes:
    """``digest`` as an Atom document; ``base_url``: the site's root (http or https), ``path``:
    the feed's own path under it."""
    feedgen = require("feedgen.feed", "feedgen", "service")
    root = (http_url(base_url) or "http://localhost/").rstrip("/")
    generated = _aware(digest["generated_at"])
    feed = feedgen.FeedGenerator()
    feed.id(root + path)
    feed.title(title)
    feed.subtitle("Điểm tin: các sự kiện được nhiều báo đưa tin, tóm tắt có trích nguồn")
    feed.link(href=root + path, rel="self")
    feed.link(href=root + "/", rel="alternate")
    feed.language("vi")
    feed.updated(generated)
    feed.generator("diemtin")
    for entry in reversed(digest["stories"]):  # feedgen puts each new entry first
        item = feed.add_entry()
        link = f"{root}/stories/{entry['id']}"
        item.id(link)
        item.title(entry["title"])
        item.link(href=link, rel="alternate")
        item.updated(_aware(entry["last_published"]) or generated)
        if entry["first_published"]:
            item.published(_aware(entry["first_published"]))
        for outlet in entry["outlets"]:
            item.author(name=outlet)
        if not entry["outlets"]:
            item.author(name="Điểm tin")
        if entry["section"]:
            item.category(term=entry["section"])
        text = " ".join(f"{s['text']} [{s['citation']}]" for s in entry["summary"])
        item.summary(text or "Chưa có tóm tắt cho sự kiện này.")
    return feed.atom_str(pretty=True)


def _aware(value: str | None):
    moment = parse_time(value)
    return moment.replace(tzinfo=timezone.utc) if moment else None

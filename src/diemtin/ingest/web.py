"""HTML pages and RSS/Atom feeds -> Article, from files or http(s) URLs.

The main text, title and date of a page come from trafilatura; feeds are read with
feedparser, and each entry keeps its outlet, link and publication time. When an entry
carries only a teaser, its page is fetched (``follow=True``) and read with trafilatura.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timezone
from urllib.parse import urlparse

from diemtin import errors
from diemtin.errors import require
from diemtin.ingest.fetch import Fetcher
from diemtin.links import canonical_url, http_url
from diemtin.text.clean import clean_text
from diemtin.text.language import not_vietnamese
from diemtin.text.normalize import normalize_text
from diemtin.types import MAX_ARTICLE_CHARS, MAX_SECTION_CHARS, Article, Problem, article_size

def article_id_for(url: str, fallback: str) -> str:
    return "url-" + hashlib.blake2b(url.encode(), digest_size=8).hexdigest() if url else fallback


PAGE_DATE = {"outputformat": "%Y-%m-%dT%H:%M:%S%z", "original_date": True, "extensive_search": False}


def _page_time(value: str | None) -> str | None:
    """A page's publication time as htmldate gives it in ``PAGE_DATE``'s format; a page that
    names only its day comes back at midnight with no offset, and stays a day.

    >>> _page_time("2024-09-07T10:00:00+0700"), _page_time("2024-09-07T00:00:00"), _page_time(None)
    ('2024-09-07T10:00:00+0700', '2024-09-07', None)
    """
    if not value:
        return None
    return value[:10] if value.endswith("T00:00:00") else value


def article_from_html(html: str, where: str, url: str = "", source: str = "") -> Article | Problem:
    """The main text of a news page, with its title and date, or a Problem naming ``where``."""
    trafilatura = require("trafilatura", "trafilatura", "service")
    # the time of day too, where the page gives one (trafilatura's default keeps only the day)
    document = trafilatura.bare_extraction(html, url=url or None, with_metadata=True, include_comments=False,
                                           include_tables=False, favor_precision=True,
                                           date_extraction_params=PAGE_DATE)
    if document is None or not (document.text or "").strip():
        return Problem(where, "no article text found in the page (is it a news article?); skipped")
    if (size := article_size(document.title, document.description, document.text)) > MAX_ARTICLE_CHARS:
        return Problem(where, errors.TOO_LARGE.format(size=size, limit=MAX_ARTICLE_CHARS))
    paragraphs = clean_text(document.text).paragraphs
    title = normalize_text(document.title or "")
    if len(paragraphs) > 1 and paragraphs[0] == title:  # the page's <h1>, already the title
        paragraphs.pop(0)
    if not paragraphs:
        return Problem(where, "no article text is left once captions and link rows are removed")
    if reason := not_vietnamese(f"{title}\n" + "\n".join(paragraphs)):
        return Problem(where, reason)
    # the page's canonical address when it is on the page's own host, without tracking parameters
    url = canonical_url(url, document.url) if url else canonical_url(document.url)
    return Article(
        id=article_id_for(url, f"html-{hashlib.blake2b(html.encode(), digest_size=8).hexdigest()}"),
        title=title,
        text="\n".join(paragraphs),
        sapo=normalize_text(document.description or "") if document.description else "",
        source=source or normalize_text(document.sitename or document.hostname or urlparse(url).hostname or ""),
        published=_page_time(document.date),
        url=url,
        image=http_url(document.image or ""),  # og:image or twitter:image, as trafilatura reads it
        section=normalize_text((document.categories or [""])[0])[:MAX_SECTION_CHARS],  # article:section
    )


def _entry_image(entry) -> str:
    """The image a feed entry names (Media RSS content or thumbnail, or an image enclosure)."""
    candidates = [m.get("url", "") for m in entry.get("media_content", []) if m.get("medium", "image") == "image"]
    candidates += [m.get("url", "") for m in entry.get("media_thumbnail", [])]
    candidates += [e.get("href", "") for e in entry.get("enclosures", []) if e.get("type", "").startswith("image/")]
    return next((url for url in map(http_url, candidates) if url), "")


def _entry_section(entry, feed) -> str:
    """The outlet's section of a feed entry: its first category, else the feed's own (Vietnamese
    outlets publish one feed per section, titled "VnExpress - Thể thao" or "Thể thao - VnExpress")."""
    tags = [t.get("term", "") for t in entry.get("tags", []) if t.get("term")]
    if tags:
        return normalize_text(tags[0])[:MAX_SECTION_CHARS]
    feed_tags = [t.get("term", "") for t in feed.feed.get("tags", []) if t.get("term")]
    # else the feed's title, outlet and all: ``sections.outlet_section`` reads the section out of it
    return normalize_text(feed_tags[0] if feed_tags else feed.feed.get("title", ""))[:MAX_SECTION_CHARS]


def _entry_time(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return datetime(*value[:6], tzinfo=timezone.utc).isoformat()
    return None


def articles_from_feed(data: bytes, where: str, fetcher: Fetcher | None = None,
                       known: Callable[[list[str]], set[str]] | None = None,
                       read: Callable[[str], None] | None = None) -> tuple[list[Article], list[Problem]]:
    """Articles of an RSS or Atom feed; problems for entries that carry no text.

    ``fetcher``: fetch each entry's page for its full text (``--follow``), under its rules.
    ``known``: which of the entries' links are already stored; those entries are left out and
    their pages not fetched (a poller reads the same feed again and again).
    ``read``: called with the link of every entry that gave an article (its page may name
    another address as its own, under which the article is stored).
    """
    feedparser = require("feedparser", "feedparser", "service")
    feed = feedparser.parse(data)
    if feed.bozo and not feed.entries:
        return [], [Problem(where, f"not a readable RSS or Atom feed ({feed.bozo_exception}); check the address")]
    outlet = normalize_text(feed.feed.get("title", "")) or urlparse(feed.feed.get("link", "")).hostname or ""
    articles, problems = [], []
    # a feed's link may be any scheme (kept only when http(s)) and carry tracking parameters
    links = [canonical_url(entry.get("link", "")) for entry in feed.entries]
    stored = known([link for link in links if link]) if known else set()
    for number, (entry, link) in enumerate(zip(feed.entries, links), start=1):
        if link and link in stored:
            continue
        body = ""
        if entry.get("content"):
            body = entry.content[0].get("value", "")
        body = body or entry.get("summary", "")
        if fetcher is not None and link:
            page = fetcher.get(link)
            if isinstance(page, Problem):
                problems.append(page)
            else:
                article = article_from_html(decode_page(page), link, url=link, source=outlet)
                if isinstance(article, Article):
                    # the entry's time where the page gives none or only its day
                    if not article.published or len(article.published) <= 10:
                        article.published = _entry_time(entry) or article.published
                    article.image = article.image or _entry_image(entry)
                    article.section = article.section or _entry_section(entry, feed)
                    article.title = article.title or normalize_text(entry.get("title", ""))
                    articles.append(article)
                    if read:
                        read(link)
                    continue
        if (size := article_size(entry.get("title"), body)) > MAX_ARTICLE_CHARS:
            problems.append(Problem(where, f"feed entry {number} ({link or 'no link'}): "
                                           + errors.TOO_LARGE.format(size=size, limit=MAX_ARTICLE_CHARS)))
            continue
        text = "\n".join(clean_text(_html_to_text(body)).paragraphs) if body else ""
        if not text:
            problems.append(Problem(where, f"feed entry {number} ({link or 'no link'}) has no text; skipped"))
            continue
        articles.append(Article(
            id=article_id_for(link, f"{where}#{number}"), title=normalize_text(entry.get("title", "")),
            text=text, source=outlet, published=_entry_time(entry), url=link, image=_entry_image(entry),
            section=_entry_section(entry, feed)))
        if read and link:
            read(link)
    return articles, problems


def _html_to_text(fragment: str) -> str:
    if "<" not in fragment:
        return fragment
    import lxml.html  # noqa: PLC0415  (trafilatura's own dependency)

    try:
        root = lxml.html.fromstring(fragment)
    except Exception:  # noqa: BLE001  (a broken fragment: keep what text there is)
        return fragment
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return "\n".join(t.strip() for t in root.itertext() if t.strip())


def decode_page(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def looks_like_feed(data: bytes) -> bool:
    head = data[:2000].lstrip().lower()
    return head.startswith(b"<?xml") and (b"<rss" in head or b"<feed" in head or b"<rdf" in head) or \
        head.startswith((b"<rss", b"<feed"))


def read_url(url: str, fetcher: Fetcher, follow: bool = False) -> tuple[list[Article], list[Problem]]:
    """The article of a page, or the articles of a feed (``follow``: each entry's page too)."""
    data = fetcher.get(url)
    if isinstance(data, Problem):
        return [], [data]
    if looks_like_feed(data):
        return articles_from_feed(data, url, fetcher if follow else None)
    article = article_from_html(decode_page(data), url, url=url)
    return ([article], []) if isinstance(article, Article) else ([], [article])

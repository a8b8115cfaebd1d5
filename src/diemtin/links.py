"""Links: only http(s) URLs are stored and rendered.

A ``javascript:`` or ``data:`` URL in an article's ``url`` would be a live script in every page,
export or Markdown file that links to the article, so readers drop such URLs (with a note),
the API refuses them, and every renderer checks again what it links to.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SCHEMES = ("http", "https")


def http_url(url: str | None) -> str:
    """``url`` when it is an http(s) URL with a host, else "".

    >>> http_url("https://vnexpress.net/a.html"), http_url("javascript:alert(1)"), http_url(" JavaScript:x")
    ('https://vnexpress.net/a.html', '', '')
    """
    if not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    # control characters and spaces inside a URL are how scheme checks get fooled ("java\tscript:")
    if parts.scheme.lower() not in SCHEMES or not parts.netloc or any(ord(c) < 33 or c == "\x7f" for c in url.strip()):
        return ""
    return url.strip()



# Query parameters that say where a reader came from, not which page: one article reached from
# two feeds or a newsletter carries different ones.
TRACKING = ("utm_", "fbclid", "gclid", "zarsrc", "zacc", "mc_cid", "mc_eid", "gidzl", "_ga")


def canonical_url(url: str | None, canonical: str | None = None) -> str:
    """The address that names a page once: the page's ``<link rel="canonical">`` (``canonical``)
    when it is http(s) on the same host, else ``url``; tracking parameters and the fragment
    removed, the host lower-cased. "" when neither is an http(s) URL.

    >>> canonical_url("https://VnExpress.net/a.html?utm_source=rss&p=2#binh-luan")
    'https://vnexpress.net/a.html?p=2'
    >>> canonical_url("https://tuoitre.vn/a.htm?zarsrc=30", "https://tuoitre.vn/bai-a.htm")
    'https://tuoitre.vn/bai-a.htm'
    >>> canonical_url("https://tuoitre.vn/a.htm", "https://evil.example/a.htm"), canonical_url("javascript:x")
    ('https://tuoitre.vn/a.htm', '')
    """
    given = http_url(url)
    chosen = http_url(canonical)
    if not given or (chosen and urlsplit(chosen).netloc.lower() != urlsplit(given).netloc.lower()):
        chosen = ""
    parts = urlsplit(chosen or given)
    if not parts.scheme:
        return ""
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(TRACKING)]
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", urlencode(query), ""))

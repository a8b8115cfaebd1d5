"""Links: only http(s) URLs are stored and rendered.

A ``javascript:`` or ``data:`` URL in an article's ``url`` would be a live script in every page,
export or Markdown file that links to the article, so readers drop such URLs (with a note),
the API refuses them, and every renderer checks again what it links to.
"""

from __future__ import annotations

from urllib.parse import urlsplit

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


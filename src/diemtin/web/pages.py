"""Server-rendered pages: Jinja2 with autoescaping, so article text always shows as text.

Every page and every exported HTML file carries a strict Content-Security-Policy (no script at
all), and links only to http(s) URLs (``links.http_url``).
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from pathlib import Path

from diemtin.errors import require
from diemtin.links import http_url
from diemtin.render import article_label
from diemtin.sections import section_slug, sections
from diemtin.times import time_ago, utcnow, vietnam_time

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

# The pages use no script; styles come from the app's own stylesheet.
# Lead images are the outlets' own, over https only, and sent no referrer (the templates say so).
CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self' https:; form-action 'self'; "
                           "base-uri 'none'; frame-ancestors 'none'")


@lru_cache(maxsize=1)
def environment():
    jinja2 = require("jinja2", "jinja2", "service")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    stylesheet = (STATIC / "style.css").read_text(encoding="utf-8")
    env.globals["stylesheet"] = stylesheet
    env.globals["standalone_policy"] = standalone_policy(stylesheet)
    env.filters["http_url"] = http_url
    env.globals["sections"] = [(name, section_slug(name)) for name in sections()]  # the menu
    env.filters["section_slug"] = section_slug
    env.filters["ago"] = time_ago
    env.filters["vietnam_time"] = vietnam_time
    env.filters["label"] = lambda article: article.get("label") or article_label(article.get("title"),
                                                                                   article.get("opening"))
    return env


def standalone_policy(stylesheet: str) -> str:
    """The pages' policy for an exported file, which carries its stylesheet inline: that one
    stylesheet is allowed by its hash (a <meta> policy cannot say frame-ancestors)."""
    digest = base64.b64encode(hashlib.sha256(stylesheet.encode("utf-8")).digest()).decode()
    policy = CONTENT_SECURITY_POLICY.replace("style-src 'self'", f"style-src 'sha256-{digest}'")
    return policy.replace("; frame-ancestors 'none'", "")


def render_page(name: str, **context) -> str:
    context.setdefault("standalone", False)
    context.setdefault("section", None)  # the section a page shows, marked in the menu
    context.setdefault("home", False)
    context.setdefault("now", utcnow().isoformat(timespec="seconds"))  # what relative times count from
    return environment().get_template(name).render(**context)


def digest_html(digest: dict) -> str:
    """The digest as one self-contained HTML file (stylesheet inline, the standalone policy)."""
    return render_page("digest.html", digest=digest, standalone=True, query="")


def digest_email(digest: dict, base_url: str | None = None) -> str:
    """The digest as a self-contained HTML e-mail: every style inline (mail clients drop
    stylesheets), no script, links only to http(s) URLs; with ``base_url`` (the site's root),
    each headline links to its story page there."""
    root = (http_url(base_url) or "").rstrip("/") if base_url else ""
    return render_page("email.html", digest=digest, standalone=True, query="", base_url=root)

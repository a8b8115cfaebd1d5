"""Server-rendered pages: Jinja2 with autoescaping, so article text always shows as text."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from diemtin.errors import require

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"


@lru_cache(maxsize=1)
def environment():
    jinja2 = require("jinja2", "jinja2", "service")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.globals["stylesheet"] = (STATIC / "style.css").read_text(encoding="utf-8")
    return env


def render_page(name: str, **context) -> str:
    context.setdefault("standalone", False)
    return environment().get_template(name).render(**context)

"""Names whose type news settles across many articles (built by ``tools/build_gazetteer.py``).

>>> known_type("Kim Jong-un"), known_type("Al-Qaeda"), known_type("Camry")
('PER', 'ORG', 'OTHER')
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

GAZETTEER = Path(__file__).parent / "data" / "gazetteer.tsv.gz"


@cache
def _names() -> dict[str, tuple[str, int]]:
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as rows:
        return {name: (kind, int(count)) for name, kind, count in (line.rstrip("\n").split("\t") for line in rows if line.strip())}


def known_type(name: str) -> str | None:
    """PER, ORG, LOC, OTHER (a product, a work, a storm: none of the three), or None if unknown."""
    found = _names().get(name)
    return found[0] if found else None


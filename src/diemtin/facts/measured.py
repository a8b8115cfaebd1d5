"""How often an entity typed one way is right, measured on the facts check set's dev halves.

An entity's confidence is the share of the entities typed the same way (its ``Entity.basis`` and
type: "head ORG", "acronym ORG", "ner-3 PER", ...) that the check set's labels call right: real,
well formed, the right type, not a second entry. The counts ship in ``data/entity_precision.json``,
written by ``python -m diemtin.evaluate.facts --measure`` from the labelled dev halves only (the
report half is never read for it), so a rule's confidence is what it scored on stories it was not
written for, not what its author hoped.

>>> entity_confidence("listed", "LOC") > 0.9 > entity_confidence("ner", "LOC")
True
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

ENTITY_PRECISION = Path(__file__).parent / "data" / "entity_precision.json"
MIN_COUNTED = 8  # fewer labelled entities of a kind say little: its basis pooled over types, then its family
NER_BASES = frozenset({"ner", "ner-3", "ner-once"})  # typed by underthesea's NER alone


def smoothed(shown: int, right: int) -> float:
    """The share right, pulled towards one half by one right and one wrong entity (Laplace)."""
    return round((right + 1) / (shown + 2), 3)


def _family(basis: str) -> str:
    return "family " + ("ner" if basis in NER_BASES else "rule")


@cache
def _counts() -> dict[str, list[int]]:
    """The shipped counts by basis and type, and pooled by basis and by family."""
    cells = json.loads(ENTITY_PRECISION.read_text(encoding="utf-8"))["cells"]
    counts: dict[str, list[int]] = dict(cells)
    for key, (shown, right) in cells.items():
        basis = key.split(" ")[0]
        for group in (basis, _family(basis)):
            total = counts.setdefault(group, [0, 0])
            total[0] += shown
            total[1] += right
    return counts


def entity_confidence(basis: str, kind: str) -> float:
    """The measured precision of entities of this basis and type (``kind``: PER, ORG or LOC), or of
    its basis, or of its family (rules or the NER alone) where fewer than ``MIN_COUNTED`` were labelled."""
    counts = _counts()
    for key in (f"{basis} {kind}", basis, _family(basis)):
        shown, right = counts.get(key, (0, 0))
        if shown >= MIN_COUNTED:
            return smoothed(shown, right)
    return 0.5

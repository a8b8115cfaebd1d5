"""What each outlet adds: sentences only one outlet carries, and numbers that differ between
outlets for the same thing (for example different casualty counts), each with its sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from diemtin.text.normalize import syllables

# Counted things news numbers refer to, and what happened to them.
UNITS = ("người", "hành khách", "nạn nhân", "binh sĩ", "trẻ em", "thi thể", "ca", "ca mắc", "hộ", "hộ dân",
         "căn nhà", "ngôi nhà", "tỷ đồng", "triệu đồng", "nghìn tỷ đồng", "tỷ USD", "triệu USD", "USD", "km",
         "tấn", "chiếc", "tàu", "xe", "phương tiện", "quả tên lửa", "tên lửa", "máy bay", "ha", "héc-ta", "bàn")
EVENTS = ("thiệt mạng", "tử vong", "chết", "bị thương", "mất tích", "thương vong", "sơ tán", "mắc", "nhiễm",
          "bị bắt", "bị bắt giữ", "bị giam", "thiệt hại", "bị phá hủy", "bị sập", "ngập", "trên khoang", "trên máy bay",
          "được cứu", "giải cứu", "di dời", "hỗ trợ", "bồi thường", "ghi", "bị phạt", "khởi tố")
_NUMBER = re.compile(
    r"(?<![\d/.,])(?P<num>\d{1,3}(?:[.,]\d{3})+|\d+(?:,\d+)?)\s+(?P<unit>"
    + "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_EVENT = re.compile("|".join(re.escape(e) for e in sorted(EVENTS, key=len, reverse=True)), re.IGNORECASE)
# A number two outlets give differently is a real conflict in 4 of 11 cases (issue 21, checked by
# hand over 200 clusters): below facts.CONFIDENCE_BAR, so no page shows them until the rules are
# rebuilt (units, the event word before the number, a subset against a total).
DIFFERENCE_CONFIDENCE = 0.36
EXCLUSIVE_MAX_SHARED = 0.25  # share of a sentence's bigrams other outlets also have
EXCLUSIVE_PER_OUTLET = 3


@dataclass(slots=True)
class Sourced:
    outlet: str
    article_id: str
    sentence_index: int
    sentence: str


def _value(text: str) -> float:
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", text):
        return float(re.sub(r"[.,]", "", text))
    return float(text.replace(",", "."))


def number_facts(sentence: str) -> list[tuple[str, float, str]]:
    """(what, value, as written) for each counted number with an event nearby: ("người thiệt mạng", 66, "66")."""
    facts = []
    for m in _NUMBER.finditer(sentence):
        window = sentence[m.end():m.end() + 40]
        event = _EVENT.search(window)
        if event is None:
            continue
        facts.append((f"{m.group('unit').lower()} {event.group(0).lower()}", _value(m.group("num")), m.group("num")))
    return facts


def differing_numbers(items: list[Sourced]) -> list[dict]:
    """Counts of the same thing that outlets give differently, with each outlet's sentence."""
    by_what: dict[str, dict[str, tuple[float, str, Sourced]]] = {}
    for item in items:
        for what, value, written in number_facts(item.sentence):
            by_what.setdefault(what, {}).setdefault(item.outlet, (value, written, item))
    differences = []
    for what, per_outlet in by_what.items():
        if len(per_outlet) < 2 or len({v for v, _, _ in per_outlet.values()}) < 2:
            continue
        differences.append({
            "what": what, "confidence": DIFFERENCE_CONFIDENCE,
            "values": [{"value": written, "outlet": outlet, "article_id": s.article_id,
                        "sentence_index": s.sentence_index, "sentence": s.sentence}
                       for outlet, (_, written, s) in sorted(per_outlet.items(), key=lambda kv: kv[1][0])],
        })
    return differences


def _bigrams(text: str) -> set[tuple[str, str]]:
    tokens = syllables(text)
    return set(zip(tokens, tokens[1:]))


def exclusive_sentences(items: list[Sourced]) -> list[dict]:
    """Sentences with a name or a number that no other outlet's articles share."""
    outlets = sorted({i.outlet for i in items})
    if len(outlets) < 2:
        return []
    grams = {o: set() for o in outlets}
    for item in items:
        grams[item.outlet] |= _bigrams(item.sentence)
    found = []
    for outlet in outlets:
        others = set().union(*(g for o, g in grams.items() if o != outlet))
        taken = 0
        for item in (i for i in items if i.outlet == outlet):
            own = _bigrams(item.sentence)
            words = item.sentence.split()
            informative = any(c.isdigit() for c in item.sentence) or any(w[:1].isupper() for w in words[1:])
            if len(own) < 10 or not informative:
                continue
            if len(own & others) / len(own) <= EXCLUSIVE_MAX_SHARED:
                found.append({"outlet": outlet, "article_id": item.article_id, "sentence_index": item.sentence_index,
                              "sentence": item.sentence})
                taken += 1
                if taken == EXCLUSIVE_PER_OUTLET:
                    break
    return found

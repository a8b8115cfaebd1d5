"""What each outlet adds: sentences only one outlet carries, and numbers that differ between
outlets for the same thing (for example different casualty counts), each with its sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from diemtin.text.normalize import syllables

# A quantity an article states: a number, an optional qualifier before it ("hơn", "gần",
# "khoảng"), multipliers ("triệu", "tỷ") and the word it counts or measures ("người", "tuổi",
# "kg", "đồng"). Two outlets differ on a quantity when the words around it match (the same
# person's age, the same seizure, the same cost) and the values cannot both be true.
_QUALIFIERS = {"hơn": "over", "trên": "over", "ngoài": "over", "ít nhất": "least", "tối thiểu": "least",
               "gần": "under", "dưới": "under", "chưa đến": "under", "chưa tới": "under", "tối đa": "under",
               "khoảng": "about", "chừng": "about", "xấp xỉ": "about", "ước tính": "about", "ước": "about",
               "hàng": "about", "cỡ": "about"}
_MULTIPLIERS = {"nghìn": 1e3, "ngàn": 1e3, "vạn": 1e4, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9}
_QUANTITY = re.compile(
    r"(?:(?P<qualifier>" + "|".join(sorted(_QUALIFIERS, key=len, reverse=True)) + r")\s+)?"
    r"(?<![\w/.,:+-])(?P<num>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w/:.,]\d|[/%])"
    r"(?P<mult>(?:\s+(?:" + "|".join(_MULTIPLIERS) + r"))*)\s+(?P<unit>[^\W\d_]+)", re.IGNORECASE)
# Words after a number that do not say what it counts: time (dates, durations and ages of
# things are the timeline's), ranks, and the small words of a list.
_NOT_UNITS = {"năm", "tháng", "ngày", "giờ", "phút", "giây", "tuần", "quý", "h", "g", "thế", "kỳ", "lần", "thứ",
              "và", "hoặc", "của", "trên", "đến", "tới", "lên", "cùng", "này", "gồm", "bị", "là", "với", "cho",
              "trong", "số"}
# A count tied to a moment of an unfolding story ("đến sáng 18/5", "tính đến nay", "ban đầu"):
# another outlet's other figure is a later count, not a disagreement.
_AS_OF = re.compile(r"(?:đến (?:sáng|trưa|chiều|tối|đêm) (?:nay|qua|\d)|tăng lên|đã lên (?:tới|đến)|nâng tổng|ban đầu|sơ bộ"
                    r"|hiện đã)", re.IGNORECASE)
# A quantity set beside a name, in brackets or after a comma: "bà Trần Thị Giêng (48 tuổi",
# "ông Lê Văn Tưởng, 41 tuổi".
_BESIDE = re.compile(r"([^\W\d_]+(?:\s+[^\W\d_]+)*)\s*[(,]\s*$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")  # sentences naming other years tell of other events ("Năm 2012, một con cá ngừ")
_BEFORE_NOT_A_QUANTITY = {"thứ", "số", "lần", "hạng", "top", "biển", "tàu", "mã", "phòng", "khu", "lộ", "tổ", "đội",
                          "quận", "phường", "khóa", "tập", "chương", "điều", "khoản", "lô", "hẻm", "ngõ", "ngách",
                          "tầng", "block", "hiệu", "đợt", "vùng", "bảng", "nhóm", "trận", "vòng", "kênh", "ngã"}
CONTEXT_BEFORE, CONTEXT_AFTER = 6, 4  # words each side of a quantity compared between outlets
MIN_CONTEXT = 0.35  # share of those words two quantities must share to be the same quantity
MIN_SHARED = 0.3  # share of the shorter sentence's word pairs the two sentences share
MAX_COMPARED = 2000  # sentences with quantities compared pairwise per story: bounded work (0.5 s of CPU)
# How often a difference of each kind was real on the dev half of the check set (vims-dev,
# tests/data/facts/check/differences.jsonl): right and shown, counted by
# `python -m diemtin.evaluate.facts --measure`. "named": the quantity is set beside the same name
# in both outlets (a person's age); "worded": the words around it match.
DIFFERENCE_COUNTS = {"named": (12, 12), "worded": (6, 10)}
DIFFERENCE_CONFIDENCE = {kind: round((right + 1) / (shown + 2), 2) for kind, (right, shown) in DIFFERENCE_COUNTS.items()}
EXCLUSIVE_MAX_SHARED = 0.25  # share of a sentence's bigrams other outlets also have
EXCLUSIVE_PER_OUTLET = 3


@dataclass(slots=True)
class Sourced:
    outlet: str
    article_id: str
    sentence_index: int
    sentence: str


@dataclass(slots=True)
class Quantity:
    written: str  # as the outlet wrote it: "hơn 16 triệu won"
    unit: str
    value: float
    low: float  # the values the words allow
    high: float
    left: tuple[str, ...]  # the words before and after it, as written
    right: tuple[str, ...]
    item: Sourced
    named: str = ""  # the name it is set beside: "Trần Thị Giêng" of "Trần Thị Giêng (48 tuổi"
    context: frozenset[str] = frozenset()  # the words before ("<") and after (">") it, lowercased


def _value(number: str) -> tuple[float, float]:
    """The number and the step of its last written digit: "1.048,8" -> (1048.8, 0.1)."""
    whole, _, decimals = number.replace(".", "").partition(",")
    return float(f"{whole}.{decimals or 0}"), 10.0 ** -len(decimals)


def _multiplied(multipliers: str) -> float:
    """What "nghìn tỷ" multiplies by."""
    factor = 1.0
    for word in multipliers.split():
        factor *= _MULTIPLIERS[word.lower()]
    return factor


def _bounds(qualifier: str, value: float, step: float) -> tuple[float, float]:
    """The values a quantity as written allows: "hơn 14" is 14 to about 21, "gần 30" 24 to 30,
    "khoảng 50" 45 to 55 (its rounding), "khoảng 25" 23.75 to 26.25, "1.048,8" 1048.75 to 1048.85."""
    kind = _QUALIFIERS.get(qualifier.lower()) if qualifier else None
    if kind == "least":
        return value, float("inf")
    if kind == "over":
        return value, value * 1.5 + step
    if kind == "under":
        return value * 0.8 - step, value
    if kind == "about":  # its rounding, and at least 5% either way ("khoảng 25 tuổi" allows 24)
        rounding = step
        while value and value % (rounding * 10) == 0:
            rounding *= 10
        spread = max(rounding / 2, value * 0.05)
        return value - spread, value + spread
    return value - step / 2, value + step / 2


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text)


def quantities(item: Sourced) -> list[Quantity]:
    """The counted or measured quantities of a sentence, each with the words around it."""
    found = []
    text = item.sentence
    for m in _QUANTITY.finditer(text):
        unit = m.group("unit").lower()
        before = text[:m.start()].rstrip()
        previous = "" if m.group("qualifier") or not before else before.rsplit(None, 1)[-1]
        named_unit = m.group("unit")[:1].isupper() and not m.group("unit").isupper() and not m.group("mult")
        if (unit in _NOT_UNITS or previous.lower() in _BEFORE_NOT_A_QUANTITY or previous.isalpha() and previous[:1].isupper()
                or named_unit):
            continue  # an ordinal, a rank or a name's number ("Cảnh sát biển 4033", "Euro 2016", "ngã 3 Xã Đàn")
        value, step = _value(m.group("num"))
        value, step = value * _multiplied(m.group("mult")), step * _multiplied(m.group("mult"))
        low, high = _bounds(m.group("qualifier") or "", value, step)
        if re.fullmatch(r"\d{1,3},\d{3}", m.group("num")):  # "5,240 phòng": a decimal, or thousands written the English way
            high = _bounds(m.group("qualifier") or "", value * 1000, step * 1000)[1]
        left = [w for w in _words(before) if w not in _QUALIFIERS][-CONTEXT_BEFORE:]
        right = _words(text[m.end():])[:CONTEXT_AFTER]
        context = frozenset([f"<{w.lower()}" for w in left] + [f">{w.lower()}" for w in right])
        found.append(Quantity(m.group(0).strip(), unit, value, low, high, tuple(left), tuple(right), item,
                              _name_beside(text[:m.start()]), context))
    return found


def _name_beside(before: str) -> str:
    """The name of two or more capitalised words a quantity is set beside, or ""."""
    beside = _BESIDE.search(before[-80:])
    name = []
    for word in reversed(beside.group(1).split() if beside else []):
        if not word[:1].isupper():
            break
        name.insert(0, word)
    return " ".join(name) if len(name) >= 2 else ""


def _alike(a: Quantity, b: Quantity) -> float:
    """How alike the words around two quantities are (0 to 1); 0 when neither the two words
    before nor the two after meet, or when they count for differently named people or places
    ("Lê Việt Hoàn (35 tuổi)" and "Lê Thái Duy (28 tuổi)")."""
    if a.named and b.named:
        return 1.0 if a.named == b.named else 0.0  # "Lê Văn Công (25 tuổi" and "Lê Văn Công (26 tuổi"
    if not (set(a.left[-2:]) & set(b.left[-2:]) or set(a.right[:2]) & set(b.right[:2])):
        return 0.0
    names_a = {w for w in a.left[-3:] if w[:1].isupper()}
    names_b = {w for w in b.left[-3:] if w[:1].isupper()}
    if names_a and names_b and not names_a & names_b:
        return 0.0
    return len(a.context & b.context) / max(1, len(a.context | b.context))


def _compatible(a: Quantity, b: Quantity) -> bool:
    return a.low < b.high and b.low < a.high


def differing_numbers(items: list[Sourced]) -> list[dict]:
    """Quantities that outlets give differently: the same words around the same unit in two
    outlets' sentences that say the same thing, and values that cannot both be true ("bà Trần
    Thị Giêng (48 tuổi" against "(58 tuổi"; "thu giữ 1 kg ma túy" against "6 kg"). A list or a
    breakdown pairs each quantity with its most alike one only; an outlet that also states the
    other value somewhere is not disagreeing (two seizures, a part and the whole); counts tied
    to a moment of the story ("đến sáng 18/5") are later figures, not disagreements."""
    found = [(item, quantities(item)) for item in items]
    stated: dict[str, list[Quantity]] = {}
    for item, qs in found:
        stated.setdefault(item.outlet, []).extend(qs)
    sentences = [(item, qs, _bigrams(item.sentence), _YEAR.findall(item.sentence)) for item, qs in found
                 if qs and not _AS_OF.search(item.sentence)][:MAX_COMPARED]
    pairs = []
    for i, (a, qa, ga, years_a) in enumerate(sentences):
        for b, qb, gb, years_b in sentences[i + 1:]:
            if a.outlet == b.outlet or years_a != years_b or \
                    len(ga & gb) < MIN_SHARED * min(len(ga), len(gb)) and not _same_person_aged(qa, qb):
                continue
            # each quantity of one sentence with its most alike of the other, one to one
            scored = sorted(((_alike(x, y), ix, iy) for ix, x in enumerate(qa) for iy, y in enumerate(qb)
                             if x.unit == y.unit), key=lambda t: -t[0])
            used_a, used_b = set(), set()
            for score, ix, iy in scored:
                if ix in used_a or iy in used_b or score < MIN_CONTEXT:
                    continue
                used_a.add(ix)
                used_b.add(iy)
                x, y = qa[ix], qb[iy]
                listed = not (x.named and y.named) and (any(_compatible(q, y) for q in qa if q.unit == y.unit)
                                        or any(_compatible(q, x) for q in qb if q.unit == x.unit))
                if (listed or _compatible(x, y) or _states(stated[a.outlet], y) or _states(stated[b.outlet], x)
                        or _part_of(x, y, qa) or _part_of(y, x, qb)):
                    continue
                pairs.append((x, y))
    groups: list[list[Quantity]] = []
    for x, y in pairs:
        joined = [g for g in groups if any(q is x or q is y for q in g)]
        merged = [q for g in joined for q in g] + [q for q in (x, y) if not any(q is r for g in joined for r in g)]
        groups = [g for g in groups if not any(g is j for j in joined)] + [merged]
    differences, seen = [], set()
    for group in groups:
        per_outlet: dict[str, Quantity] = {}
        for q in sorted(group, key=lambda q: (q.low, q.item.article_id, q.item.sentence_index)):
            per_outlet.setdefault(q.item.outlet, q)
        what = _what(group[0])
        said = (what, frozenset((q.low, q.high) for q in per_outlet.values()))
        kind = "named" if len({q.named for q in group}) == 1 and group[0].named else "worded"
        if said in seen:  # the same values of the same outlets, from other sentences
            continue
        seen.add(said)
        differences.append({
            "what": what, "basis": kind, "confidence": DIFFERENCE_CONFIDENCE[kind],
            "values": [{"value": q.written, "outlet": outlet, "article_id": q.item.article_id,
                        "sentence_index": q.item.sentence_index, "sentence": q.item.sentence}
                       for outlet, q in per_outlet.items()],
        })
    return differences


def _same_person_aged(qa: list[Quantity], qb: list[Quantity]) -> bool:
    """Both sentences give the age of one person they name in full, however else they are worded
    ("Đối tượng bị bắt là Trần Văn Trường, 22 tuổi (ngụ khóm 8, ...)" and "Ngày 1/6, Công an TP
    Bạc Liêu bắt giữ Trần Văn Trường (25 tuổi) để điều tra ...")."""
    return any(x.named and x.named == y.named and x.unit == y.unit == "tuổi" for x in qa for y in qb)


def _part_of(part: Quantity, whole: Quantity, beside: list[Quantity]) -> bool:
    """``part`` and other numbers of its sentence add up to ``whole`` ("7 thành viên phi hành
    đoàn và 3 nhân viên an ninh" against "10 thành viên phi hành đoàn")."""
    sums = [part.value + q.value for q in beside if q is not part] + [sum(q.value for q in beside)]
    return any(whole.low <= total <= whole.high for total in sums)


def _states(quantities_of_outlet: list[Quantity], other: Quantity) -> bool:
    """The outlet also gives ``other``'s value for something alike (the second seizure, the whole)."""
    return any(q.unit == other.unit and _compatible(q, other) and _alike(q, other) > 0 for q in quantities_of_outlet)


def _what(q: Quantity) -> str:
    """What the quantity counts: "tuổi của Trần Thị Giêng", or the words before it in one
    outlet's sentence ("chiếm đoạt số tiền … won")."""
    if q.named:
        return f"{q.unit} của {q.named}"
    text = q.item.sentence
    at = text.find(q.written)
    before = text[:at].split()[-4:]
    return " ".join(before + ["…", q.unit]).strip()


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

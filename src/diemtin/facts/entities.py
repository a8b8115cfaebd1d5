"""Who and where: people, organisations and places named in a story, merged across articles.

underthesea's offline POS tagger finds the proper nouns; its CRF NER types the names that the
rules below leave open. The rules cover what the NER gets wrong in news: a title before a name
("Tổng thư ký NATO Mark Rutte" is a person with the role "Tổng thư ký NATO", not one entity),
places after "tại", "ở", "tỉnh"; organisations after "Bộ", "Công ty", "hãng tin"; acronyms.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache

from diemtin.facts.gazetteer import known_type
from diemtin.facts.measured import entity_confidence
from diemtin.facts.lexicon import (
    ADDRESS, ALIASES, BODY_HEADS, KIN_WORDS, MINISTRIES, SPORTS_ROLES, ORG_CUES, ORG_HEADS, ORGANISATIONS, PLACE_CUES, PLACES,
    ROLE_PREFIXES, ROLES, SURNAMES, WORK_CUES,
)
from diemtin.text.normalize import canonical_words, fold_diacritics

_LETTER = re.compile(r"[^\W\d_]")
_KNOWN = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in sorted(
    (n for n in PLACES | ORGANISATIONS if " " in n), key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE)
_MINISTRY_FORMS = {key: re.compile(rf"Bộ\s+(?:{form})", re.IGNORECASE) for key, form in MINISTRIES.items()}
_MINISTRY = re.compile(r"(?<!\w)Bộ\s+(?:" + "|".join(f"(?:{form})" for form in MINISTRIES.values()) + r")(?!\w)",
                       re.IGNORECASE)
_GOES_ON = 40  # characters of a cut name's sentence kept to find where the name ends
_OWN_COUNTRY = "việt nam"  # "Bộ Y tế Việt Nam" is the "Bộ Y tế" of Vietnamese news
# Capitalised words the NER takes for names but news uses otherwise ("phương Tây", "PV" for the reporter).
NOT_NAMES = {"Tây", "Đông", "Nam", "Bắc", "Việt", "PV", "CTV", "Ảnh", "Nguồn", "Video", "Clip", "Theo", "SN", "CSĐT", "CSGT",
             "TS", "GS", "PGS", "ThS", "BS", "HLV"}
# nouns of time and number that follow a name without being part of it ("Bộ Y tế ngày 5/6")
_TIME_NOUNS = {"ngày", "hôm", "sáng", "trưa", "chiều", "tối", "đêm", "năm", "tháng", "tuần", "quý", "lần", "đợt", "khi",
               "lúc", "người", "vụ", "việc", "số", "các", "những", "mọi", "cả"}
_TITLES = {"TS", "GS", "PGS", "ThS", "BS", "HLV"}  # abbreviated titles
_GLUED_TITLE = re.compile(r"(?:(?:PGS|GS|TS|ThS|BS|BSCKI+|BSNT|TSKH|KS|NSND|NSƯT|HLV)[.\-]?)+\s+(?=[A-ZĐ])")
_GLUED_ACRONYM = re.compile(r"[A-ZĐ]{2,}\s+(?=[A-ZĐ][a-zà-ỹđ]+\s+[A-ZĐ])")  # a body's initials before a full name
# the years of the sixty-year cycle ("Tết Mậu Thân 1968", "năm Đinh Dậu"): a stem and a branch of
# the same parity, no one's name
_CYCLE_YEARS = frozenset(
    f"{stem} {branch}"
    for i, stem in enumerate(("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"))
    for j, branch in enumerate(("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi"))
    if i % 2 == j % 2)
# a compass direction after these is where the wind blows or a side, not a region ("gió Tây Nam cấp
# 2 - 3", "về phía Đông Nam", "Gió Tây đến Tây Nam")
_DIRECTION = re.compile(r"^(?:Đông|Tây)\s+(?:Nam|Bắc)$|^(?:Đông|Tây|Nam|Bắc)$")
_DIRECTION_CUE = re.compile(r"\b(?:gió|gió mùa|hướng|phía|đến|chếch)\s+$", re.IGNORECASE)
_DYNASTY_CUE = re.compile(r"\b(?:vua|nhà|triều|triều đại|đền|thời|đời|chúa)\s+$", re.IGNORECASE)  # "vua Trần", "nhà Lý"
# what a bracketed acronym spells out when it is a treaty, a meeting or a programme, unless a body's
# head comes after it ("Hội nghị Tổ chức Hợp tác Thượng Hải (SCO)" names the organisation)
_AGREEMENT_OR_EVENT = re.compile(
    r"\b(?:Hiệp định|Công ước|Thỏa thuận|Thoả thuận|Hội nghị|Hội thảo|Chương trình|Dự án|Đề án|Chiến lược)\b"
    r"(?!.*\b(?:Tổ chức|Liên minh|Ủy ban|Uỷ ban|Hiệp hội|Liên đoàn|Quỹ|Ngân hàng|Cơ quan)\b)")
_EVENT_HEADS = {"hội nghị", "hội thảo", "hội chợ", "hội diễn", "hội thi", "hội giảng"}  # meetings and fairs, no "hội"
# programmes, treaties, projects and meetings, named by the capitalised words after them ("Chương
# trình Đối tác Thái Bình Dương"); not "Diễn đàn", which names bodies too ("Diễn đàn Kinh tế thế giới")
_WORK_HEADS = _EVENT_HEADS | {"chương trình", "hiệp định", "công ước", "thỏa thuận", "thoả thuận", "dự án", "đề án"}
_CREDIT_WORDS = r"(?:Ảnh|Video|Clip)"  # a photo or video credit's word, glued after a name
_CREDIT_GLUED = re.compile(r"\s+" + _CREDIT_WORDS + "$")
_BANK = re.compile(r"^[A-ZĐ][\w-]*[bB]ank$")  # Vietcombank, VietinBank, LienVietPostBank, SeABank
_PLACE_PREPOSITIONS = {"tại", "ở", "đến", "tới", "từ", "thăm", "sang", "khỏi", "sân"}  # place cues that name no kind of place
_PLACE_KINDS = PLACE_CUES - _PLACE_PREPOSITIONS  # "thị trấn", "quảng trường", "tỉnh": what the place is
_ADMIN = {"tỉnh", "huyện", "xã", "quận", "phường", "thành phố", "tp", "thị xã", "thị trấn"}
_PUNCT = re.compile(r"^\W+$")
_CITY_PREFIX = re.compile(r"^(?:tp\.?\s*|thành phố\s+)")
_PROVINCE_INSIDE = re.compile(r"(?<=\w) tỉnh (?=\w)")  # a body's province, written or not ("Công an tỉnh Hà Tĩnh")
EVIDENCE_SHOWN = 3  # the sentences an entity's JSON points to


@dataclass(slots=True)
class Mention:
    text: str  # the name as written, without its title
    type: str  # PER, ORG or LOC
    article_id: str
    sentence_index: int
    start: int  # character offsets in the sentence
    end: int
    role: str = ""  # "Tổng thư ký NATO" for "Tổng thư ký NATO Mark Rutte"
    # what typed it: "rule" (a title, a cue, a word list), "byline" (an article's signature) or
    # "ner" (underthesea's NER alone); "common": an abbreviation the sentence spells out in
    # lowercase words ("thuế bảo vệ môi trường (BVMT)"), no one's name
    evidence: str = "rule"
    # the name an abbreviation in brackets stands for ("Trung tâm Kiểm soát bệnh tật TP.HCM (HCDC)")
    short_for: str = ""
    titled: bool = False  # a title or "ông", "bà" before it: a person for sure
    cut: bool = False  # a body's name that may go on in lowercase words: where it ends is unsure
    goes_on: str = ""  # a cut name's next words ("dược cho biết" after "Cục Quản lý"), to find its full name
    rule: str = ""  # which rule typed it ("title", "head", "surname", ...): ``Entity.confidence`` by rule


@dataclass(slots=True)
class RoleMention:
    """A role named without a person ("Tân Tổng thư ký NATO nói: ..."), for finding speakers."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Entity:
    name: str
    type: str
    aliases: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)

    def to_dict(self, outlet_of: dict[str, str]) -> dict:
        articles = {m.article_id for m in self.mentions}
        first = self.mentions[0]
        return {
            "name": self.name, "type": self.type, "aliases": sorted(self.aliases - {self.name}),
            "roles": sorted(self.roles), "mentions": len(self.mentions), "articles": len(articles),
            "outlets": len({outlet_of.get(a) or a for a in articles}),
            "first": {"article_id": first.article_id, "sentence_index": first.sentence_index},
            "confidence": self.confidence, "basis": self.basis,
            "evidence": [{"article_id": a, "sentence_index": i} for a, i in
                         dict.fromkeys((m.article_id, m.sentence_index) for m in self.mentions)][:EVIDENCE_SHOWN],
        }

    @property
    def basis(self) -> str:
        """What typed it, the unit its confidence is measured by (``facts.measured``): "listed" (the
        word lists), "gazetteer" (a news corpus's cues agree with the rules) or "gazetteer-ner" (with
        the NER alone), "cut" (never written where its name visibly ends), "titled" (a person's title
        or "ông", "bà"), the rule that typed most of its mentions ("head", "place-cue", "surname",
        "acronym", "byline", "street", ...), or the NER alone: "ner-once" (one word, once, a person),
        "ner-3" (three articles or more agree), "ner"."""
        ruled = Counter(m.rule for m in self.mentions if m.rule != "ner")
        if self.type == "PER" and len(self.mentions) == 1 and " " not in self.name and not ruled:
            return "ner-once"
        if fold_diacritics(_key(self.name)) in _FOLDED_LISTED:
            return "listed"
        if all(m.cut for m in self.mentions):
            return "cut"
        if known_type(self.name) == self.type:
            return "gazetteer" if ruled else "gazetteer-ner"
        if not ruled:
            return "ner-3" if len({m.article_id for m in self.mentions}) >= 3 else "ner"
        if any(m.titled for m in self.mentions):
            return "titled"
        if "acronym-defined" in ruled:
            return "acronym-defined"  # spelt out somewhere in the story, written bare elsewhere
        return max(sorted(ruled), key=lambda rule: ruled[rule])

    @property
    def confidence(self) -> float:
        """How far to trust the name and its type: the share of the check set's dev-half entities of
        the same basis and type that were right (``facts.measured``: a place only the NER typed was
        right about one time in seven, a name of the word lists almost always)."""
        return entity_confidence(self.basis, self.type)


def _tagger():
    from diemtin.text import tagger  # noqa: PLC0415  (loads underthesea's models on first use)

    return tagger


def _is_cap(word: str) -> bool:
    parts = [p for p in word.replace("-", " ").split() if _LETTER.search(p)]
    return bool(parts) and all(p[0].isupper() for p in parts)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _role_key(word: str) -> str:
    low = word.lower()
    for prefix in ROLE_PREFIXES:
        if low.startswith(prefix):
            low = low[len(prefix):]
    return low


def _name_token(word: str, tag: str, position: int) -> bool:
    if _PUNCT.match(word) or not _LETTER.search(word) or word in NOT_NAMES or any(c.isdigit() for c in word):
        return False
    end_of_sentence = word.split(". ")[0] if ". " in word else ""
    if end_of_sentence and (end_of_sentence in COMMON_ABBREVIATIONS or len(end_of_sentence) >= 3 and end_of_sentence.isupper()):
        return False  # a sentence's last word glued to the next one's first by the tagger: "HĐQT. Một"
    low = word.lower()
    if _role_key(word) in ROLES or low in ADDRESS or low in ORG_HEADS or low in PLACE_CUES:
        return False
    return tag == "Np" or _is_acronym(word) or (position > 0 and _is_cap(word) and tag in ("N", "Ny", "Nb"))


def _standalone_rule(word: str, before: str, before2: str) -> tuple[str | None, str]:
    """The type of a name standing alone, and the rule that says so."""
    low = word.lower()
    if before in ORG_CUES or f"{before2} {before}".strip() in ORG_CUES:
        return "ORG", "org-cue"  # "báo Khánh Hòa" is a newspaper
    if low in PLACES:
        return "LOC", "list"
    if low in ORGANISATIONS:
        return "ORG", "list"
    if low.split()[0] in ORG_HEADS and low not in _EVENT_HEADS:
        return "ORG", "head"
    if _BANK.match(word):
        return "ORG", "bank"  # "khỏi LienVietPostBank", "cổ phiếu Sacombank": banks, wherever they are cued
    syllables = low.split()
    if before in ("tp", "tp.") and len(syllables) >= 3 and syllables[0] in SURNAMES and low not in PLACES and \
            fold_diacritics(low) not in ALIASES and known_type(word) != "LOC":  # not "TP Hồ Chí Minh"
        return "PER", "surname"  # the city's officer: "Phó Chủ tịch UBND TP Đặng Việt Dũng"
    if before in PLACE_CUES or f"{before2} {before}".strip() in PLACE_CUES:
        # "thị trấn Quang Minh", "quảng trường Kim Tử Kinh" say what the place is; "tại", "từ" only
        # where something happens ("tại Real Madrid")
        kind_of_place = before in _PLACE_KINDS or f"{before2} {before}".strip() in _PLACE_KINDS
        return "LOC", "place-kind" if kind_of_place else "place-cue"
    if _is_acronym(word):
        return "ORG", "acronym"
    if len(syllables) >= 2 and syllables[0] in SURNAMES:
        return "PER", "surname"
    return None, ""


def sentence_mentions(text: str, article_id: str = "", sentence_index: int = 0, use_ner: bool = True,
                      known: dict[str, tuple[str, str, str]] | None = None) -> tuple[list[Mention], list[RoleMention]]:
    """The named people, organisations and places of one sentence, and roles named without a person.

    ``known`` (name -> type, evidence and rule) carries what earlier sentences of the story settled; a name found
    there is not sent to the NER again, and names typed here are added to it.
    """
    if not any(c.isupper() for c in text[1:]):
        return [], []  # no capital after the first letter: no name to find, skip the tagger
    known = {} if known is None else known
    tagger = _tagger()
    tokens = tagger.pos_tag(text)
    spans, cursor = [], 0
    for word, _ in tokens:
        found = text.find(word, cursor)
        if found < 0 or text[cursor:found].strip():
            # the tagger respelled the word ("qui hoạch" comes back "quy hoạch"), and finding it
            # further on put every later name in the wrong place (empty names, a crash in the
            # story's facts): it is where the text goes on, respelled in place
            found = len(text) - len(text[cursor:].lstrip())
        spans.append((found, found + len(word)))
        cursor = found + len(word)
    words = [w for w, _ in tokens]
    tags = [t for _, t in tokens]
    lows = [w.lower() for w in words]
    mentions: list[Mention] = []
    roles: list[RoleMention] = []
    used = [False] * len(tokens)
    open_names: list[int] = []

    def glued_ampersand(j: int) -> bool:  # "LĐ-TB&XH", which the tagger splits at the "&"
        return words[j] == "&" and 0 < j < len(tokens) - 1 and spans[j - 1][1] == spans[j][0] \
            and spans[j][1] == spans[j + 1][0] and words[j + 1][:1].isupper()

    def add(i: int, j: int, kind: str, role: str = "", evidence: str = "rule", rule: str = "") -> None:
        add_span(spans[i][0], spans[j - 1][1], kind, range(i, j), role, evidence, rule)

    def add_span(start: int, end: int, kind: str, covered, role: str = "", evidence: str = "rule", rule: str = "") -> None:
        credit = _CREDIT_GLUED.search(text, start, end)
        if credit and credit.start() > start:
            end = credit.start()  # "Esteban Lazo Hernández Ảnh": a photo credit's word glued on by the tagger
        title = _GLUED_TITLE.match(text, start, end) or kind == "PER" and _GLUED_ACRONYM.match(text, start, end)
        if title and title.end() < end:
            start = title.end()  # "PGS.TS Lương Hồng Quang", "VPCP Mai Tiến Dũng": the segmenter's one word
        if all(used[k] for k in covered) or not text[start:end].strip():
            return  # already found ("Hà Lan" by name, then again inside a role), or nothing there
        mentions.append(Mention(text[start:end], kind, article_id, sentence_index, start, end, role, evidence,
                                rule=rule or evidence))
        for k in covered:
            used[k] = True

    # "Lầu Năm Góc", "Nhà Trắng", "Bộ LĐ-TB&XH": names the tagger splits
    for m in sorted([*_MINISTRY.finditer(text), *_KNOWN.finditer(text)], key=lambda m: (m.start(), -m.end())):
        inside = [k for k, (a, b) in enumerate(spans) if a >= m.start() and b <= m.end()]
        if inside and all(not used[k] for k in inside) and any(c.isupper() for c in m.group(0)) and \
                (m.re is _KNOWN or m.group(0).startswith("B")):  # "châu Âu"; not the lowercase "bộ y tế" of a list
            low = m.group(0).lower()
            kind = "LOC" if low in PLACES else "ORG"
            end = m.end()
            after = next((k for k in range(inside[-1] + 1, len(spans)) if not used[k]), None)
            if kind == "ORG" and (low in ORG_HEADS or low.split()[0] in ORG_HEADS) and after is not None and \
                    not text[end:spans[after][0]].strip() and lows[after] in PLACES and lows[after] != _OWN_COUNTRY:
                end = spans[after][1]  # the country ends the name: "Bộ Quốc phòng Nga" is not Vietnam's
                inside.append(after)
            add_span(m.start(), end, kind, inside, rule="list")

    i = 0
    while i < len(tokens):
        if used[i]:
            i += 1
            continue
        key = _role_key(words[i])
        if key not in ROLES and i + 1 < len(tokens) and words[i + 1].islower() and f"{key} {lows[i + 1]}" in ROLES:
            key = f"{key} {lows[i + 1]}"  # "Chánh văn phòng": the segmenter's two words of one title
        is_role, is_address = key in ROLES, lows[i] in ADDRESS
        if is_role or (is_address and i + 1 < len(tokens) and _name_token(words[i + 1], tags[i + 1], i + 1)
                       and lows[i + 1] not in PLACES):
            # a title: the person is the last name of the run that follows it
            window_end = min(len(tokens), i + 1 + (6 if is_role else 2))
            k, last_name = i + 1, None
            while k < window_end:
                if _name_token(words[k], tags[k], k):
                    last_name = k
                    if k + 1 >= len(tokens) or not _name_token(words[k + 1], tags[k + 1], k + 1):
                        break
                elif _PUNCT.match(words[k]) or tags[k] in ("V", "E", "C", "R", "P", "CH") and not _is_cap(words[k]):
                    break
                k += 1
            def first_of(last: int) -> int:  # the first word of the name ending at ``last``
                k = last
                while k - 1 > i and _name_token(words[k - 1], tags[k - 1], k - 1):
                    k -= 1
                return k

            person = last_name if last_name is not None and lows[last_name] not in PLACES and \
                lows[last_name] not in ORGANISATIONS and not _is_acronym(words[last_name]) else None
            if person is not None and lows[first_of(person) - 1] in ORG_CUES:  # "phóng viên báo Tin Tức"
                add(first_of(person), person + 1, "ORG", rule="org-cue")
                i = person + 1
                continue
            if person is not None and (lows[person - 1] in PLACE_CUES or  # "Chủ tịch xã Tân Triều"
                                       is_role and person + 2 < len(tokens) and words[person + 1] == "," and
                                       lows[person + 2] in ADDRESS):  # "Thủ tướng Montenegro, ông ..."
                add(person, person + 1, "LOC", rule="place-kind" if lows[person - 1] in _PLACE_KINDS
                    else "place-cue")
                roles.append(RoleMention(text[spans[i][0]:spans[person][1]], spans[i][0], spans[person][1]))
                i = person + 1
                continue
            first = person
            while first is not None and first - 1 > i and _name_token(words[first - 1], tags[first - 1], first - 1) \
                    and lows[first - 1] not in PLACES and lows[first - 1] not in ORGANISATIONS \
                    and not _is_acronym(words[first - 1]):
                first -= 1  # "ông Mark Rutte": both words are the name
            head = _body_head_before(lows, i, first) if person is not None and is_role else None
            # "Chủ tịch HĐQT Sacombank", "Chủ tịch HĐQT CTCP Him Lam": after a board, the body, no person
            board = person is not None and is_role and words[first - 1] in ORGAN_ABBREVIATIONS and \
                lows[first].split()[0] not in SURNAMES
            if board or head is not None and lows[first].split()[0] not in SURNAMES and _VIETNAMESE_MARKS.search(words[first]) \
                    and not any(lows[k] in PLACES for k in range(head + 1, first)):  # "Bộ Ngoại giao Trung Quốc Lục Khảng"
                # "Giám đốc Bệnh viện Bạch Mai", "Giám đốc Công ty Bóng đèn Điện Quang": the name after
                # a body's head noun is the body's, not a person's (a Vietnamese one would start with
                # a surname: "Giám đốc Bệnh viện Bạch Mai Đào Xuân Cơ")
                add(first if board else head, person + 1, "ORG", rule="head")
                roles.append(RoleMention(text[spans[i][0]:spans[person][1]], spans[i][0], spans[person][1]))
                i = person + 1
                continue
            work = next((k for k in range(first - 1, i, -1) if lows[k] in _WORK_HEADS), None) \
                if person is not None and is_role else None
            if work is not None and lows[first].split()[0] not in SURNAMES and _VIETNAMESE_MARKS.search(words[first]):
                # "giám đốc chương trình Đông Á": the name after a programme's head noun is the
                # programme's, as after a body's (a person would start with a surname: "Giám đốc
                # dự án Nguyễn Văn Hùng")
                add(first, person + 1, "OTHER", evidence="work", rule="work")
                roles.append(RoleMention(text[spans[i][0]:spans[person][1]], spans[i][0], spans[person][1]))
                i = person + 1
                continue
            end_of_role = first if person is not None else (last_name + 1 if last_name is not None else i + 1)
            role = text[spans[i][0]:spans[end_of_role - 1][1]] if is_role else ""
            for k in range(i + 1, end_of_role):  # affiliations inside the role: "NATO", "Ukraine"
                if _name_token(words[k], tags[k], k):
                    kind, rule = _standalone_rule(words[k], lows[k - 1], lows[k - 2] if k >= 2 else "")
                    add(k, k + 1, kind or "ORG", rule=rule or "in-title")
            if person is not None:
                add(first, person + 1, "PER", role, rule="title" if is_role else "address")
                mentions[-1].titled = True
                i = person + 1
                continue
            if is_role and last_name is not None:
                roles.append(RoleMention(role, spans[i][0], spans[last_name][1]))
                i = last_name + 1
                continue
            i += 1
            continue
        if lows[i] in _WORK_HEADS and words[i][:1].isupper():
            # "Chương trình Đối tác Thái Bình Dương", "Hiệp định Thương mại hàng hóa ASEAN": a programme,
            # a treaty, a meeting, named but no one; the places in its name are no places of the story
            j = i + 1
            while j < len(tokens) and not _PUNCT.match(words[j]) and words[j][:1].isupper() and _role_key(words[j]) not in ROLES:
                j += 1
            if j > i + 1:
                add_span(spans[i][0], spans[j - 1][1], "OTHER", range(i, j), evidence="work", rule="work")
                mentions[:] = [m for m in mentions if m.rule != "list" or not spans[i][0] <= m.start < spans[j - 1][1]]
                i = j
                continue
        head = lows[i] in ORG_HEADS or lows[i].split()[0] in ORG_HEADS and lows[i] not in _EVENT_HEADS
        if head and words[i][:1].isupper() and (tags[i] != "Np" or lows[i] in ORG_HEADS):
            # organisation names capitalise each word's first syllable: "Ngân hàng Nhà nước",
            # "Bộ Công Thương", "Ủy ban nhân dân TP.HCM"
            j = i + 1
            while j < len(tokens) and (glued_ampersand(j) or not _PUNCT.match(words[j]) and _role_key(words[j]) not in ROLES and (
                    words[j][:1].isupper() and lows[j] not in PLACES
                    or lows[j] in _ADMIN and j + 1 < len(tokens) and words[j + 1][:1].isupper())):
                j += 1  # "Công an huyện Đắk Hà", "Bộ Ngoại giao", "Sở LĐ-TB&XH"
            if j < len(tokens) and lows[j - 1] in ("quận", "phường", "khu vực", "vùng", "quân khu", "số") and words[j].isdigit():
                j += 1  # "Công an Quận 1", "Trung tâm MRCC Khu vực 2": numbered districts, wards and regions
            if j < len(tokens) and lows[j] in PLACES and (j > i + 1 or lows[i] != lows[i].split()[0]):
                j += 1  # the country or city ends the name: "Bộ Ngoại giao Nga", "Ủy ban nhân dân TP.HCM"
            if j > i + 1 or lows[i] in ORGANISATIONS:
                add(i, j, "ORG", rule="head")
                # the name goes on in lowercase words, where it ends is unsure: "Trung tâm Kiểm soát
                # bệnh tật TP.HCM", "Trung tâm Quản lý và Điều hành giao thông đô thị Hà Nội"; nor
                # does a name end with a verb ("Ban Quản lý", "Công ty TNHH Đầu tư")
                mentions[-1].cut = mentions[-1].text.lower() not in ORGANISATIONS and not words[j - 1].isdigit() and (
                    tags[j - 1] == "V" and j - 1 > i
                    or j < len(tokens) and tags[j] == "N" and words[j].islower() and lows[j] not in _TIME_NOUNS
                    or j + 1 < len(tokens) and lows[j] == "và" and words[j + 1][:1].isupper()
                    and lows[j + 1].split()[0] not in ORG_HEADS and lows[j + 1] not in ORG_HEADS)  # not "X và Công ty Y"
                if mentions[-1].cut:
                    mentions[-1].goes_on = text[mentions[-1].end:mentions[-1].end + _GOES_ON].lower()
                i = j
                continue
        if _name_token(words[i], tags[i], i) and not used[i]:
            kind, rule = _standalone_rule(words[i], lows[i - 1] if i else "", lows[i - 2] if i >= 2 else "")
            if kind != "ORG" and lows[i] not in PLACES and _names_a_company(words, lows, tags, i):
                j = i + 1
                while j < len(tokens) and not used[j] and words[j][:1].isupper() and not _PUNCT.match(words[j]) \
                        and lows[j] not in PLACES:
                    j += 1  # "Ngôi Sao Việt": the tagger's words of one name
                add(i, j, "ORG", rule="company")
                i = j
                continue
            if kind:
                add(i, i + 1, kind, rule=rule)
            else:
                open_names.append(i)
        i += 1

    still_open = []
    for i in open_names:
        if words[i] in known:
            kind, evidence, rule = known[words[i]]
            add(i, i + 1, kind, evidence=evidence, rule=rule)
        else:
            still_open.append(i)
    if still_open and use_ner:
        tagged = tagger.ner(text, tokens)
        for i in still_open:
            # the NER runs its own segmentation: use a label only where the words line up
            if i < len(tagged) and tagged[i][0] == words[i] and tagged[i][-1] != "O" and \
                    words[i] not in NOT_NAMES and len(words[i]) > 2:
                label = tagged[i][-1][2:]
                add(i, i + 1, label if label in ("PER", "ORG", "LOC") else "ORG", evidence="ner")
    mentions.sort(key=lambda m: m.start)
    _bracketed_abbreviations(text, mentions)
    _streets(text, mentions)
    for m in mentions:
        if _WORK_CUE.search(text, 0, m.start) and not m.titled and m.text.lower() not in PLACES:
            m.type, m.evidence, m.rule = "OTHER", "work", "work"
        if _DOCUMENT_NUMBER.search(text, 0, m.start):
            m.evidence = "common"  # the issuer's code in a document's number: "công văn 654/CN-KHTC", "31/2016/TT-BXD"
        if m.text in _CYCLE_YEARS or _DIRECTION.match(m.text) and _DIRECTION_CUE.search(text, 0, m.start) \
                or m.text.lower() in SURNAMES and _DYNASTY_CUE.search(text, 0, m.start):
            m.evidence = "common"
    for m in mentions:
        if m.evidence != "common":
            known.setdefault(m.text, (m.type, m.evidence, m.rule))
    return mentions, roles


_COMPANY_HEADS = {"công ty", "tập đoàn", "hợp tác xã", "htx", "doanh nghiệp", "ctcp", "tổng công ty"}
_COMPANY_FORMS = {"tnhh", "mtv", "cp", "cổ phần", "tmcp", "&"}  # "Công ty TNHH MTV", written between head and name
_TRADE_TAGS = {"N", "A", "C", "Nc"}  # the trade a company's name states: "thương mại", "bất động sản", "và"
# verbs a company's name states as its trade ("đầu tư và kinh doanh"); any other verb is what the
# company does, to someone else's name ("hai công ty trúng đấu giá đất Thủ Thiêm")
_TRADE_VERBS = {"đầu tư", "kinh doanh", "sản xuất", "xây dựng", "phát triển", "xuất nhập khẩu", "xuất khẩu", "nhập khẩu",
                "chuyển phát", "vận tải", "dịch vụ", "tư vấn", "khai thác", "chế biến", "phân phối", "bảo hiểm",
                "truyền thông", "quản lý", "thương mại", "giải trí", "du lịch", "chứng khoán", "công nghệ"}


def _names_a_company(words: list[str], lows: list[str], tags: list[str], i: int) -> bool:
    """The name at ``i`` ends a company's name whose middle the tagger left in lowercase words:
    "Công ty TNHH đầu tư và kinh doanh thương mại Bình Minh", "hợp tác xã An Phát", "tập đoàn Him
    Lam" (places and people by the corpus gazetteer alone)."""
    for k in range(i - 1, max(-1, i - 10), -1):
        if lows[k] in _COMPANY_HEADS:
            return True
        # (capitalised or not: "Công ty TNHH Đầu tư và Thương mại Điện Quang")
        if lows[k] not in _COMPANY_FORMS and tags[k] not in _TRADE_TAGS and lows[k] not in _TRADE_VERBS:
            return False
    return False


def _body_head_before(lows: list[str], role: int, name: int) -> int | None:
    """The token of a body's head noun ("bệnh viện", "công ty") between a title and a name, if any."""
    for k in range(name - 1, role, -1):
        if lows[k] in ORG_HEADS or lows[k].split()[0] in ORG_HEADS:
            return k
    return None


_WORK_CUE = re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, WORK_CUES), key=len, reverse=True)) + r")\s+$",
                       re.IGNORECASE)
_DOCUMENT_NUMBER = re.compile(r"\d/$")
_STREET_WORD = re.compile(r"\b(?:đường(?: mòn| hoa)?|phố(?: đi bộ)?|ngã ba|ngã tư|ngã năm|ngã sáu|vòng xoay|giao lộ|"
                          r"nút giao|nút|nhà chờ|hẻm|ngõ|cầu vượt|đại lộ)\s*$", re.IGNORECASE)


def _streets(text: str, mentions: list[Mention]) -> None:
    """Vietnamese streets carry people's names ("đường Lê Văn Lương", "vòng xoay Nguyễn Kiệm -
    Nguyễn Thái Sơn", "giao lộ Trường Sơn"): a name after a street word, and the names chained to
    it by a dash or a comma, is a street, a place (``Mention.evidence`` "street": the story's
    vote follows it, ``_voted_types``)."""
    street = None
    for m in mentions:
        before = text[street.end:m.start] if street is not None else ""
        if _STREET_WORD.search(text, 0, m.start) or street is not None and re.fullmatch(r"\s*[-–,]\s*", before):
            if not m.role:
                m.type, m.evidence, m.rule = "LOC", "street", "street"
                street = m
                continue
        street = None


_OPENING_BRACKET = re.compile(r"\s*\(\s*$")


def _bracketed_abbreviations(text: str, mentions: list[Mention]) -> None:
    """An acronym in brackets says what it stands for: the name just before it ("Tổ chức Hiệp ước
    Bắc Đại Tây Dương (NATO)": one body) or lowercase words whose initials spell it ("thuế bảo vệ
    môi trường (BVMT)", "sốt xuất huyết (SXH)": a common noun, no one's name)."""
    previous = None
    for m in mentions:
        before = _OPENING_BRACKET.search(text, 0, m.start)
        if before and _is_acronym(m.text) and text[m.end:m.end + 1] in (")", " "):
            if previous is not None and not text[previous.end:before.start()].strip():
                # of a name as long at least ("Hội đồng Bảo an Liên Hợp Quốc (HĐBA LHQ)" does not
                # make HĐBA LHQ the UN) and of its kind ("New York (NYSE)" is no city)
                if len([c for c in m.text if c.isalpha()]) <= len(previous.text.split()) and m.type == previous.type:
                    m.short_for = previous.text
            else:
                letters = [c for c in fold_diacritics(m.text).lower() if c.isalpha()]
                words = re.findall(r"\w+", text[:before.start()])[-len(letters):]
                if len(words) == len(letters) and all(w.islower() for w in words) and \
                        [fold_diacritics(w)[0] for w in words] == letters:
                    m.evidence = "common"
            clause = re.split(r"[.;:!?()]", text[:before.start()])[-1]
            if m.rule == "acronym" and m.evidence != "common" and _AGREEMENT_OR_EVENT.search(clause):
                # "Hiệp định Thương mại hàng hóa ASEAN (ATIGA)", "Hội nghị ... các nước Châu Á (HACGAM)":
                # a treaty, a meeting, a programme, named but no one; not "Hội nghị Tổ chức Hợp tác Thượng Hải (SCO)"
                m.type, m.evidence, m.rule = "OTHER", "work", "work"
            elif m.rule == "acronym" and m.evidence != "common" and not m.short_for and re.search(r"\w", clause):
                # spelt out just before ("Liên minh Viễn thông quốc tế (ITU)"): measured apart from
                # an acronym written bare ("CTCP", "PLH 08", "CO, CQ"), most of which are no one's name
                m.rule = "acronym-defined"
        previous = m


# A body's boards and legal forms, written before its name: "Chủ tịch HĐQT Sacombank", "CTCP Him Lam"
ORGAN_ABBREVIATIONS = {"HĐQT", "HĐTV", "HĐND", "UBND", "TAND", "VKSND", "CTCP", "TMCP", "BQL", "BCH", "BTC"}
# Abbreviations of common nouns that news capitalises: not names of anyone ("DN" doanh nghiệp,
# "CĐV" cổ động viên, "BKS" biển kiểm soát, "UBND" or "TAND" without the place they belong to).
COMMON_ABBREVIATIONS = {"DN", "CĐV", "MC", "NHM", "VAT", "BKS", "ANTT", "VNĐ", "VND", "USD", "TT", "LX", "CP", "BV", "HĐXX", "HĐQT", "HĐTV",
                        "TAND", "UBND", "HĐND", "NĐ-CP", "GTVT", "PPP", "BOT", "BĐS", "GDP", "CPI", "THPT", "CLB",
                        "ĐT", "KT", "NXB", "TNHH", "Km", "KM", "ICBM",
                        # schools, their people and a congress's deputies: "trường ĐH", "GV", "ĐB Nguyễn Văn Sơn"
                        "ĐH", "CĐ", "THCS", "TH", "GV", "HS", "SV", "ĐB", "ĐBQH", "BTC", "MV", "BHXH", "BHYT", "USS",
                        "PGS-TS", "PGS.TS", "GS-TS", "GS.TS", "TS-BS", "ThS-BS",  # titles: "PGS-TS Phạm Khánh Phong Lan"
                        "Ban Tổ chức", "Ban tổ chức",  # the organisers of any event
                        # legal forms, taxes, residence and project papers: "CTCP", "thuế GTGT", "HKTT", "Ban QLDA"
                        "CTCP", "TMCP", "GTGT", "TNCN", "HKTT", "QLDA", "BQL", "KCN", "KĐT", "XNK", "CMND", "CCCD"}
# Titles, times of day and common nouns that open a sentence or a subheading and that the tagger
# keeps as names when the story never writes them lowercase
COMMON_CAPITALISED = {"Trưởng", "Phó", "Sáng", "Trưa", "Chiều", "Tối", "Đêm", "Ngày", "Chợ", "Phòng", "Khu", "Nhóm",
                      "Đội", "Khoản", "Điều", "Cuối", "Đầu", "Giữa", "Khoảng", "Hàng", "Danh", "Đoàn", "Ban", "Người"}
_INITIALS = re.compile(r"^(?:[A-ZĐ][a-z]?|(?:[A-ZĐ]\.)+(?:[A-ZĐ][a-z]?)?\.?)$")  # "T", "Th", "H.", "T.T.", "L.T.Th", "C.A"
_JOINED_ACRONYM = re.compile(r"^[A-ZĐ]+&[A-ZĐ]*$")  # "NN&PTNT", "GD&Đ": the sector of a ministry named without it
_ROMAN = re.compile(r"^[IVXLC]+$")  # "Đại hội XII", "khóa XIV"
_VIETNAMESE_MARKS = re.compile(r"[À-ỹ]")
_FOLDED_PLACES = {fold_diacritics(p) for p in PLACES}  # compared with folded names, once per story
# a typo of a listed place's name ("Hà Nôi") -> its listed spelling; where two listed spellings fold
# alike ("hong kong", "hồng kông"), the Vietnamese one, chosen in order (not in a set's order, which
# changes with the hash seed from one process to the next)
_LISTED_SPELLING: dict[str, str] = {}
for _place in sorted((p for p in PLACES if " " in p), key=lambda p: (sum(c.isascii() for c in p), p)):
    _LISTED_SPELLING.setdefault(fold_diacritics(_place), _place)
_FOLDED_HEADS = {fold_diacritics(h) for h in ORG_HEADS}
_FOLDED_LISTED = _FOLDED_PLACES | {fold_diacritics(o) for o in ORGANISATIONS}
_NOT_A_NAME_PART = re.compile(r"[\[\]{}|]|\b" + _CREDIT_WORDS + "$")  # "Bệnh viện ...] Theo", "H. Video"


def shown_name(entity: Entity, text_words: dict[str, int]) -> bool:
    """Whether a story page should list the entity: not an abbreviation of a common noun, not an
    initial, not a fragment, and not a capitalised common word. ``text_words`` counts the story's
    lowercase words: "Ngày", "Chiều", "Trưởng", "Phòng", "Cuối" are capitalised at the start of a
    sentence or a subheading, and the same word is written lowercase elsewhere in the story."""
    name = entity.name
    if entity.type not in ("PER", "ORG", "LOC"):
        return False  # a car model, a missile, a storm: named, but no one and nowhere
    # ("Công ty TNHH" alone is a legal form, no company's name)
    if name in COMMON_ABBREVIATIONS or _ROMAN.match(name) or _JOINED_ACRONYM.match(name) or \
            _COMPANY_FORM.fullmatch(name.lower() + " ") or \
            all(w in COMMON_CAPITALISED for w in name.split()) or _NOT_A_NAME_PART.search(name) or \
            (_INITIALS.match(name) if " " not in name else all("." in w and _INITIALS.match(w) for w in name.split())) or \
            not any(w[:1].isupper() for w in name.split()):
        return False
    # a person's name does not start with a body's head noun: "Đoàn Việt Nam", "CĐV Liverpool", "Khoa Tai"
    words = name.split()
    if entity.type == "PER" and any(w in BODY_HEADS or " ".join(words[k:k + 2]) in BODY_HEADS for k, w in enumerate(words)):
        # nor has one inside: "Trần Đền Trần"
        return False
    parts = [p for p in re.split(r"\s*[-–]\s*", name) if p]
    if len(parts) >= 2 and name.lower() not in PLACES and any(p.lower() in PLACES for p in parts):
        return False  # a relation between places, or the end of one: "Việt Nam - Hà Lan", "Nam-Hà Lan"
    if name.isupper() and _VIETNAMESE_MARKS.search(name.replace("Đ", "")):
        return False  # a shouted word or a subheading: "CÁC", "BÁN LẺ", "PHAN THẢO"
    low = name.lower()
    if " " not in name and low not in PLACES and low not in ORGANISATIONS and not _is_acronym(name):
        return text_words.get(low, 0) == 0 or len(entity.mentions) > 2 * text_words[low]
    return True


def _short_forms(name: str) -> set[str]:
    parts = name.split()
    return {parts[-1]} if len(parts) >= 2 else set()


def merge_mentions(mentions: list[Mention]) -> list[Entity]:
    """One entity per real-world name: "Zelensky", "ông Zelensky" and "Volodymyr Zelensky" are one.

    People: a shorter mention joins the full name that ends with it, or failing that starts with
    it, when only one does or the story writes one four times as often as the others (``_dominant``);
    organisations and places: the same words, ignoring case, spelling variants (``_key``) and an
    acronym a sentence gives in brackets after the name (``_bracketed_abbreviations``).
    """
    common = {m.text for m in mentions if m.evidence == "common"}  # "BVMT": bảo vệ môi trường
    mentions = _without_glued_places([m for m in mentions if m.text not in common])
    types = _voted_types(mentions)
    stands_for = {}  # "NATO" -> "Tổ chức Hiệp ước Bắc Đại Tây Dương", where a sentence says so
    for m in mentions:
        if m.short_for and types.get(_key(m.short_for)) in ("ORG", "LOC"):
            stands_for.setdefault(m.text, m.short_for)
    entities: dict[str, Entity] = {}
    people_full = sorted({m.text for m in mentions if types[_key(m.text)] == "PER" and len(m.text.split()) >= 2
                          and not _doubled(m.text)},  # "Tập Cận Bình Tập Cận Bình": a typo
                         key=lambda n: (-len(n.split()), n))
    full_of: dict[str, str] = {}
    # a shorter multi-word name that ends a longer one ("Xuân Phúc" inside "Nguyễn Xuân Phúc")
    times_written = Counter(m.text for m in mentions)
    for name in people_full:
        owners = [f for f in people_full if f != name and f.endswith(" " + name)] or \
            [f for f in people_full if f != name and f.startswith(name + " ")]  # "Kim Tae" of "Kim Tae Hee"
        owner = _dominant(owners, times_written)
        if owner:
            full_of[name] = owner
    for short in {m.text for m in mentions if types[_key(m.text)] == "PER" and len(m.text.split()) == 1}:
        owners = {full_of.get(f, f) for f in people_full if short in _short_forms(f)} or \
            {full_of.get(f, f) for f in people_full if f.split()[0] == short}  # "Mark" when the words were split
        owner = _dominant(sorted(owners), times_written)
        if owner:  # "Hag" of "Ten Hag" of "Erik Ten Hag"
            full_of[short] = owner
    for m in mentions:
        kind = types[_key(m.text)]
        name = full_of.get(m.text, m.text) if kind == "PER" else stands_for.get(m.text, m.text)
        key = _key(name)  # "Thuỷ" and "Thủy", "Hà Nôi" and "Hà Nội" are one name
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(name, types.get(key, kind))
        entity.aliases.add(m.text)
        if m.role:
            entity.roles.add(m.role)
        entity.mentions.append(m)
    _merge_parts(entities)
    _merge_fragments(entities)
    _merge_company_names(entities)
    for entity in entities.values():
        # (not a name cut short by the tagger: "Kim Tae" of "Kim Tae Hee")
        written = {a: sum(m.text == a for m in entity.mentions) for a in sorted(entity.aliases)
                   if " " in a and not _doubled(a) and not any(b.startswith(a + " ") and not _doubled(b) for b in entity.aliases)}
        if entity.type == "PER" and written:  # the longest full name that is written often enough: not a
            # source's "Mác Mark Rutte" twice beside thirty "Mark Rutte"
            common = [a for a, n in written.items() if n >= max(written.values()) / 4]
            entity.name = max(common, key=lambda a: (len(a.split()), written[a], a))
        if entity.type != "PER":  # a place or body as most mentions write it ("Hà Nội" over a typo)
            entity.name = max(sorted(entity.aliases), key=lambda a: (sum(m.text == a for m in entity.mentions), len(a)))
            # (written twice at least: not a subheading's first word glued on, "Triều Tiên Nhiều")
            longer = [a for a in entity.aliases if a.startswith(entity.name + " ")
                      and a[len(entity.name) + 1:][:1].isupper()  # "Nhân dân": one word, its first syllable capitalised
                      and _written_in_full(a, entity.name, entity.mentions) >= 2]
            if longer:  # "Học viện An ninh" is the start of "Học viện An ninh Nhân dân", "Ả Rập" of "Ả Rập Xê Út"
                entity.name = max(sorted(longer), key=len)
            if _is_acronym(entity.name) and entity.name.endswith("."):
                entity.name = entity.name.rstrip(".")  # "VOV." ends the sentence, not the name
            listed = _LISTED_SPELLING.get(fold_diacritics(entity.name.lower()))
            if listed and not any(a.lower() in PLACES for a in entity.aliases):  # "Hong Kong" is listed too
                entity.name = " ".join(w[:1].upper() + w[1:] for w in listed.split())  # "Hà Nôi": Hà Nội
    return sorted(entities.values(), key=lambda e: (-len({m.article_id for m in e.mentions}), -len(e.mentions), e.name))


def _written_in_full(longer: str, name: str, mentions: list[Mention]) -> int:
    """How often the story writes ``longer``, a name that starts with ``name``: as it is, or as
    ``name`` cut where its lowercase words go on with the rest ("Cục Quản lý dược" is "Cục Quản lý
    Dược" written in lowercase, which the tagger cut at "Cục Quản lý")."""
    rest = longer[len(name):].strip().lower()
    return sum(m.text == longer or m.text == name and m.cut and _goes_on_with(m.goes_on.lstrip(), rest)
               for m in mentions)


def _goes_on_with(after: str, rest: str) -> bool:
    """Whether ``after`` starts with the words ``rest``, whole ("dược cho biết" with "dược")."""
    return after.startswith(rest) and not _LETTER.match(after[len(rest):len(rest) + 1])


def ambiguous_short_names(entities: list[Entity]) -> set[str]:
    """People named by one word that two or more full names of the story start or end with, none
    written far more often ("Kim" beside Kim Jong-un and Kim Dong-yub, ``merge_mentions`` left it
    apart): which one a mention means is unsure, so it is not listed. (Quotes keep such a speaker:
    hiding them lost four right quotes of the dev halves, "ông Kim" for Kim Jong-un, for one wrong.)"""
    full = [e.name.split() for e in entities if e.type == "PER" and " " in e.name]
    return {e.name for e in entities if e.type == "PER" and " " not in e.name and
            sum(1 for words in full if e.name in (words[0], words[-1])) >= 2}


def _doubled(name: str) -> bool:
    words = name.split()
    half = len(words) // 2
    return len(words) % 2 == 0 and words[:half] == words[half:]


def _dominant(owners: list[str], written: Counter) -> str | None:
    """The one full name a short one is part of: the only one, or one the story writes at least
    four times as often as all the others ("Trump" is "Donald Trump", not the "Lê Thu Trump" of a
    byline glued to a headline)."""
    if len(owners) == 1:
        return owners[0]
    counts = sorted(((written[o], o) for o in owners), reverse=True)
    if counts and counts[0][0] >= 4 * sum(n for n, _ in counts[1:]):
        return counts[0][1]
    return None


def _absorb(owner: Entity, entity: Entity) -> None:
    """``entity``'s names and mentions become ``owner``'s: two entries found to be one."""
    owner.aliases |= entity.aliases
    owner.mentions.extend(entity.mentions)


def _merge_parts(entities: dict[str, Entity]) -> None:
    """A body named by the start of a longer name ("Bộ Giao thông" of "Bộ Giao thông Vận tải") is
    that body, when it is the only one it can be. (A single word is left alone: it may be a place
    of its own, "Amsterdam" beside "Schiphol Amsterdam".)"""
    bodies = [key for key, e in entities.items() if e.type != "PER" and " " in key]
    # longest first: "Sở GD ĐT" joins "Sở GD ĐT Hà Nội" before "Sở GD" looks for its owner
    for key in sorted(bodies, key=len, reverse=True):
        entity = entities[key]
        if key in PLACES or key in ORGANISATIONS:
            continue
        owners = [b for b in bodies if b != key and b in entities and b.startswith(key + " ")
                  and entities[b].type == entity.type]
        if len(owners) == 1:
            _absorb(entities[owners[0]], entities.pop(key))


def _merge_fragments(entities: dict[str, Entity]) -> None:
    """A single word of a longer name the story uses at least as often ("Nord" and "Stream" beside
    "Nord Stream", where the tagger split some mentions) is that name, when only one name has it.
    People are left to ``merge_mentions``' own rules (a surname joins its full name there)."""
    longer = [e for e in entities.values() if " " in e.name]
    for key, entity in list(entities.items()):
        if " " in key or key in PLACES or key in ORGANISATIONS:
            continue
        if known_type(entity.name):  # a name of its own: only its longer form of its type joins it
            owners = [e for e in longer if e.type == entity.type and e.name.startswith(entity.name + " ")
                      and len(e.mentions) >= len(entity.mentions)]  # "Leicester" of "Leicester City"
        elif entity.type == "PER" and (any(m.titled for m in entity.mentions) or
                                       not any(" " in e.name and e.type != "PER" and entity.name in e.name.split()
                                               for e in longer)):
            continue  # a person, unless an untitled word of a body's or place's name ("League" of "Premier League")
        else:
            owners = [e for e in longer if entity.name in e.name.split() and len(e.mentions) >= len(entity.mentions)]
        if len(owners) == 1:
            _absorb(owners[0], entities.pop(key))


def _merge_company_names(entities: dict[str, Entity]) -> None:
    """A company named by its own name ("Điện Quang") is the company whose full name ends with it
    ("Công ty Bóng đèn Điện Quang"), when the story names only one such."""
    for key, entity in list(entities.items()):
        if entity.type != "ORG" or _headed(key) or not any(m.rule == "company" for m in entity.mentions):
            continue
        tail = " " + fold_diacritics(key).replace(".", "")
        owners = [e for k, e in entities.items() if k != key and e.type == "ORG" and _headed(k) and
                  fold_diacritics(k).endswith(tail)]
        if len(owners) == 1:
            _absorb(owners[0], entities.pop(key))


_COMPANY_FORM = re.compile(r"^(?:công ty (?:cổ phần|cp|tnhh(?: mtv)?|trách nhiệm hữu hạn(?: một thành viên)?)|ctcp)\s+")
_JOINED_CAPITALS = re.compile(r"(?<=[A-ZĐ])[&-](?=[A-ZĐ])")


@lru_cache(maxsize=2**14)  # bounded: a service reading news for weeks meets ever new names
def ministry_key(name: str) -> str | None:
    """The full name of the ministry a name writes, lower-case, or None.

    >>> ministry_key("Bộ LĐ-TB&XH") == ministry_key("Bộ Lao động - Thương binh và Xã hội")
    True
    >>> ministry_key("Bộ Giao thông"), ministry_key("Bộ Giao thông Mỹ")
    ('bộ giao thông vận tải', None)
    """
    return next((key for key, form in _MINISTRY_FORMS.items() if form.fullmatch(name)), None)


def _key(name: str) -> str:
    ministry = ministry_key(name)
    if ministry:  # "Bộ GTVT", "Bộ Giao thông" and "Bộ Giao thông vận tải" are one ministry
        return fold_diacritics(ministry)
    # "Bộ GD&ĐT", "Bộ GD-ĐT" and "Bộ GDĐT" are one ministry
    words = canonical_words(_JOINED_CAPITALS.sub("", name)).lower().rstrip(".")
    words = _COMPANY_FORM.sub("công ty ", words)  # "Công ty CP X", "Công ty Cổ phần X": "Công ty X"
    words = _CITY_PREFIX.sub("", words) if _CITY_PREFIX.sub("", words).count(" ") else words  # "TP.Cần Thơ": Cần Thơ
    words = _PROVINCE_INSIDE.sub(" ", words)  # "Công an tỉnh Hà Tĩnh" is "Công an Hà Tĩnh"
    alias = ALIASES.get(fold_diacritics(words))
    if alias:  # "Liên minh châu Âu" is "EU", "Moscow" is "Moskva"
        words = alias
    # a typo of a diacritic ("Hà Nôi", "Ai Câp") or a dot ("TP.HCM", "TPHCM") is the same name,
    # for names of two words or more
    return fold_diacritics(words).replace(".", "") if " " in words else words


def _voted_types(mentions: list[Mention]) -> dict[str, str]:
    """One type per name in a story, the one most of its mentions got ("Ksor Khú" once a place
    and three times a person is a person); a place that ends with a person's name ("Ksor Chuôn"
    beside "Chuôn", "Phó Văn Nguyên" beside "Nguyên") is that person."""
    votes: dict[str, dict[str, int]] = {}
    for m in mentions:
        counts = votes.setdefault(_key(m.text), {})
        counts[m.type] = counts.get(m.type, 0) + 1
    types = {key: max(counts, key=lambda t: (counts[t], t == "PER")) for key, counts in votes.items()}
    # what many articles of a news corpus cue a name as ("ông Kim Jong-un", "mẫu xe Camry") beats
    # what one story's sentences made of it, unless the word lists know it or a person's title in
    # the story says otherwise ("nhà báo Lại Văn Sâm" beside the corpus's "trang Lại Văn Sâm")
    names = {_key(m.text): m.text for m in mentions}
    titled = {_key(m.text) for m in mentions if m.type == "PER" and m.evidence == "rule" and m.role
              and not any(m.role.lower().startswith(r) for r in SPORTS_ROLES)}  # "tiền vệ Real": weak
    # nor a kind of place the story writes before it ("thị trấn Quang Minh", "quảng trường Kim Tử Kinh")
    kinds_of_place = {_key(m.text) for m in mentions if m.rule == "place-kind"}
    companies = {_key(m.text) for m in mentions if m.rule == "company"}  # "hợp tác xã An Phát": not the place
    for key, name in names.items():
        settled = known_type(name)
        if settled and fold_diacritics(key) not in _FOLDED_LISTED and (settled == "PER" or key not in titled) and \
                (settled == "LOC" or key not in kinds_of_place) and (settled == "ORG" or key not in companies):
            types[key] = settled
    for key in companies - titled:
        if fold_diacritics(key) not in _FOLDED_LISTED:
            types[key] = "ORG"  # "Công ty an ninh mạng Avast" once beside the NER's place "Avast"
    people = {fold_diacritics(key) for key, kind in types.items() if kind == "PER" and " " not in key}
    for key, kind in types.items():
        words = fold_diacritics(key).split()
        if kind != "PER" and len(words) >= 2 and words[-1] in people and fold_diacritics(key) not in _FOLDED_PLACES \
                and not _headed(key) and known_type(names[key]) in (None, "PER"):
            # not "Công ty Bóng đèn Điện Quang" beside a "Quang", nor "Premier League" beside a "League"
            types[key] = "PER"
    # a ship, a film, a competition: named, but not shown; where a quarter of the mentions say so
    # ("tên lửa của Liên Xô" once among ten mentions of the country is no missile)
    works = Counter(_key(m.text) for m in mentions if m.evidence == "work")
    for key, n in works.items():
        if 4 * n >= sum(votes[key].values()) and fold_diacritics(key) not in _FOLDED_LISTED and \
                not any(_titled(m.text, mentions) for m in mentions if _key(m.text) == key):
            types[key] = "OTHER"
    for m in mentions:
        if m.evidence == "street" and not _titled(m.text, mentions):
            types[_key(m.text)] = "LOC"  # a street named after someone, wherever the story writes it
    for m in mentions:
        if m.evidence == "byline":
            types[_key(m.text)] = "PER"  # an author's byline, whatever place the name also is
    # "Định" a place beside "Đặng Công Định" a person, "Thùy Linh" an organisation beside "Phạm
    # Thùy Linh": the person's short name
    full_names = [fold_diacritics(key) for key, kind in types.items() if kind == "PER" and " " in key]
    in_bodies = {w for key, kind in types.items() if kind != "PER" and key.count(" ") >= 2 for w in key.split()}
    for key, kind in list(types.items()):
        folded = fold_diacritics(key)
        if kind != "PER" and key not in ORGANISATIONS and folded not in _FOLDED_PLACES and not _headed(key) and \
                (" " not in key or known_type(names.get(key, key)) in (None, "PER")) and \
                (" " in key or key not in in_bodies) and \
                sum(1 for name in full_names if name != folded and name.endswith(" " + folded)) == 1:
            types[key] = "PER"
    return types


def _headed(key: str) -> bool:
    """Whether a name starts with a body's head noun ("công ty ...", "bệnh viện ..."): no person's."""
    words = fold_diacritics(key).split()  # keys of longer names are folded (``_key``)
    return any(" ".join(words[:n]) in _FOLDED_HEADS for n in (1, 2, 3))


def _titled(name: str, mentions: list[Mention]) -> bool:
    """Whether the story gives the name a person's title somewhere ("ông Lê Lợi")."""
    return any(m.text == name and m.titled for m in mentions)


def without_kin_word(m: Mention) -> Mention:
    """"Dượng Định" -> "Định", "Anh Sơn" -> "Sơn": a kin word that starts a person's mention is
    how the story addresses the person, not a part of the name."""
    rest = " ".join(m.text.split()[1:])
    return replace(m, text=rest, start=m.start + len(m.text) - len(rest))


def _without_glued_places(mentions: list[Mention]) -> list[Mention]:
    """"Đức Angela Merkel", "Mexico Enrique Pena Nieto", "Lầu Năm Góc Michael Elleman": a place or
    an organisation of the role before the name, glued to it; the person is the rest."""
    named = {m.text for m in mentions if m.type == "PER" and m.evidence != "ner"}  # by a title, a cue, a list
    # longest first; not a name a rule calls a person, which the NER took for a place once ("Tập" of
    # "ông Tập" is Tập Cận Bình's family name, not a place glued to "Cận Bình")
    bodies = sorted({m.text for m in mentions if m.type in ("LOC", "ORG")} - named, key=len, reverse=True)
    people = sorted({m.text for m in mentions if m.type == "PER" and len(m.text.split()) >= 2 and  # "Lê Thị Thủy",
                     (m.text.split()[0].lower() in SURNAMES or not _VIETNAMESE_MARKS.search(m.text))},  # "Tim Cook"
                    key=len, reverse=True)
    single = {m.text for m in mentions if m.type == "PER" and " " not in m.text}  # "Stoltenberg" of "NATO Stoltenberg"
    out = []
    for m in mentions:
        if m.type != "PER" and _headed(m.text.lower()):
            # "Ủy ban Kiểm tra Trung ương Lê Thị Thủy": a body and, after it, a person the story names
            person = next((p for p in people if m.text.endswith(" " + p)), None)
            if person is not None:
                cut = m.start + len(m.text) - len(person)
                out.append(replace(m, text=m.text[:-len(person)].strip(), end=cut - 1))
                m = replace(m, text=person, type="PER", start=cut)
        words = m.text.split()
        if m.type == "PER" and len(words) >= 2 and words[0] in KIN_WORDS:  # "Dượng Định": the uncle, Định
            m = without_kin_word(m)
        rest = " ".join(words[1:])
        if len(words) >= 2 and (_role_key(words[0]) in ROLES or words[0] in _TITLES) and rest in named:
            # "HLV Conte" as one word of the tagger, which the NER then typed a place: the coach the
            # story names (not "HLV Liverpool", Liverpool's)
            m = replace(m, text=rest, type="PER", start=m.end - len(rest), role="")
        if m.type == "PER":
            for body in bodies:
                rest = m.text[len(body):].strip()
                if m.text.startswith(body + " ") and rest[:1].isupper() and (len(rest.split()) >= 2 or rest in single):
                    start = m.start + len(m.text) - len(rest)
                    m = replace(m, text=rest, start=start)
                    break
        out.append(m)
    return out

"""Who said what: direct quotations and reported speech, with the speaker resolved to an entity.

A sentence is a quote when it carries a speech verb ("nói", "cho biết", "khẳng định", ...) or
opens with "Theo X," / "Cũng theo X,", or puts a quotation after a colon. The speaker is read
from the clause before the verb (after the last comma), in this order:

1. a person named there ("..., ông Rutte nói"; "Tổng thống Zelensky phát biểu: ...");
2. after "dẫn lời", the person quoted ("AP dẫn lời chuyên gia Jorge Benitez nhận định");
3. a role held by one person in the story ("Tân Tổng thư ký NATO nói" -> Mark Rutte;
   "nhà lãnh đạo Ukraine" -> the person whose role names Ukraine);
4. a pronoun or a descriptor ("ông", "bà", "nhà lãnh đạo", "chiến lược gia") -> the first
   person of the sentence before, else the last person quoted;
5. an apposition ("bà Hoàng Thị Hòa, vợ ông Ứng bày tỏ"; "ông Vỵ, Chủ tịch xã Tân Triều,
   Thanh Trì cho biết") -> the person of the clause before;
6. an organisation, a country or a short capitalised name ("báo Dân Trí đưa tin", "Mỹ cho rằng").

A speaker found by none of these is kept as the phrase, marked unresolved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from diemtin.facts.entities import Mention, RoleMention, without_kin_word
from diemtin.facts.lexicon import ADDRESS, BODY_HEADS, KIN_WORDS, PLACES, PRONOUN_SPEAKERS, ROLES, SPEECH_VERBS, SURNAMES

_OPEN, _CLOSE = "\"“«", "\"”»"
_VERB = re.compile(r"(?<!\w)(" + "|".join(re.escape(v) for v in SPEECH_VERBS) + r")(?!\w)", re.IGNORECASE)
_ACCORDING = re.compile(r"^(?:Cũng\s+|Còn\s+)?[Tt]heo\s+(?P<who>[^,]{1,90}),\s*(?P<rest>.{10,})$")
_COLON_QUOTE = re.compile(r":\s*[\"“«]")
# a speech verb used as a noun ("Trong phát biểu sau khi ...", "lời khẳng định", "trên cơ sở đánh
# giá của ..."), or what a meeting was for ("họp ... để đánh giá tình hình"), not a statement made
_NOUN_USE = re.compile(r"(?:trong|khi|sau|bài|lời|buổi|cuộc|phiên|qua|những|các|việc|câu|như|theo|để|nhằm|cơ sở)\s+$",
                       re.IGNORECASE)
_QUOTED = re.compile(r"[\"“«]([^\"“”«»]{8,})[\"”»]")
# A quotation this short, not opened right after the verb, is a term the writer quotes ("bay ở
# 'góc cao nhất'", "việc 'học từ thất bại'"), not what was said.
_SHORT_QUOTE_WORDS = 6
# A speech verb that says nothing is quoted: negated or required ("không thể bác bỏ", "chưa xác
# nhận", "yêu cầu xác nhận", "phải đánh giá"), or part
# of another word ("đánh giá cao": to appreciate; "hứa hẹn"; "nói chuyện", "nói thật", "nói trên").
_NEGATED = re.compile(r"(?:không thể|không hề|không|chưa|chẳng|yêu cầu|đề nghị|phải|cần)\s+$", re.IGNORECASE)
# A noun phrase after these is what was felt, reviewed or recalled, not a statement: "bày tỏ sự
# thích thú với ...", "đánh giá tổng thể quan hệ song phương", "nhắc lại những kỷ niệm tốt đẹp".
_NOT_SPEECH_AFTER = {"đánh giá": re.compile(r"\s+(?:cao|tổng thể|tình hình|thực trạng|công tác)\b"),
                     "bày tỏ": re.compile(r"\s+(?:sự|niềm|lòng|nỗi|thái độ|cảm xúc|tình cảm)\b"),
                     "nhắc lại": re.compile(r"\s+(?:những\s+|các\s+)?(?:kỷ niệm|kỉ niệm)\b"),
                     "hứa": re.compile(r"\s+hẹn\b"),
                     "nói": re.compile(r"\s+(?:chuyện|thật|dối|trên|riêng|chung|lại|gì|đùa)\b"),
                     # "chuyên gia tên lửa chuyên viết bài cho trang 38 North, ước tính ...": an occupation
                     "viết": re.compile(r"\s+(?:bài|báo|sách|kịch bản)\b")}
# What is denied is not what the speaker says: "Nhà Trắng phủ nhận rất nhiều thông tin, ..."
_DENIALS = {"bác bỏ", "phủ nhận"}
# Reported speech is a clause; these open an activity or a noun instead ("phát biểu tại Diễn đàn",
# "viết cho Liên đoàn", "cho biết thêm về", "khai nhận toàn bộ hành vi", "xác nhận sự việc trên")
_NOT_CONTENT = re.compile(r"^(?:với|cho|và|tại|trước|về|trên|thêm về|chuyện|cao|hẹn|chung|lại|toàn bộ|hành vi|tội|"
                          r"thông tin|sự việc|vụ việc|như trên|như vậy)\b", re.IGNORECASE)  # "nhận định như trên"
_TO_WHOM = re.compile(r"^với\s+[^,.]{1,60}?\s+(?:rằng|là)\s+", re.IGNORECASE)  # "nói với New York Times rằng ..."
_INNER_OPENER = re.compile(r"^(.{0,80}?)\brằng\s*[,:]\s*(.{10,})$")
_SOURCE_TAIL = re.compile(r",\s*theo\s+[^,]{1,40}$", re.IGNORECASE)
_NOT_A_SOURCE = re.compile(r"^(?:phóng viên|PV|đặc phái viên|ghi nhận|quy hoạch|đồ án|kế hoạch|thống kê|số liệu)\b",
                           re.IGNORECASE)  # "Theo phóng viên TTXVN tại Đức, ...", "Theo quy hoạch của UBND ..."
# a numeral ("Hai Thủ tướng") or the head noun of a body ("Lãnh đạo Phòng Thương mại", "Giám đốc
# Cảng ...", "Đoàn kiểm tra") that the tagger took for a person
_NOT_NAMES = {"Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Các", "Những"} | BODY_HEADS
# a name right after these is a place or an organisation's ("cảnh sát Hamburg", "Công ty CP Sài Gòn Triển Vọng")
_NOT_A_PERSON_BEFORE = re.compile(r"(?:cảnh sát|công an|chính quyền|người dân|thành phố|tỉnh|(?<!nhà )báo|tờ|hãng|"
                                  r"Công ty[^,]{0,25}|Tập đoàn[^,]{0,25}|Ngân hàng[^,]{0,25})\s+$", re.IGNORECASE)
_TRAILING_DATE = re.compile(r"\s+(?:(?:sáng|trưa|chiều|tối|đêm)\s+)?(?:hôm|ngày)?\s*\d{1,2}\s*[/.-]\s*\d{1,2}"
                            r"(?:\s*[/.-]\s*\d{2,4})?$", re.IGNORECASE)
_PHOTO_CREDIT = re.compile(r"^(?:Ảnh\s*:\s*)?\S+/(?:(?!(?:Hai|Ba|Các|Những)\s)[A-ZĐ]\S*\s+){1,3}(?=\S)")
_LEADING_JOINER = re.compile(r"^(?:[-–—]\s*|(?:và|nhưng|còn|mà|song)\s+)", re.IGNORECASE)
_ADVERBS = {"cũng", "đã", "còn", "thì", "vẫn", "lại", "liền", "từng", "sau đó", "tiếp tục", "mới", "đều", "vừa", "đồng thời",
            "khi", "nay", "vui vẻ", "thêm", "trước đó", "hôm nay", "hôm qua"}
_RELATIONS = ("vợ ", "chồng ", "con ", "con trai ", "con gái ", "mẹ ", "bố ", "cha ", "bạn gái ", "bạn trai ",
              "người yêu ", "đại diện ", "luật sư ", "thành viên ", "trưởng ", "chủ tịch ", "phó ", "người ",
              # where the person named before works: "bác sĩ Nguyên, khoa Tai Mũi Họng - BV Nhi đồng 1 cho biết"
              "khoa ", "phòng ", "bệnh viện ", "bv ", "trường ", "công ty ", "viện ", "sở ", "cơ quan ")
_ADMIN = ("tỉnh ", "huyện ", "xã ", "quận ", "phường ", "thành phố ", "tp ", "thị xã ")
_OFFICERS = ("phó ", "lãnh đạo ", "giám đốc ", "tổng giám đốc ", "trưởng ", "chủ tịch ", "thứ trưởng ", "bộ trưởng ",
             "người phát ngôn ", "phát ngôn viên ", "thị trưởng ", "chánh ", "cục trưởng ", "tổng cục trưởng ")
_NO_SPEAKER = {"nó", "điều", "việc", "đây", "đó", "họ", "chúng", "điều này", "kết quả", "thống kê", "kế hoạch",
               "quy định", "dự báo", "báo cáo", "đánh giá"}


# documents, which say nothing of who wrote them unless the phrase names a body or a person
_DOCUMENTS = ("thông tin ", "thông cáo ", "văn bản ", "công văn ", "tờ trình ")
_INITIAL_END = re.compile(r"\s[A-ZĐ]\.$")
_FUNCTION_WORDS = {"với", "được", "cho", "của", "mà", "rằng", "về", "bất chấp", "chấp", "thì", "là", "và", "họ", "này"}
_FIRST_PERSON = {"tôi", "chúng tôi", "ta", "chúng ta", "mình", "em"}
_PRESS_OBJECT = re.compile(r"(?:báo chí|báo giới|phóng viên|PV|hãng tin|hãng thông tấn|truyền thông)\b.{0,80}\bvề\b",
                           re.IGNORECASE)
_TERM_BEFORE = re.compile(r"(?:\bgọi\b[^\"“«]{0,80}\blà|\b(?:vào|về|của|như|với))\s*[\"“«‘']\s*$")
_ADVERB_TAILS = {"thậm chí", "bất chấp", "cũng", "còn", "đã", "vẫn", "lại", "thì", "mới", "liền", "từng", "đều"}
_ANY_ROLE = "|".join(sorted((re.escape(r) for r in ROLES), key=len, reverse=True))  # longest first
_ROLE_START = re.compile(rf"(?i:{_ANY_ROLE})\b")
_APPOSITION_BEFORE = re.compile(rf"[A-ZĐ][^\s,]*\s*[,–-]\s+(?i:{_ANY_ROLE})\b[^,;]*$")
_RELAYS = re.compile(r"\b(?:dẫn lời|trích dẫn|trích lời)\b")
# Capitalised ASCII words that open a sentence before a speaker without being part of the name
_OPENING_WORDS = {"Theo", "Sau", "Trong", "Khi", "Tuy", "Ngay", "Cho", "Nay", "Sang", "Hai", "Ba", "Anh", "Tai", "Do",
                  "Vi", "Voi", "Con", "Nhu"}
_TITLE_ABBREVIATIONS = {"TS", "GS", "PGS", "BS", "HLV", "CEO", "ThS", "TT", "NSND", "NSƯT", "PGS.TS", "GS.TS"}
# who is asked or told to act: "Thủ tướng yêu cầu các thành viên Chính phủ ..."
_ADDRESSEE_BEFORE = re.compile(r"\b(?:yêu cầu|đề nghị|chỉ đạo|kêu gọi|giao cho|gửi|gửi tới|gửi đến)\s+"
                               r"(?:các\s+|những\s+)?(?:\w+\s+){0,2}$", re.IGNORECASE)
_ACTIVITY_TEXT = re.compile(r"^(?:ý kiến|tại)\b", re.IGNORECASE)  # "phát biểu ý kiến", "phát biểu tại ..."
# an ellipsis and the next word: before a capital, the end of a sentence the splitter left joined
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s+(\w)")
# a sentence's end after a lowercase word, or a bracket opening the speaker or closed before more
# words (not "UBND TP. Hồ Chí Minh", "tờ National Post (Mỹ)")
_SENTENCE_BREAK = re.compile(r"[a-zà-ỹđ][.!?]\s|^\(|\)\s+\w")
# a direction, request or decision of the speaker that others carry out: no statement of the speaker's
_DIRECTIVE_BEFORE = re.compile(r"\bTheo\s+(?:sự\s+)?(?:chỉ đạo|yêu cầu|đề nghị|quyết định|kết luận|kế hoạch|quy định|"
                               r"hướng dẫn|đề xuất|chủ trương|ủy quyền|uỷ quyền)\s+(?:của\s+)?[^,]*$", re.IGNORECASE)
_LEADING_ADVERB = re.compile(r"^(?:Thậm chí|Tuy nhiên|Trong khi đó|Ngoài ra|Đặc biệt|Rất nhiều|Bên cạnh đó|Cùng với)\s",
                             re.IGNORECASE)
# a quotation after these names where something was said ("Tại “Ngày hội tư vấn tuyển sinh” ...")
_NAMED_IN_QUOTES_BEFORE = re.compile(r"\b(?:[Tt]ại|[Tt]rong|[Ởở]|[Dd]ịp)\s*$")
_JOINED = re.compile(r"\s+(?:và|cùng)\s+(?:\w+\s+)?")  # "Ông Putin và ông Tập": between two names of one subject
_OUTSIDE_BRACKETS_COMMA = re.compile(r"^(?:[^,()]|\([^()]*\))*,")  # "... (quận Sơn Trà, Đà Nẵng), ...": after the bracket
# a comma that breaks a clause: not one inside a name or a number, with no space after it ("Bộ
# VH,TT&DL", "17,5 độ")
_CLAUSE_COMMA = re.compile(r",(?!\S)")
# what opens a statement in quotation marks: a colon or a comma, or a speech verb ("nói “...”",
# "cho biết rằng “...”"); anything else before a short quotation makes it a term
_OPENED_BY_SPEECH = re.compile(r"(?:[:,]|(?:" + "|".join(re.escape(v) for v in SPEECH_VERBS) + r")(?:\s+(?:rằng|là))?)\s*[\"“«‘']\s*$",
                               re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s(\w+)")
_LIST_BEFORE = re.compile(r"[A-ZĐ]\w*,\s*$")
_ROLE_BEFORE = re.compile(rf"(?:{_ANY_ROLE})\s+$", re.IGNORECASE)


@dataclass(slots=True)
class Quote:
    speaker: str  # the merged entity's name, or the speaker phrase when no entity fits
    resolved: bool  # True when the speaker is a named entity
    text: str  # what was said
    direct: bool  # a quotation in quote marks, or reported speech
    article_id: str
    sentence_index: int
    sentence: str

    def to_dict(self) -> dict:
        return {"speaker": self.speaker, "resolved": self.resolved, "quote": self.text, "direct": self.direct,
                "article_id": self.article_id, "sentence_index": self.sentence_index, "sentence": self.sentence}

    def confidence(self, places: set[str] | frozenset[str] = frozenset(), people: set[str] | frozenset[str] = frozenset(),
                   bodies: set[str] | frozenset[str] = frozenset(), trusted: set[str] | frozenset[str] = frozenset()) -> float:
        """How far to trust the speaker shown (``places``, ``people`` and ``bodies``: the names the
        story types so, beside the word lists; ``trusted``: the people it lists, above the bar).
        Low where the sentence shows the speaker is a piece of a longer phrase or not who spoke:

        - a name cut: after an initial, before its surname, or after a foreign word of the same
          name ("David S." of "David S. Cohen", "Tim" of "Tim Partridge", "Mail" of "Daily Mail");
        - the place of a title ("Rotterdam" of "Thị trưởng Rotterdam") or the end of a list
          ("Pháp và Anh" of "Mỹ, Pháp và Anh");
        - a body or place inside a person's apposition ("Jeffrey Lewis, giám đốc chương trình
          Đông Á tại ... cho biết": the person spoke, not "Đông Á"), or the place of a body
          ("Bộ Ngoại giao Nga");
        - an outlet that relays someone it names ("Yonhap dẫn lời một chuyên gia ... cho hay");
        - a phrase that is no name: a named speaker ending with an adverb ("Johannes Hahn
          thậm chí"), an unnamed one that is long, ends with a function word or is "tôi";
        - reported "speech" whose content is the press it was said to ("trả lời phỏng vấn báo
          chí Việt Nam về ...": an activity);
        - a short quotation inside the sentence's own words, a term not a statement ("kêu gọi
          đáp trả “hành vi khiêu khích nghiêm trọng” của miền Bắc", "gọi quyết định là “...”"),
          or inside the words after a speech verb ("nói ... để NATO “bảo vệ lợi ích riêng”");
        - a sentence's opening words glued to the speaker ("Thậm chí tờ Mirror"), the subject of a
          passive ("bị cáo buộc": accused, not speaking), the end of a list ("Ai Cập...").
        """
        speaker = self.speaker
        if _SENTENCE_BREAK.search(speaker):
            return 0.3  # two sentences or a bracket glued into the speaker: "vô phạt. Chúng ta", "(IS) tự xưng"
        titled = _ROLE_START.match(speaker)  # "Trưởng công an xã Nghĩa Minh": a role, however long
        if not self.resolved and (len(speaker.split()) > 5 and not titled or speaker.split()[-1].lower() in _FUNCTION_WORDS
                                  or speaker.lower() in _FIRST_PERSON):
            return 0.3
        words = speaker.lower().split()
        if self.resolved and (" ".join(words[-2:]) in _ADVERB_TAILS or words[-1] in _ADVERB_TAILS):
            return 0.3
        if _LEADING_ADVERB.match(speaker) or words[-1] in ("bị", "được") or speaker.endswith(("...", "…")):
            # a sentence's opening words glued to the name ("Thậm chí tờ Mirror"), the subject of a
            # passive ("T.O.P (Big Bang) bị cáo buộc": accused, not speaking), the end of a list ("Ai Cập...")
            return 0.3
        if _PRESS_OBJECT.match(self.text) or not self.direct and _ACTIVITY_TEXT.match(self.text):
            return 0.3  # what was spoken about or where ("phát biểu ý kiến", "phát biểu tại ..."): an activity
        if self.direct and len(self.text.split()) <= 8:
            where = self.sentence.find(self.text)
            before = self.sentence[:where]
            if where > 0 and (_TERM_BEFORE.search(before) or _VERB.search(before) and not _OPENED_BY_SPEECH.search(before)):
                # a short quotation inside the words that follow a speech verb is a term, not the
                # statement: "nói rằng Ukraine ... để NATO “bảo vệ lợi ích riêng của mình”"
                return 0.3
        at = self.sentence.find(speaker)
        if at < 0:
            return 0.9 if self.resolved else 0.7  # a merged or pronoun-resolved speaker: named elsewhere
        before, after = self.sentence[:at], self.sentence[at + len(speaker):]
        if _DIRECTIVE_BEFORE.search(before) or _ADDRESSEE_BEFORE.search(before):
            # "Theo chỉ đạo của Phó Thủ tướng X, Bộ đã rà soát ...": what others did, not X's words;
            # "Thủ tướng yêu cầu các thành viên Chính phủ cần ...": who was asked, not who asked
            return 0.3
        quoted = self.sentence.find(self.text) if self.direct else -1
        if 0 <= quoted <= at < quoted + len(self.text):
            return 0.3  # a name inside the quotation ("“... tuyến Cát Linh Hà Đông ...,” Thứ trưởng Trường nói")
        next_word = _NEXT_WORD.match(after)
        name_goes_on = next_word and next_word.group(1)[0].isupper() and not next_word.group(1).isupper()
        if _INITIAL_END.search(speaker) or " " not in speaker and not speaker.isupper() and name_goes_on:
            return 0.4
        previous = before.split()[-1] if before.split() else ""
        named_before = any(before.endswith(n + " ") for n in places | bodies) or \
            any(before.lower().endswith(p + " ") for p in PLACES)  # "Tổng thống Nga Vladimir Putin"
        if not named_before and previous.isascii() and previous.isalpha() and previous[:1].isupper() and previous not in _OPENING_WORDS \
                and previous.lower() not in ROLES and not (previous.isupper() and (previous in _TITLE_ABBREVIATIONS or speaker in people)):
            # "Daily Mail" shown as "Mail", "Beijing Youth Daily" as "Youth Daily" (not a full name
            # after a body's initials: "Chủ nhiệm VPCP Mai Tiến Dũng")
            return 0.4
        if _ROLE_BEFORE.search(before) and (speaker.lower() in PLACES or speaker in places):
            return 0.4
        if " và " in speaker and _LIST_BEFORE.search(before):
            return 0.4
        if speaker not in trusted and any(re.search(rf"(?<!Theo ){re.escape(p)}\s*[,–-]\s", before) for p in people):
            return 0.4
        if speaker not in trusted and _APPOSITION_BEFORE.search(before):
            return 0.4  # "Meredith Sumpter – Giám đốc mảng châu Á thuộc Công ty X nhấn mạnh": she spoke
        if (speaker.lower() in PLACES or speaker in places) and any(before.endswith((b + " ", b + ", ")) for b in bodies):
            return 0.4  # "Theo Bộ Ngoại giao Nga, ...", "Công an huyện Mê Linh, Hà Nội cho biết": the body, not the place
        if _RELAYS.search(after):
            return 0.4
        return 0.9 if self.resolved else 0.7


def _role_words(role: str) -> str:
    words = role.lower().split()
    while words and words[0] in ("tân", "cựu", "nguyên", "quyền", "nhà"):
        words = words[1:]
    return " ".join(words)


def role_owners(mentions: list[Mention]) -> dict[str, str]:
    """Role -> person, from "Tổng thư ký NATO Mark Rutte" anywhere in the story; a role held by
    two different people in one story says nothing."""
    owners: dict[str, set[str]] = {}
    for m in mentions:
        if m.type == "PER" and m.role:
            owners.setdefault(_role_words(m.role), set()).add(m.text)
    return {role: max(names, key=len) for role, names in owners.items()
            if len({n.split()[-1] for n in names}) == 1}


def _strip_adverbs(phrase: str) -> str:
    # "Hy Lạp ngày 21/7", "và bản thân Neymar", "Thống Nhất/TTXVN) Thủ tướng", "VGP/Quang Hiếu Hai Thủ tướng"
    phrase = _LEADING_JOINER.sub("", _TRAILING_DATE.sub("", phrase.strip(" ,")))
    phrase = _PHOTO_CREDIT.sub("", re.sub(r"^[^()]*\)\s*", "", phrase))
    words = phrase.strip(" ,").split()
    changed = True
    while words and changed:
        changed = False
        for n in (2, 1):
            if len(words) >= n and " ".join(words[-n:]).lower() in _ADVERBS:
                words, changed = words[:-n], True
                break
    return " ".join(words)


class _Context:
    """What an article has said so far: the people of the previous sentence, the last speaker."""

    def __init__(self, role_owner: dict[str, str]):
        self.role_owner = role_owner
        self.previous_people: list[str] = []
        self.last_speaker: str | None = None
        self.last_person: str | None = None
        self.last_unresolved = False  # the sentence before quoted an unnamed speaker

    def referent(self) -> str | None:
        if self.previous_people:
            return self.previous_people[0]
        return self.last_speaker or self.last_person

    def by_role(self, phrase: str, places: list[str]) -> str | None:
        key = _role_words(phrase)
        if key in self.role_owner:
            return self.role_owner[key]
        for role, person in self.role_owner.items():  # "nhà lãnh đạo Ukraine" -> "Tổng thống Ukraine ..."
            if places and all(p.lower() in role for p in places) and \
                    len({o for r, o in self.role_owner.items() if all(p.lower() in r for p in places)}) == 1:
                return person
        return None


def _in(mentions: list[Mention], start: int, end: int, kinds=("PER", "ORG", "LOC")) -> list[Mention]:
    return [m for m in mentions if m.start >= start and m.end <= end and m.type in kinds]


def _addressed(name: str) -> bool:
    """A person's mention that starts with a kin word the story addresses them by ("Anh Sơn"),
    not a name that keeps it ("Bác Hồ", "Cụ Hồ": a surname after it)."""
    words = name.split()
    return len(words) >= 2 and words[0] in KIN_WORDS and not (len(words) == 2 and words[1].lower() in SURNAMES)


def _people(text: str, mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """The persons named in text[start:end], without the tagger's usual mistakes there: a numeral
    ("Hai Thủ tướng"), a place or a company's name taken for a person."""
    # ("Anh Sơn cho biết": Sơn, as the story's list of people names him; "Bác Hồ" is a name)
    return [without_kin_word(m) if _addressed(m.text) else m
            for m in _in(mentions, start, end, ("PER",))
            if m.text not in _NOT_NAMES and not _NOT_A_PERSON_BEFORE.search(text[max(0, m.start - 40):m.start])]


_CUT_NAME_GOES_ON = 4  # lowercase syllables a body's name goes on with ("dự án đường sắt"); more is a clause
_PHRASE_BREAK = re.compile(r"[,;:()\[\]]")  # a phrase with these holds more than a body's name
_FROM_BODY = re.compile(r"\b(?:thông báo|thông cáo|tuyên bố|văn bản|báo cáo) (?:từ|của)\s*$", re.IGNORECASE)


def _resolve(text: str, start: int, end: int, mentions: list[Mention], roles: list[RoleMention],
             context: _Context, clause_start: int) -> tuple[str, bool, bool] | None:
    """(speaker, resolved to a named entity, a person) for the phrase text[start:end], or None."""
    phrase = _strip_adverbs(text[start:end])
    low = phrase.lower()
    if re.search(r"Ảnh\s*:\s*$", text[:start]) and " " in phrase:  # "Ảnh: Xinhua Cảnh sát ... cho biết": a credit
        start = text.index(" ", start + len(text[start:end]) - len(text[start:end].lstrip()) + 1)
        phrase = _strip_adverbs(text[start:end])
        low = phrase.lower()
    then = low.rfind(" thì ")  # "Khi được hỏi ... Trương Nam Thành ... thì Hoàng Yến cho biết"
    if then >= 0:
        start = start + text[start:end].lower().rfind(" thì ") + 5
        phrase = _strip_adverbs(text[start:end])
        low = phrase.lower()
    if not phrase:  # "Ông Rutte, người từng giữ chức ..., cũng chia sẻ": the sentence's subject
        # the first person who opens a clause ("..., Thủ tướng Mark Rutte cảm ơn ...; khẳng định
        # ..."), not one named inside it ("Vui mừng được gặp lại Thủ tướng Nguyễn Xuân Phúc"); or
        # else one named near the sentence's start
        before = _people(text, mentions, 0, clause_start)
        subject = next((m for m in before if _opens_clause(text, m)), None) or \
            (before[0] if before and before[0].start < 40 else None)
        if subject is None or any(_JOINED.fullmatch(text, subject.end, m.start) for m in before):
            return None  # "Ông Putin và ông Tập ..., đồng thời cam kết": two people, no one speaker
        return subject.text, True, True
    if low in _NO_SPEAKER or any(low.startswith(w + " ") for w in _NO_SPEAKER):
        return None
    if low.startswith(("một ", "các ", "những ", "nhiều ", "đại diện ", "hai ", "ba ", "cả hai ")):
        return phrase, False, False  # an unnamed speaker: "một quan chức cấp cao VFF"
    people = _people(text, mentions, start, end)
    if not people and _ROLE_START.match(phrase):
        apposed = _apposed_person(text, mentions, clause_start)
        if apposed is not None:  # "ông Jeffrey Lewis, giám đốc chương trình ... tại Trung tâm ... cho biết"
            return apposed.text, True, True
    if len(people) > 1 and end - people[-1].end < 30 and re.search(r"\s(?:và|nhưng|còn)\s", text[people[0].end:people[-1].start]):
        people = [people[-1]]  # "Dalot đã đá chính ... và Ten Hag từng khẳng định"
    if people and not low.startswith(_RELATIONS):
        return people[0].text, True, True
    for role in roles:
        if role.start >= start and role.end <= end:
            owner = context.role_owner.get(_role_words(role.text))
            if owner:
                return owner, True, True
    places = [m.text for m in _in(mentions, start, end, ("LOC", "ORG"))]
    descriptor = low in PRONOUN_SPEAKERS or any(low.startswith(p + " ") for p in PRONOUN_SPEAKERS if " " in p or len(p) > 3)
    if descriptor:
        owner = context.by_role(low, places) if places else None
        if owner:
            return owner, True, True
        if context.last_unresolved:
            return None
        if context.referent():
            return context.referent(), True, True
    # an apposition: the person is in the clause before ("bà Hòa, vợ ông Ứng bày tỏ")
    if clause_start > 0 and (low.startswith(_RELATIONS + _ADMIN) or not people and not places):
        before = _people(text, mentions, max(0, clause_start - 120), clause_start)
        if before:
            return before[-1].text, True, True
    if low.startswith(_ADMIN) and clause_start > 0:  # "Công an huyện Đắk Hà, tỉnh Kon Tum cho biết"
        earlier = text[:clause_start].rstrip(" ,")
        cut = earlier.rfind(",") + 1
        if _in(mentions, cut, clause_start, ("ORG",)):
            return _strip_adverbs(earlier[cut:]), True, False
    if people:
        return people[0].text, True, True
    if places:
        if low.startswith(_OFFICERS):  # "Phó Tổng cục trưởng Tổng cục Thi hành án dân sự cho biết": its officer, unnamed
            return phrase, False, False
        orgs = _in(mentions, start, end, ("ORG",))
        bracket = text.find("(", start, end)
        head = _strip_adverbs(text[start:bracket]).strip() if bracket >= 0 else ""
        if orgs and head and bracket < orgs[-1].start and " " in orgs[-1].text:
            # "Khu quản lý giao thông đô thị số 3 (Sở GTVT TP.HCM) cho biết": the body in brackets
            # is the one the speaker belongs to, not the speaker (one word, "Quỹ Tiền tệ quốc tế
            # (IMF)", is the speaker's own short name)
            return head, False, False
        cut = next((m for m in orgs if m.cut and phrase.startswith(m.text + " ")), None)
        goes_on = phrase[len(cut.text):] if cut else ""
        if goes_on.islower() and len(goes_on.split()) <= _CUT_NAME_GOES_ON and not _PHRASE_BREAK.search(phrase):
            # the body's name goes on in lowercase words the tagger cut ("Cũng theo Ban Quản lý dự
            # án đường sắt, ..."): the speaker is the name as written, not "Ban Quản lý"
            return phrase, True, False
        if orgs and (len(phrase.split()) > len(orgs[-1].text.split()) + 3 or
                     phrase.endswith(orgs[-1].text) and _FROM_BODY.search(phrase[:-len(orgs[-1].text)])):
            # a long lead-in, or a statement from the body ("thông báo từ Bộ Ngoại giao Nga cho biết")
            return orgs[-1].text, True, False
        return phrase, len(phrase.split()) <= 4, False
    if low.startswith(_DOCUMENTS):
        return None  # "thông tin gửi báo chí nêu rõ": a document that names no one who wrote it
    words = phrase.split()
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words):
        return phrase, True, False  # "Nam Đô cho hay"
    if 1 <= len(words) <= 8:
        return phrase, False, False
    return None


def _apposed_person(text: str, mentions: list[Mention], clause_start: int) -> Mention | None:
    """The person whose title follows their name and a comma ("ông Jeffrey Lewis, giám đốc ..."):
    the clause before the comma names that person and nothing else, at most with a title or an
    address word ("Sau khi gặp ông X, Giám đốc Sở ... cho biết" is another person's words)."""
    comma = clause_start - 1
    if comma <= 0 or text[comma] != ",":
        return None
    name = next((m for m in reversed(mentions) if m.type == "PER" and m.end <= comma and not text[m.end:comma].strip()), None)
    if name is None:
        return None
    return name if _opens_clause(text, name) else None


def _opens_clause(text: str, name: Mention) -> bool:
    """Whether a name opens its clause, at most after its title or an address word ("ông Jeffrey
    Lewis", "Thủ tướng Mark Rutte"): the clause's subject, not someone it names."""
    lead = text[_clause_start(text, name.start):name.start].strip(" \"“”").lower()
    role = name.role.lower()
    if role and lead.endswith(role):  # "cựu Tổng thống Mỹ Barack Obama"; not "Chủ tịch Tập đoàn
        lead = lead[:-len(role)].strip()  # Vamed trân trọng cảm ơn Thủ tướng Nguyễn Xuân Phúc"
    return not lead or lead in ADDRESS


def _clause_start(text: str, position: int) -> int:
    comma = max((m.start() for m in _CLAUSE_COMMA.finditer(text, 0, position)), default=-1)
    cut = max(comma, text.rfind(";", 0, position), text.rfind(":", 0, position),
              text.rfind("”", 0, position), text.rfind("\"", 0, position), -1)
    return cut + 1


def _quote_of(text: str, verb_start: int, verb_end: int) -> tuple[str, bool]:
    """(what was said, in quotation marks) for the speech verb at text[verb_start:verb_end]; an
    empty text when the clause says nothing quotable."""
    quoted = list(_QUOTED.finditer(text))
    if quoted:
        longest = max(quoted, key=lambda q: len(q.group(1)))
        opened_by_verb = longest.start() >= verb_end and re.fullmatch(r"[\s,:]*(?:(?:rằng|là)\s*)?[:,]?\s*",
                                                                      text[verb_end:longest.start()])
        # a quotation before the verb after "tại", "trong" is the name of where it was said ("Tại
        # “Ngày hội ...” diễn ra sáng 9/7, ông X cho biết"), when the sentence goes on after it
        named = longest.end() <= verb_start and re.match(r"\s*\w", text[longest.end():]) and \
            _NAMED_IN_QUOTES_BEFORE.search(text, 0, longest.start())
        if not named and (len(longest.group(1).split()) >= _SHORT_QUOTE_WORDS or opened_by_verb):
            return longest.group(1).strip(), True
    colon_after = text[verb_end:].lstrip(" ,").startswith(":")  # "xác nhận: Trước đám tang, ...": said
    rest = re.sub(r"^(rằng|là)\s+", "", text[verb_end:].lstrip(" ,:")).rstrip(".")
    rest = _TO_WHOM.sub("", rest)
    inner = _INNER_OPENER.match(rest)
    if inner and _VERB.search(inner.group(1)):  # "dẫn lời ông X tuyên bố rằng, <what he said>"
        rest = inner.group(2)
    rest = _SOURCE_TAIL.sub("", rest)  # "..., theo Sputniknews": who reported it, not what was said
    # an ellipsis before a capital ends a sentence the splitter left joined: "... chuyển đổi nghề
    # nghiệp… UBND tỉnh Đồng Nai cho biết, ..." is the next sentence, another speaker's
    cut = next((m.start(1) for m in _ELLIPSIS.finditer(rest) if m.group(1).isupper()), None)
    rest = rest[:cut].rstrip() if cut is not None else rest
    if len(rest) < 10:
        close = max(text.rfind("”", 0, verb_start), text.rfind("\"", 0, verb_start))
        opened = max(text.rfind("“", 0, close), text.rfind("\"", 0, close)) if close > 0 else -1
        if close > 8 and opened < 0:  # the end of a quotation opened in an earlier sentence: "...sợ", bà Hòa bày tỏ
            return text[:close].strip(" \"“"), True
        rest = text[:_clause_start(text, verb_start)].rstrip(" ,")  # "..., báo Dân Trí đưa tin."
    elif not colon_after and (_NOT_CONTENT.match(rest) and rest[:1].islower() or len(rest.split()) < 4):
        return "", False
    return rest, False


def _speech_verbs(text: str, end: int) -> list[re.Match]:
    verbs = []
    for verb in _VERB.finditer(text, 0, end):
        word = verb.group(1).lower()
        if verb.start() > 0 and verb.group(1)[:1].isupper():
            continue  # part of a name: "thời Xô Viết", "nhà văn Nói"
        before = text[max(0, verb.start() - 12):verb.start()]
        if _NOUN_USE.search(text[max(0, verb.start() - 8):verb.start()]) or _NEGATED.search(before):
            continue
        after = _NOT_SPEECH_AFTER.get(word)
        if after is not None and after.match(text, verb.end()):
            continue
        verbs.append(verb)
    return verbs


def find_quotes(sentences, mentions_of, roles_of, role_owner: dict[str, str] | None = None,
                story_people: set[str] | frozenset[str] = frozenset()) -> list[Quote]:
    """Quotes of one article. ``sentences`` are (index, text); ``mentions_of`` and ``roles_of``
    give each sentence's mentions and speaker-less roles (``entities.sentence_mentions``);
    ``role_owner`` maps roles to people (``role_owners`` over the whole story); ``story_people``: the
    names the story types as people, whom a later pronoun can stand for."""
    quotes: list[Quote] = []
    context = _Context(dict(role_owner or {}))
    for index, text in sentences:
        mentions, roles = mentions_of(index), roles_of(index)
        for m in mentions:
            if m.type == "PER" and m.role:
                context.role_owner.setdefault(_role_words(m.role), m.text)
        found = None  # ((speaker, resolved, person), said, direct)
        according = _ACCORDING.match(text)
        if according and _NOT_A_SOURCE.match(according.group("who")):
            according = None
        if not according or any(v.start() >= according.start("rest") for v in _speech_verbs(text, len(text))):
            colon = _COLON_QUOTE.search(text)
            verbs = _speech_verbs(text, colon.start() + 1 if colon else len(text))
            candidates = []
            for verb in (reversed(verbs) if colon else verbs):
                word = verb.group(1).lower()
                said, direct = _quote_of(text, verb.start(), verb.end())
                if not said or (word in _DENIALS and not direct):
                    continue
                if word == "dẫn lời":
                    after = _people(text, mentions, verb.end(), verb.end() + 80)
                    if after:
                        candidates.append(((after[0].text, True, True), said, direct))
                    continue
                start = _clause_start(text, verb.start())
                if re.search(r"\bdẫn\s*$", text[start:verb.start()]):  # "Reuters dẫn thông báo của Bộ Quốc phòng ..."
                    after = _in(mentions, verb.end(), verb.end() + 60, ("PER", "ORG"))
                    if after:
                        candidates.append(((after[0].text, True, after[0].type == "PER"), said, direct))
                    continue
                speaker = _resolve(text, start, verb.start(), mentions, roles, context, start)
                if speaker is not None:
                    candidates.append((speaker, said, direct))
            if colon and not any(c[0][2] for c in candidates):
                start = _clause_start(text, colon.start())
                names = _in(mentions, start, colon.start(), ("PER",))
                if names and names[0].start - start < 25:  # "Carletto tỏ ra khá hài hước: “...”"
                    candidates.insert(0, ((names[0].text, True, True), *_quote_of(text, colon.start(), colon.end())))
            people = [c for c in candidates if c[0][2]]
            found = (people or [c for c in candidates if c[0][1]] or candidates or [None])[0]
        # "Theo AFP, ngày 31/5, Triều Tiên cảnh báo ...": the speaker of the clause, not the outlet,
        # when the clause names one; else what follows "Theo X," is X's
        source = _resolve(text, according.start("who"), according.end("who"), mentions, roles, context, 0) \
            if according else None
        # ... and the whole claim, when the verb inside it is the source's own ("Theo ông Chính, năm
        # nay, điểm thi ... cao nên dự đoán điểm chuẩn sẽ tăng")
        if according and (not (found is not None and found[0][1] and found[1])
                          or source is not None and found[0][0] == source[0] and not found[2]):
            speaker = source
            rest = according.group("rest").rstrip(".")
            while _ROLE_START.match(rest):  # "Theo ông X, Vụ trưởng, Trưởng ban Quản lý ..., <claim>"
                apposition = _OUTSIDE_BRACKETS_COMMA.search(rest)
                if not apposition or apposition.end() >= len(rest) - 10:
                    break
                rest = rest[apposition.end():].lstrip()
            found = (speaker, rest, False) if speaker is not None else None
        context.last_unresolved = False
        if found is not None:
            (speaker, resolved, person), said, direct = found
            if said and (resolved or direct):
                quotes.append(Quote(speaker, resolved, said, direct, "", index, text))
                context.last_unresolved = not resolved
                if resolved and (person or speaker in story_people):
                    context.last_speaker = speaker
        named = [m.text for m in mentions if m.type == "PER" or m.text in story_people]
        context.previous_people = named
        if named:
            context.last_person = named[-1]
    return quotes

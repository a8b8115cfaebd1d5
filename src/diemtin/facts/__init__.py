"""Story -> Facts: who, where, when, who said what, and what each outlet adds.

Every fact points back to the article and sentence it comes from (the same sentence numbers
as summary citations: ``text.sentences.article_sentences``).

>>> from diemtin.ingest import read_sources
>>> facts = extract_facts(read_sources(["examples/seeds"]).articles)
>>> facts["quotes"][0]["speaker"]
'Mark Rutte'
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from diemtin.times import parse_time
from diemtin.facts.compare import Sourced, differing_numbers, exclusive_sentences
from diemtin.facts.entities import Entity, ambiguous_short_names, merge_mentions, sentence_mentions, shown_name
from diemtin.facts.lexicon import PLACES
from diemtin.facts.quotes import find_quotes, role_owners
from diemtin.facts.timeline import find_dates
from diemtin.text.sentences import first_sentences
from diemtin.types import Article, Facts

MAX_ENTITIES = 30  # the most mentioned; a long story names hundreds
# The version of the rules. Bump it with any change to what is extracted: a store holding facts
# of another version extracts them again (``store.update.refresh_facts``, in the background for
# the web app), so readers of an existing store get the better facts too. 2: issue 21's rules;
# 3: confidence on every item, only items at CONFIDENCE_BAR or above kept, the names gazetteer;
# 4: clubs, players and horoscope signs in the gazetteer; speakers judged by their sentence;
# 5: the entity and quote classes of the second dev draw (streets, bracketed abbreviations, bodies
# in titles, names cut short, works, one entry per spelling of a body; glued or passive speakers,
# openers and sources inside a quote, terms quoted inside a statement); 6: an entity's confidence
# is the precision measured for its kind on the dev halves (``facts.measured``), a name the
# gazetteer knows joins its longer form of its type ("Leicester" of "Leicester City"), and the classes
# of the third dev draw; 7: its quote classes (a direction carried out by others, an addressee, a
# name inside the quotation, the place of a body, an activity) and a photo credit glued to a name;
# 8: numbers outlets give differently are quantities aligned by the words around them
# (``facts.compare``), each with the confidence measured for its kind; 9: a body in brackets after
# a speaker's phrase is the body it belongs to, not the speaker, and a reported statement ends at
# an ellipsis before a capital (the next sentence, another speaker's); "viết bài" is an occupation;
# a document that names no one ("thông tin gửi báo chí nêu rõ") is no speaker; a kin word before a
# speaker's name ("Anh Sơn") is how the story addresses them. 10: one entry per Vietnamese ministry
# however it is written, other countries' ministries and parliaments apart ("Bộ Quốc phòng Nga");
# a body cut at its lowercase words named as the story writes it in full; a company named after
# its trade in lowercase words is a body; "thông báo từ <body>" is the body's statement; the age of
# a person named in full is compared across two outlets' sentences however else they are worded; a
# one-word name two people of the story share ("Kim") is not listed. 11: a title after a name and
# a comma is that person's apposition; a speech verb whose object is a noun phrase or a purpose
# says nothing quoted; "Theo X, <title>, <claim>" quotes the claim; two people together are no one
# speaker; a pronoun can stand for a person the story names whatever one sentence tagged them; a
# province's body with and without "tỉnh" is one entry; roads, wind directions, the years of the
# sixty-year cycle and dynasties are no one; title abbreviations and ampersands the segmenter split
# or glued ("PGS.TS Lương Hồng Quang", "Sở LĐ-TB&XH").
RULES_VERSION = 11
# Facts below this confidence are not shown anywhere (web page, Markdown, JSON): a wrong fact
# costs a reader's trust more than a missing one. Chosen on the facts check set's dev half.
CONFIDENCE_BAR = 0.6
_CREDIT_AFTER = re.compile(r"\s*/")
_CREDIT_BEFORE = re.compile(r"(?:Ảnh|Nguồn|Video|Clip)\s*:\s*$|\b(?:khoa|phòng|ban|tổ|đội)\s+$")  # and "khoa Tai Mũi Họng"


def article_mentions(article: Article, known: dict[str, tuple[str, str, str]] | None = None) -> tuple[list, dict]:
    """An article's sentences (the first ones, bounded as the summary reads them) and, by sentence
    index, the names and roles each mentions (``sentence_mentions``); all the tagging a story's
    facts do for this article. ``known``: names typed by earlier articles of the story."""
    known = {} if known is None else known
    sentences, _ = first_sentences(article)
    return sentences, {s.index: sentence_mentions(s.text, article.id, s.index, known=known) for s in sentences}


def read_story(articles: Sequence[Article]) -> tuple[list, list]:
    """Each article with its sentences and their names and roles (``article_mentions``), and every
    name the story mentions, bylines typed as their authors and photo credits left out."""
    all_mentions, per_article = [], []
    known: dict[str, tuple[str, str, str]] = {}  # names typed so far in the story, so the NER runs once per name
    for article in articles:
        sentences, found = article_mentions(article, known)
        for s in sentences[-BYLINE_SENTENCES:]:
            _byline_is_person(s.text, found[s.index][0])
        for s in sentences:  # a photo credit is no one in the story: "Ảnh: Thống Nhất/TTXVN"
            all_mentions.extend(m for m in found[s.index][0] if not _CREDIT_AFTER.match(s.text, m.end)
                                and not _CREDIT_BEFORE.search(s.text, 0, m.start))
        per_article.append((article, sentences, found))
    return per_article, all_mentions


def named_entities(per_article: list, all_mentions: list) -> list[Entity]:
    """The story's entities (``read_story``'s output), merged and well formed, before any confidence bar."""
    lowercase_words = Counter(w for _, sentences, _ in per_article for s in sentences
                              for w in re.findall(r"\w+", s.text) if w.islower())
    return [e for e in merge_mentions(all_mentions) if shown_name(e, lowercase_words)]


def extract_facts(articles: Sequence[Article]) -> Facts:
    """The facts of a story as plain data (stored as JSON, shown by every output)."""
    outlet_of = {a.id: a.source for a in articles}
    quotes, dates, sourced = [], [], []
    per_article, all_mentions = read_story(articles)
    owners = role_owners(all_mentions)
    named = named_entities(per_article, all_mentions)
    # whom a pronoun can stand for: the story's people, whatever one sentence's NER tagged them
    # ("Tổng thống Nga, Vladimir Putin cảnh báo ... Ông nói ...", where Putin was tagged a place)
    story_people = {alias for e in named if e.type == "PER" for alias in e.aliases}
    for article, sentences, found in per_article:
        for quote in find_quotes([(s.index, s.text) for s in sentences], lambda i, f=found: f[i][0],
                                 lambda i, f=found: f[i][1], owners, story_people):
            quote.article_id = article.id
            quotes.append(quote)
        published = parse_time(article.published)
        for s in sentences:
            dates.extend(find_dates(s.text, published, article.id, s.index))
            sourced.append(Sourced(article.source or article.id, article.id, s.index, s.text))
    unsure = ambiguous_short_names(named)  # "Kim" of a story with two Kims
    entities = [e for e in named if e.confidence >= CONFIDENCE_BAR and e.name not in unsure]
    canonical = {alias: e.name for e in entities if e.type == "PER" for alias in e.aliases}
    # a body speaks by the full name the story lists, not the one a sentence cut at its lowercase
    # words ("Trung tâm Dự báo khí tượng thủy văn Trung ương cho biết")
    full_names = {alias: e.name for e in entities if e.type == "ORG" for alias in e.aliases
                  if e.name.startswith(alias + " ")}
    # what the story names, shown or not, for judging speakers ("Meredith Sumpter, Giám đốc ...")
    places = {alias for e in named if e.type == "LOC" for alias in e.aliases}
    people = {alias for alias in story_people if " " in alias}
    bodies = {alias for e in named if e.type == "ORG" for alias in e.aliases if " " in alias}
    trusted = {alias for e in entities if e.type == "PER" for alias in e.aliases}
    quote_dicts = []
    for q in quotes:
        confidence = q.confidence(places, people, bodies, trusted)  # of the speaker as the sentence writes it, before it is merged
        if confidence < CONFIDENCE_BAR:
            continue
        if q.resolved:
            q.speaker = canonical.get(q.speaker) or _unglued(q.speaker, canonical, places | bodies) or \
                full_names.get(q.speaker) or q.speaker
        quote_dicts.append(q.to_dict() | {"confidence": confidence})
    known = [d for d in dates if d.year_known and d.date]
    unknown = sorted((d for d in dates if not (d.year_known and d.date)), key=lambda d: d.date or "~")
    timeline = sorted(known, key=lambda d: (d.date, d.article_id, d.sentence_index)) + unknown
    return {
        "rules": RULES_VERSION,
        "publication_time_known": any(parse_time(a.published) for a in articles),
        "entities": [e.to_dict(outlet_of) for e in entities[:MAX_ENTITIES]],
        "quotes": quote_dicts,
        "timeline": [d.to_dict() for d in timeline if d.confidence >= CONFIDENCE_BAR],
        "exclusive": exclusive_sentences(sourced),
        "differences": [d for d in differing_numbers(sourced) if d["confidence"] >= CONFIDENCE_BAR],
    }


def _unglued(speaker: str, canonical: dict[str, str], bodies: set[str]) -> str | None:
    """The listed person a speaker names after a body or place of the story glued before the name
    ("phát ngôn viên Lầu Năm Góc Jeff Davis"), as the entity rules cut it off the mention."""
    for alias, name in canonical.items():
        glued = speaker[:-len(alias)].strip()
        if " " in alias and speaker.endswith(" " + alias) and (glued in bodies or glued.lower() in PLACES):
            return name
    return None


BYLINE_SENTENCES = 3  # where an article signs off
_BYLINE_TAIL = re.compile(r"(?:\s*(?:\((?:t/h|th|tổng hợp|ghi|thực hiện|lược dịch|dịch|theo [^)]*)\)|Theo\s.*|[-–]\s.*))*\s*$",
                          re.IGNORECASE)


def _byline_is_person(text: str, mentions: list) -> None:
    """A sentence that is only a name near an article's end is its author's byline ("Hòa Bình",
    "An Bình (t/h) Theo Đời sống Plus"): a person, whatever place the name also is. Initials
    there ("VN (ghi)", "VN") are an author no reader can name: no entity."""
    name = _BYLINE_TAIL.sub("", text.strip(), count=1).strip()
    for m in mentions:
        if m.text == name and " " in name:
            m.type, m.evidence, m.rule = "PER", "byline", "byline"
        elif m.text == name and name.isupper() and len(name) <= 3:
            m.evidence = "common"


def empty_facts() -> Facts:
    """No facts, as these rules give them: for a story whose extraction failed."""
    return {"rules": RULES_VERSION, "publication_time_known": False, "entities": [], "quotes": [], "timeline": [],
            "exclusive": [], "differences": []}


__all__ = ["RULES_VERSION", "article_mentions", "empty_facts", "extract_facts", "named_entities", "read_story"]

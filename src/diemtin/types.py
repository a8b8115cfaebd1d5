"""The records that flow through diemtin: Article -> Sentence -> Cluster -> Story -> Summary, Facts, Digest.

Every summary sentence keeps a pointer (article id, sentence index) to the article
sentence it was copied from, so a reader can always check the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from typing_extensions import NotRequired, TypedDict


# One article holds at most this many characters of title, lead and text. News articles are
# far shorter (the 35k corpus's longest is 50 kB, the dev files' 22 kB); a longer text is a dump,
# a whole site or the wrong file, and every reader skips it with a message (errors.TOO_LARGE).
MAX_ARTICLE_CHARS = 1_000_000
# An outlet's section name is a few words; a longer one is cut (it is kept, never trusted as text).
MAX_SECTION_CHARS = 128


def article_size(*parts: str) -> int:
    return sum(len(p) for p in parts if isinstance(p, str))


@dataclass(slots=True)
class Article:
    """One news article as read from a source, before cleaning.

    ``text`` holds the body with paragraphs separated by ``\\n``; ``sapo`` is the
    lead paragraph that Vietnamese outlets print in bold under the title.
    """

    id: str
    title: str
    text: str
    sapo: str = ""
    source: str = ""
    published: str | None = None
    url: str = ""
    image: str = ""  # the lead image's URL (http or https) when the source names one
    section: str = ""  # the outlet's own section for it ("Thể thao", "Kinh doanh"), when the source says


@dataclass(slots=True)
class Sentence:
    """A sentence of a cleaned article, numbered in reading order (sapo first)."""

    article_id: str
    index: int
    text: str
    paragraph: int
    in_sapo: bool = False


@dataclass(slots=True)
class Cluster:
    """Articles about one event. ``references`` are human summaries, used only by evaluation."""

    id: str
    articles: list[Article]
    references: list[str] = field(default_factory=list)


@dataclass(slots=True)
class SummarySentence:
    article_id: str
    sentence_index: int
    text: str

    def to_dict(self) -> dict:
        return {"article_id": self.article_id, "sentence_index": self.sentence_index, "text": self.text}


@dataclass(slots=True)
class Summary:
    """An extractive summary: sentences copied verbatim from the articles, in reading order."""

    cluster_id: str
    sentences: list[SummarySentence]
    articles: list[Article]
    length: int = 0  # the syllable budget it was made for
    facts: dict | None = None  # diemtin.facts.extract_facts, when asked for
    notes: list[str] = field(default_factory=list)  # what was left unread, and why

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.sentences)

    def to_dict(self) -> dict:
        return {
            "id": self.cluster_id,
            "summary": self.text,
            "length": self.length,
            "sentences": [s.to_dict() for s in self.sentences],
            "articles": [
                {"id": a.id, "title": a.title, "source": a.source, "url": a.url, "published": a.published}
                for a in self.articles
            ],
        }


@dataclass(slots=True)
class Problem:
    """A file or line that could not be used, with what the user can do about it.

    Readers yield these instead of raising, so one bad file never stops a batch.
    """

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass(slots=True)
class DuplicateGroup:
    """Articles that carry the same text (exactly, or with small edits), kept with every outlet."""

    article_ids: list[str]
    exact: bool  # True: same normalised text; False: near-duplicates by MinHash


@dataclass(slots=True)
class Story:
    """Articles that report one event; each duplicate group is listed once."""

    id: str
    article_ids: list[str]
    duplicate_groups: list[list[str]]
    title: str
    keywords: list[str]
    first_published: str | None = None
    last_published: str | None = None
    summary: Summary | None = None

    def heads(self) -> dict[str, str]:
        """Each article's duplicate-group head: the group's first article; one without copies heads itself."""
        head = {article_id: article_id for article_id in self.article_ids}
        for group in self.duplicate_groups:
            for article_id in group:
                head[article_id] = group[0]
        return head

    @property
    def texts(self) -> int:
        """Distinct texts: one per duplicate group (copies of one text count once)."""
        return len(self.article_ids) - sum(len(group) - 1 for group in self.duplicate_groups)

    def to_dict(self) -> dict:
        data = {
            "id": self.id,
            "title": self.title,
            "keywords": self.keywords,
            "article_ids": self.article_ids,
            "duplicate_groups": self.duplicate_groups,
            "first_published": self.first_published,
            "last_published": self.last_published,
        }
        if self.summary is not None:
            data["summary"] = self.summary.to_dict()
        return data


# ---- Plain data: what the store holds as JSON and every output shows ------------------------
# Facts, story records and digests travel as JSON-ready dicts (the store keeps them as JSON,
# the API returns them). These TypedDicts are their one definition: the code that builds them is
# typed by them, and the API declares them as its response models, so the OpenAPI schema says
# exactly what a response carries and the schema fuzz test checks every response against it.
# (typing_extensions' TypedDict: pydantic reads only that one on Python 3.11.)


class SentenceRef(TypedDict):
    article_id: str
    sentence_index: int


class EntityFact(TypedDict):
    name: str
    type: str  # PER, LOC or ORG
    aliases: list[str]
    roles: list[str]
    mentions: int
    articles: int
    outlets: int
    first: SentenceRef
    # how far to trust it (0-1; only facts at facts.CONFIDENCE_BAR or above are kept) and the
    # sentences that name it. Not in facts of rules before version 3 (re-extracted in the background)
    confidence: NotRequired[float]
    evidence: NotRequired[list[SentenceRef]]
    basis: NotRequired[str]  # what typed it, the unit its confidence is measured by (``Entity.basis``)


class QuoteFact(TypedDict):
    speaker: str  # the merged entity's name, or the speaker phrase when no entity fits
    resolved: bool  # the speaker is a named entity
    quote: str
    direct: bool  # in quote marks, or reported speech
    article_id: str
    sentence_index: int
    sentence: str
    confidence: NotRequired[float]


class DateFact(TypedDict):
    text: str
    date: str | None  # ISO date, "2024-10" or "2024" by granularity; "--10-03" when the year is unknown
    granularity: str
    year_known: bool
    article_id: str
    sentence_index: int
    sentence: str
    confidence: NotRequired[float]


class OutletSentence(TypedDict):
    outlet: str
    article_id: str
    sentence_index: int
    sentence: str


class NumberValue(OutletSentence):
    value: str  # as the outlet wrote it


class NumberDifference(TypedDict):
    what: str
    values: list[NumberValue]
    confidence: NotRequired[float]


class Facts(TypedDict):
    rules: int  # the version of the rules that extracted them (facts.RULES_VERSION)
    publication_time_known: bool
    entities: list[EntityFact]
    quotes: list[QuoteFact]
    timeline: list[DateFact]
    exclusive: list[OutletSentence]
    differences: list[NumberDifference]


class StoryBrief(TypedDict):
    id: str
    title: str
    keywords: list[str]
    articles: int  # how many
    outlets: int
    first_published: str | None
    last_published: str | None
    section: str | None  # diemtin.sections; None until classified


class ArticleLink(TypedDict):
    id: str
    title: str
    source: str
    url: str | None  # http(s) only


class StoryArticle(ArticleLink):
    published: str | None  # as the source gave it
    published_at: str | None  # read as UTC, ISO
    opening: str  # the first characters of its lead or text (``render.article_label``)
    image: str | None
    duplicate_of: str | None  # the head of its duplicate group, None for the head itself


class SummarySentenceRecord(SentenceRef):
    text: str


class StoredSummary(TypedDict):
    length: int
    sentences: list[SummarySentenceRecord]


class StoryRecord(StoryBrief):
    """A stored story: its brief, its articles in publication order, summary and facts."""

    members: list[StoryArticle]  # ``articles`` is how many
    duplicate_groups: list[list[str]]
    summary: StoredSummary | None
    summary_stale: bool  # the opening of its first article for now; the learned summary follows
    facts: Facts | None


class ArticleRecord(ArticleLink):
    sapo: str
    text: str
    published: str | None
    published_at: str | None  # UTC, ISO
    opening: str
    story_id: str | None
    duplicate_of: str | None
    ingested_at: str


class FoundArticle(ArticleLink):
    published: str | None
    published_at: str | None
    opening: str
    story_id: str | None


class SearchResult(TypedDict):
    query: str
    fold: bool
    articles: list[FoundArticle]
    stories: list[StoryBrief]


class CitedSentence(TypedDict):
    article_id: str
    sentence_index: int
    text: str
    citation: int  # [1], [2], ...: the article's number among the sources


class CitedSource(ArticleLink):
    citation: int
    label: str  # the title, or the opening words of an untitled article (``render.article_label``)
    published: NotRequired[str | None]
    published_at: NotRequired[str | None]
    opening: NotRequired[str]
    duplicate_of: NotRequired[str | None]


class StoryLink(ArticleLink):
    label: str
    published_at: str | None  # UTC, ISO
    duplicate_of: str | None
    citation: int  # its number on the story's page: the summary's sources first, then the others


class SeriesNeighbours(TypedDict):
    """The reports of a story's series ("Giá vàng hôm nay 3/7", "... 4/7") around it, nearest first."""

    earlier: list[StoryBrief]
    later: list[StoryBrief]


class DigestEntry(TypedDict):
    position: int
    id: str
    title: str
    score: float
    articles: int
    outlets: list[str]  # the names known
    outlets_unnamed: int  # outlets of articles that name none: each counts as one
    section: str | None
    image: str | None  # an https URL of the lead image of its earliest article that has one
    keywords: list[str]
    first_published: str | None
    last_published: str | None
    summary: list[CitedSentence]
    summary_provisional: bool
    sources: list[CitedSource]
    links: list[StoryLink]
    facts: Facts | None
    related: NotRequired[list[StoryBrief]]  # on a story's own page and API answer only
    series: NotRequired[SeriesNeighbours]  # likewise


class Digest(TypedDict):
    generated_at: str
    since: str | None
    order: str  # config.DIGEST_ORDERS
    offset: int  # stories skipped before the first one here
    section: str | None  # only this section's stories, when given
    stories_in_window: int
    latest_story_time: str | None
    stories: list[DigestEntry]

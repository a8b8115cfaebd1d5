"""The records that flow through diemtin: Article -> Sentence -> Cluster -> Summary.

Every summary sentence keeps a pointer (article id, sentence index) to the article
sentence it was copied from, so a reader can always check the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field


# One article holds at most this many characters of title, lead and text. News articles are
# far shorter (the 35k corpus's longest is 50 kB, the dev files' 22 kB); a longer text is a dump,
# a whole site or the wrong file, and every reader skips it with a message (errors.TOO_LARGE).
MAX_ARTICLE_CHARS = 1_000_000


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

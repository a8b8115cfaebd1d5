"""Article -> its numbered sentences: the numbering every citation and every fact points to.

A summary sentence or a fact says (article id, sentence index); the index is the position in
``article_sentences(article)``, sapo first, then the body, paragraph by paragraph.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from diemtin.text.segment import split_sentences
from diemtin.types import Article, Sentence

# The summariser and the facts read at most this many sentences of an article. News articles
# have far fewer (the dev files' longest has 146; half have 11 to 19); a longer text is a dump
# or a whole site, and reading all of a 10 MB one took gigabytes and minutes. The cut is
# reported as a note, never silent.
READ_SENTENCES = 200


def iter_article_sentences(article: Article, join_quotes: bool = True) -> Iterator[Sentence]:
    """``article_sentences``, one at a time: a reader that stops early splits no further."""
    index = 0
    paragraph = 0
    for in_sapo, block in ((True, article.sapo), (False, article.text)):
        for para in block.split("\n"):
            for text in split_sentences(para, join_quotes):
                yield Sentence(article.id, index, text, paragraph, in_sapo)
                index += 1
            paragraph += 1


def article_sentences(article: Article, join_quotes: bool = True) -> list[Sentence]:
    """All sentences of an article in reading order, sapo first; ``index`` is what citations use.

    >>> a = Article("a1", "Tiêu đề", "Ông Rutte đến Kiev. Ông gặp ông Zelensky.", sapo="Tin nóng.")
    >>> [(s.index, s.text, s.in_sapo) for s in article_sentences(a)]
    [(0, 'Tin nóng.', True), (1, 'Ông Rutte đến Kiev.', False), (2, 'Ông gặp ông Zelensky.', False)]
    """
    return list(iter_article_sentences(article, join_quotes))


# What ends a sentence, and the quotes and brackets that may close after it.
SENTENCE_FINAL = ".!?…"
CLOSING_MARKS = "\"'”’»)]"


def ends_like_sentence(text: str) -> bool:
    """Whether a text ends as a sentence does: a full stop, question or exclamation mark or an
    ellipsis, before any closing quotes and brackets. Subheadings, captions and cut-off lines
    do not ("Máy bay bị đặt bom", "Ảnh: Reuters").

    >>> [ends_like_sentence(t) for t in ('Ông nói: "Chúng tôi sẽ đến."', "Vì sao giá tăng?", "Máy bay bị đặt bom",
    ...                                    "Các nước gồm:")]
    [True, True, False, False]
    """
    stripped = text.rstrip().rstrip(CLOSING_MARKS).rstrip()
    return bool(stripped) and stripped[-1] in SENTENCE_FINAL


def first_sentences(article: Article, limit: int = READ_SENTENCES,
                    join_quotes: bool = True) -> tuple[list[Sentence], bool]:
    """The article's first ``limit`` sentences, and whether it has more."""
    sentences = list(islice(iter_article_sentences(article, join_quotes), limit + 1))
    return sentences[:limit], len(sentences) > limit


def cut_note(article: Article, limit: int = READ_SENTENCES) -> str:
    return (f"article {article.id} has more than {limit} sentences, more than a news article: "
            f"only its first {limit} were read")

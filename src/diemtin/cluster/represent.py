"""Article -> a TF-IDF vector of its title, lead and body, with names weighted up.

Words come from underthesea's segmentation of the title (counted twice: editors put the
event in it), the sapo and the first ``LEAD_CHARS`` characters of the body, where Vietnamese
news states who, what and where. Names (words whose syllables are all capitalised, such as
"Mark_Rutte", "NATO", "Hà_Nội") are added ``ENTITY_WEIGHT`` more times as entity terms: two
stories on one topic (two drug raids, two U19 matches) differ mostly in their names.

The whole body adds its syllables as body terms (``BODY_PREFIX``), unsegmented: segmenting
it would cost about six times the segmentation above, and syllables already carry the
figures, places and names that set one event apart from another of the same topic (the
2016 exams from the 2017 exams). They lifted pooled B-cubed F1 from 97.25 to 97.98 on
vims-dev and from 88.71 to 94.13 with vims-dev planted among the 35k baomoi articles
(docs/BENCHMARKS.md). They take no part in keywords.

Vectors are hashed (no vocabulary to keep), so the same article gets the same columns in a
batch run, in a later incremental run, and on any worker. Document frequencies are counted
as articles arrive and kept in the story state.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from diemtin.text.segment import segment_words, split_sentences
from diemtin.types import Article

LEAD_CHARS = 600
TITLE_REPEAT = 2
N_FEATURES = 2**20
ENTITY_PREFIX = "@"
# Measured on pooled vims-dev / abmusu-train at threshold 0.2 (B-cubed F1): 1 copy 96.72 /
# 89.98, 3 copies 97.10 / 88.96 (docs/BENCHMARKS.md).
ENTITY_WEIGHT = 2
BODY_PREFIX = "~"
SYLLABLE = re.compile(r"\w+")
# What the terms are made of; a story state records it, so a state built from other terms
# is refused rather than mixed with these (``cluster.stories.load_state``).
REPRESENTATION = 2


def is_name(word: str, sentence_initial: bool) -> bool:
    """A word is a name when every syllable is capitalised ("Mark_Rutte", "Hà_Nội", "NATO").

    At the start of a sentence any word is capitalised, so there only names of two or more
    syllables or acronyms count ("Ông" and "Hôm" do not).

    >>> is_name("Mark_Rutte", False), is_name("Ông", True), is_name("NATO", True), is_name("Tổng_thống", True)
    (True, False, True, False)
    """
    syllables_ = word.split("_")
    if not all(s[:1].isupper() for s in syllables_):
        return False
    return not sentence_initial or len(syllables_) > 1 or (len(word) > 1 and word.isupper())


def article_terms(article: Article, memo: dict[str, list[str]] | None = None) -> list[str]:
    """The terms that represent an article for clustering (``memo``: see ``segment_words``).

    >>> article_terms(Article("a", "Ông Rutte đến Kiev", "Tổng thư ký NATO gặp Tổng thống Zelensky."))[:6]
    ['ông', 'rutte', '@rutte', '@rutte', 'đến', 'kiev']
    """
    terms: list[str] = []
    lead = " ".join(x for x in (article.sapo, article.text[:LEAD_CHARS]) if x)
    for text, repeat in ((article.title, TITLE_REPEAT), (lead, 1)):
        if not text:
            continue
        words = []
        for sentence in split_sentences(text, join_quotes=False):
            for position, word in enumerate(segment_words(sentence, lowercase=False, memo=memo)):
                words.append(word.lower())
                if is_name(word, sentence_initial=position == 0):
                    words.extend([ENTITY_PREFIX + word.lower()] * ENTITY_WEIGHT)
        terms.extend(words * repeat)
    terms.extend(BODY_PREFIX + s for s in SYLLABLE.findall(article.text.lower()))
    return terms


def keyword_terms(terms: list[str]) -> list[str]:
    """The title, lead and name terms of ``article_terms``: the body syllables left out."""
    return [t for t in terms if not t.startswith(BODY_PREFIX)]


def hash_terms(term_lists: list[list[str]]) -> sparse.csr_matrix:
    from sklearn.feature_extraction.text import HashingVectorizer  # noqa: PLC0415

    hasher = HashingVectorizer(analyzer=_identity, n_features=N_FEATURES, alternate_sign=False, norm=None)
    return hasher.transform(term_lists).tocsr()


def _identity(terms):
    return terms


BACKGROUND = Path(__file__).parent / "data" / "frequencies.npz"


@dataclass(slots=True)
class DocumentFrequencies:
    """How many articles contain each hashed term: a background news corpus plus all seen so far."""

    counts: np.ndarray  # int32, one per hashed column
    documents: int = 0

    @classmethod
    def empty(cls) -> DocumentFrequencies:
        return cls(np.zeros(N_FEATURES, dtype=np.int32), 0)

    @classmethod
    def new(cls, background: Path = BACKGROUND) -> DocumentFrequencies:
        """Start from the shipped background counts (see ``tools/build_frequencies.py``), if present."""
        frequencies = cls.empty()
        if background.exists():
            with np.load(background) as data:
                frequencies.counts[data["columns"]] = data["counts"]
                frequencies.documents = int(data["documents"][0])
        return frequencies

    def add(self, counts: sparse.csr_matrix) -> None:
        self.counts += np.bincount(counts.indices, minlength=N_FEATURES).astype(np.int32)
        self.documents += counts.shape[0]

    def idf(self) -> np.ndarray:
        return np.log((1.0 + self.documents) / (1.0 + self.counts)) + 1.0


def vectorize(term_lists: list[list[str]], frequencies: DocumentFrequencies) -> sparse.csr_matrix:
    """Count terms, add them to ``frequencies``, and return l2-normalised sublinear TF-IDF rows."""
    from sklearn.preprocessing import normalize  # noqa: PLC0415

    counts = hash_terms(term_lists)
    frequencies.add(counts)
    tf = counts.astype(np.float64)
    tf.data = 1.0 + np.log(tf.data)
    return normalize(tf @ sparse.diags(frequencies.idf()), norm="l2").tocsr()


def term_columns(terms) -> dict[str, int]:
    """Each term's hashed column, as ``vectorize`` places it (one call for a whole batch)."""
    unique = sorted(terms)
    return dict(zip(unique, hash_terms([[t] for t in unique]).indices)) if unique else {}


def term_weights(terms: list[str], idf: np.ndarray, columns: dict[str, int] | None = None) -> dict[str, float]:
    """TF-IDF weight of each distinct term (for keywords), hashed the same way as ``vectorize``.

    ``columns``: ``term_columns`` of a set holding these terms, computed once for many articles.
    """
    counts = Counter(terms)
    columns = columns if columns is not None else term_columns(counts)
    # Python floats, not NumPy scalars: the story state holds millions and pickles 5x faster
    return {t: float((1.0 + np.log(counts[t])) * idf[columns[t]]) for t in sorted(counts)}

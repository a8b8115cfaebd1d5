"""Article -> candidate sentences with syllables and segmented words, ready for scoring.

This is the costly step of summarising (underthesea's word segmentation), so it runs
once per cluster, and ``prepare_clusters`` spreads clusters over worker processes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat

from diemtin.text.normalize import syllables
from diemtin.text.segment import segment_words, split_sentences
from diemtin.types import Article, Cluster, Sentence

# Shorter "sentences" are subheadings, datelines and fragments; EVALUATION.md's
# baselines use the same floor, so comparisons are like for like.
MIN_CANDIDATE_SYLLABLES = 5


@dataclass(frozen=True, slots=True)
class CandidateRules:
    """Which text a summariser chooses from."""

    clean_text: bool = True  # drop captions and link rows when reading (ingest.readers)
    use_sapo: bool = True  # the lead paragraph may be quoted in the summary
    segment_words: bool = True  # word segmentation, the slow part, for the learned scorer
    join_quotes: bool = True  # keep a quotation of several sentences as one sentence


# EVALUATION.md's baselines: raw text, body only, underthesea's split as it is, no segmentation.
BASELINE_RULES = CandidateRules(clean_text=False, use_sapo=False, segment_words=False, join_quotes=False)


def article_sentences(article: Article, join_quotes: bool = True) -> list[Sentence]:
    """All sentences of an article in reading order, sapo first; ``index`` is what citations use.

    >>> a = Article("a1", "Tiêu đề", "Ông Rutte đến Kiev. Ông gặp ông Zelensky.", sapo="Tin nóng.")
    >>> [(s.index, s.text, s.in_sapo) for s in article_sentences(a)]
    [(0, 'Tin nóng.', True), (1, 'Ông Rutte đến Kiev.', False), (2, 'Ông gặp ông Zelensky.', False)]
    """
    sentences: list[Sentence] = []
    paragraph = 0
    for in_sapo, block in ((True, article.sapo), (False, article.text)):
        for para in block.split("\n"):
            for text in split_sentences(para, join_quotes):
                sentences.append(Sentence(article.id, len(sentences), text, paragraph, in_sapo))
            paragraph += 1
    return sentences


@dataclass(slots=True)
class Candidate:
    """A sentence that may go into a summary, with what the scorer needs to know about it."""

    sentence: Sentence
    article_index: int  # which article of the cluster
    position: int  # rank among its article's candidates (0 = lead)
    article_size: int  # how many candidates its article has
    syllables: list[str]
    words: list[str]


@dataclass(slots=True)
class PreparedCluster:
    cluster: Cluster
    candidates: list[Candidate]
    title_words: list[list[str]]  # one list per article, [] when it has no title


def prepare_cluster(
    cluster: Cluster, rules: CandidateRules = CandidateRules(), segmented: dict[str, list[str]] | None = None,
) -> PreparedCluster:
    """Split, filter (at least 5 syllables, each syllable sequence once) and segment a cluster's sentences.

    ``segmented``: sentences already segmented (``segment_words``'s memo), not segmented again.
    """
    memo = dict(segmented) if segmented else {}  # the caller's mapping is left as it was
    seen: set[tuple[str, ...]] = set()  # by syllables: outlets copy sentences with other casing
    candidates: list[Candidate] = []
    for article_index, article in enumerate(cluster.articles):
        own: list[Candidate] = []
        for sentence in article_sentences(article, rules.join_quotes):
            if sentence.in_sapo and not rules.use_sapo:
                continue
            sylls = syllables(sentence.text)
            key = tuple(sylls)
            if len(sylls) < MIN_CANDIDATE_SYLLABLES or key in seen:
                continue
            seen.add(key)
            words = segment_words(sentence.text, memo=memo) if rules.segment_words else []
            own.append(Candidate(sentence, article_index, len(own), 0, sylls, words))
        for candidate in own:
            candidate.article_size = len(own)
        candidates.extend(own)
    titles = [segment_words(a.title, memo=memo) if (rules.segment_words and a.title) else [] for a in cluster.articles]
    return PreparedCluster(cluster, candidates, titles)


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def _one_thread_per_worker() -> None:
    # Each worker is one core's worth of work; letting scikit-learn's OpenMP start a thread
    # per core in every worker doubled the run time on 2 cores (docs/BENCHMARKS.md).
    from threadpoolctl import threadpool_limits  # noqa: PLC0415

    threadpool_limits(1)


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """Processes for per-cluster work, each using one thread."""
    return ProcessPoolExecutor(max_workers=jobs, initializer=_one_thread_per_worker)


def prepare_clusters(
    clusters: Iterable[Cluster], jobs: int | None = None, rules: CandidateRules = CandidateRules()
) -> Iterator[PreparedCluster]:
    """Prepare clusters in order, in ``jobs`` worker processes (1 = in this process)."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1:
        for cluster in clusters:
            yield prepare_cluster(cluster, rules)
        return
    with worker_pool(jobs) as pool:
        yield from pool.map(prepare_cluster, clusters, repeat(rules), chunksize=4)

"""Story -> Summary: extractive multi-document summaries whose sentences cite their source.

>>> from diemtin.ingest import read_sources
>>> articles = read_sources(["examples/seeds"]).articles
>>> summary = summarize(articles, length=60)
>>> [s.article_id in {a.id for a in articles} and s.sentence_index >= 0 for s in summary.sentences]
[True]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice, repeat

from diemtin import errors
from diemtin.config import DEFAULT_LENGTH
from diemtin.errors import DiemtinError
from diemtin.parallel import Engine, LocalEngine
from diemtin.summarizer.prepare import prepare_cluster
from diemtin.summarizer.summarizers import SUMMARIZERS, Summarizer, get_summarizer
from diemtin.text.memory import recalling
from diemtin.types import Article, Cluster, Summary, SummarySentence


def check_length(length: int) -> int:
    if not isinstance(length, int) or isinstance(length, bool) or length <= 0:
        raise DiemtinError(errors.BAD_LENGTH.format(value=length))
    return length


def summarize_cluster(
    cluster: Cluster, length: int = DEFAULT_LENGTH, method: str | Summarizer = "diemtin",
    segmented: dict[str, list[str]] | None = None,
) -> Summary:
    """Summarise one cluster of articles in at most ``length`` syllables (baselines may run over).

    ``segmented``: sentences already word-segmented (as ``prepare_cluster`` takes them).
    """
    return summarize_group([(cluster, segmented)], length, method)[0]


def summarize_group(
    clusters: Sequence[tuple[Cluster, dict[str, list[str]] | None]], length: int = DEFAULT_LENGTH,
    method: str | Summarizer = "diemtin",
) -> list[Summary]:
    """``summarize_cluster`` for each (cluster, segmented) pair; a summariser that can choose
    for several clusters at once (``choose_many``) does so."""
    check_length(length)
    summarizer = get_summarizer(method)
    prepared = [prepare_cluster(cluster, summarizer.rules, segmented) for cluster, segmented in clusters]
    if hasattr(summarizer, "choose_many"):
        chosen = summarizer.choose_many(prepared, length)
    else:
        chosen = [summarizer.choose(p, length) for p in prepared]
    return [
        Summary(
            cluster_id=cluster.id,
            sentences=[SummarySentence(c.sentence.article_id, c.sentence.index, c.sentence.text) for c in sentences],
            articles=cluster.articles,
            length=length,
            notes=p.notes,
        )
        for (cluster, _), p, sentences in zip(clusters, prepared, chosen)
    ]


def summarize(
    articles: Sequence[Article] | Cluster, length: int = DEFAULT_LENGTH, method: str | Summarizer = "diemtin"
) -> Summary:
    """Summarise articles about one event; every summary sentence carries its article and index.

    A single article is summarised on its own; an empty list gives an empty summary.
    """
    cluster = articles if isinstance(articles, Cluster) else Cluster("summary", list(articles))
    return summarize_cluster(cluster, length, method)


# The summariser reads at most this many articles of a story: the first few (how the story
# began) and the latest (where it stands). The dev clusters it was trained on have at most 10,
# and its cost grows faster than the number of articles (133 articles: 18 s; 20 articles: 1-2 s).
SUMMARY_ARTICLES = 20
SUMMARY_FIRST = 5


def summary_inputs(articles: list[Article]) -> list[Article]:
    """The articles a story's summary is made from, in publication order."""
    if len(articles) <= SUMMARY_ARTICLES:
        return articles
    return articles[:SUMMARY_FIRST] + articles[-(SUMMARY_ARTICLES - SUMMARY_FIRST):]


def summarize_clusters(
    clusters: Iterable[Cluster], length: int = DEFAULT_LENGTH, method: str = "diemtin", engine: Engine | None = None,
    segmented: Iterable[dict[str, list[str]] | None] | None = None,
    memories: Iterable[Sequence[bytes | None]] | None = None,
) -> Iterator[Summary]:
    """Summarise many clusters, in order, on ``engine``'s workers (default: this process), a
    group of ``GROUP`` clusters per task (each worker loads the model once).

    ``segmented``: for each cluster, its sentences already word-segmented (or None);
    ``memories``: for each cluster, its articles' memories (``text.memory``) to recall.
    """
    check_length(length)
    get_summarizer(method)  # fail early on a bad name or a missing model, not in a worker
    groups = list(_batched(zip(clusters, repeat(None) if segmented is None else segmented,
                               repeat(()) if memories is None else memories), GROUP))
    engine = engine if engine is not None else LocalEngine(1)
    yield from chain.from_iterable(engine.imap(_summarize_recalling, groups, length, method))


def _summarize_recalling(group: Sequence[tuple[Cluster, dict[str, list[str]] | None, Sequence[bytes | None]]],
                         length: int, method: str) -> list[Summary]:
    with recalling(memory for _, _, memories in group for memory in memories):
        return summarize_group([(cluster, segmented) for cluster, segmented, _ in group], length, method)


# Clusters per task of ``summarize_clusters``: the scorer predicts a group's rows at once.
GROUP = 8


def _batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


__all__ = [
    "DEFAULT_LENGTH", "SUMMARIZERS", "Summarizer", "get_summarizer", "summarize", "summarize_cluster",
    "summarize_clusters", "summarize_group", "summary_inputs",
]

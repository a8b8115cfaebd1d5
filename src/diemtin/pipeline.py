"""Story -> Summary and Facts, wired once: what every runner of the stages calls.

The store's ingest (``store.update``), ``diemtin batch`` (local or Dask, ``batch``) and the CLI
all read a story's articles in publication order (``times.publication_order``), count its
texts as its duplicate groups (``types.Story.texts``; the store counts the same groups in SQL),
and then ask this module for its summary and its facts, so a story gets the same summary and
the same facts whichever way it was made.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from diemtin.config import DEFAULT_LENGTH
from diemtin.parallel import Engine
from diemtin.summarizer import summarize_clusters, summary_inputs
from diemtin.text.memory import encode, recalling, recording
from diemtin.times import parse_time, publication_order
from diemtin.types import Article, Cluster, Facts, Summary

log = logging.getLogger("diemtin.pipeline")


def in_publication_order(articles: Sequence[Article]) -> list[Article]:
    """A story's articles as its summary and facts read them (``times.publication_order``; an
    article of unknown time after the dated ones; ties by id, as the store breaks them)."""
    by_id = sorted(articles, key=lambda a: a.id)
    return [by_id[i] for i in publication_order([parse_time(a.published) for a in by_id])]


def article_memory(article: Article) -> bytes:
    """What underthesea makes of ``article``'s sentences when its story is summarised and its facts
    extracted (``text.memory``), made by reading it alone as both do; kept by the store with the
    article, so a story that gains a report costs that report, not all of them again."""
    from diemtin.facts import article_mentions  # noqa: PLC0415  (facts load underthesea's tagger)
    from diemtin.summarizer.prepare import prepare_cluster  # noqa: PLC0415

    with recording() as made:
        prepare_cluster(Cluster(article.id, [article]))
        try:
            article_mentions(article)  # the tagging of its story's facts, with no name known yet
        except Exception:  # noqa: BLE001  (its story's facts log the failure; the words are kept)
            pass
    return encode(made)


def story_summaries(
    stories: Sequence[Cluster], texts: Sequence[int], length: int = DEFAULT_LENGTH, engine: Engine | None = None,
    segmented: Sequence[dict[str, list[str]] | None] | None = None,
    memories: Sequence[Sequence[bytes | None]] | None = None,
) -> list[Summary]:
    """Each story's summary, in order. A story of several texts gets the learned summariser over
    the articles it reads (``summary_inputs``; ``segmented``: their sentences already
    word-segmented, or None; ``memories``: their ``article_memory``, or None); a story of one text
    (one article, or copies of it) gets the opening of its article, which costs no segmentation.
    Both kinds run on ``engine``'s workers (default: this process): one-text stories are cheap
    each but many (half the stories).
    """
    several = [i for i, n in enumerate(texts) if n > 1]
    single = [i for i, n in enumerate(texts) if n <= 1]
    made: dict[int, Summary] = {}
    learned = summarize_clusters([Cluster(stories[i].id, summary_inputs(stories[i].articles)) for i in several],
                                 length=length, engine=engine,
                                 segmented=None if segmented is None else [segmented[i] for i in several],
                                 memories=None if memories is None else [memories[i] for i in several])
    made.update(zip(several, learned))
    openings = summarize_clusters([Cluster(stories[i].id, stories[i].articles[:1]) for i in single],
                                  length=length, method="opening", engine=engine)
    made.update(zip(single, openings))
    return [made[i] for i in range(len(stories))]


def story_section(articles: Sequence[Article]) -> str | None:
    """A story's news section (``sections.classify_story``), read from the same articles as its
    summary; None for a story with no text."""
    from diemtin.sections import classify_story  # noqa: PLC0415  (loads the model on first use)

    return classify_story(summary_inputs(list(articles)))


def story_facts(articles: Sequence[Article], memories: Sequence[bytes | None] = ()) -> Facts:
    """A story's facts, read from the same articles as its summary (``summary_inputs``): tagging
    every sentence of a 130-article story would take minutes. ``memories``: the articles'
    ``article_memory``, recalled instead of segmenting and tagging again (the same facts).

    A rule that fails on one story leaves that story without facts (logged with its first
    article) instead of stopping the step: the facts of the stories after it in the batch, and
    in every later run, would never be written."""
    from diemtin.facts import empty_facts, extract_facts  # noqa: PLC0415  (facts load underthesea's tagger)

    inputs = summary_inputs(list(articles))
    try:
        with recalling(memories):
            return extract_facts(inputs)
    except Exception:  # noqa: BLE001  (a bug in one story must not stop thousands; the log has it)
        log.exception("the facts of the story of article %s failed; it is shown without facts",
                      inputs[0].id if inputs else "(none)")
        return empty_facts()


__all__ = ["article_memory", "in_publication_order", "story_facts", "story_summaries"]

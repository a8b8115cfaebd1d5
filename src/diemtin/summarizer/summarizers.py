"""Extractive multi-document summarisers, chosen by name.

``diemtin`` is the product's method; ``lead`` and ``lead-rr`` are EVALUATION.md's baselines,
kept so ``diemtin eval --system lead-rr`` reproduces the published figures and so tests can
compare against them. Every summariser copies sentences verbatim and keeps their source.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from diemtin.errors import DiemtinError
from diemtin.summarizer.features import cluster_bigrams, cluster_features
from diemtin.summarizer.model import DEFAULT_MODEL, load_scorer
from diemtin.summarizer.prepare import BASELINE_RULES, Candidate, CandidateRules, PreparedCluster
from diemtin.summarizer.selection import CoverageConfig, select_sentences


class Summarizer(Protocol):
    name: str
    rules: CandidateRules  # which text it chooses from

    def choose(self, prepared: PreparedCluster, budget: int) -> list[Candidate]: ...


class ConceptCoverageSummarizer:
    """Learned bigram weights + budgeted coverage; see docs/SUMMARIZER.md."""

    name = "diemtin"
    rules = CandidateRules()

    def __init__(self, model_path: Path = DEFAULT_MODEL, config: CoverageConfig = CoverageConfig()):
        self.scorer = load_scorer(model_path)
        self.config = config

    def choose(self, prepared: PreparedCluster, budget: int) -> list[Candidate]:
        return self.choose_many([prepared], budget)[0]

    def choose_many(self, prepared: Sequence[PreparedCluster], budget: int) -> list[list[Candidate]]:
        """``choose`` for several clusters, with one prediction per model for all their rows:
        scikit-learn predicts tree by tree, and for a cluster's few hundred rows the per-tree
        overhead was a third of the predicting time (docs/BENCHMARKS.md). Each row's
        prediction is the same whatever rows it is predicted with."""
        todo = [p for p in prepared if p.candidates]
        features = [cluster_features(p) for p in todo]
        bigram_rows = [cluster_bigrams(p, X) for p, X in zip(todo, features)]
        weights, scores = [], []
        if todo:
            # A group's few thousand rows predict fastest on one thread per worker. With
            # OpenMP's default of one thread per core, a cluster's call cost 1.1 s instead of
            # 6 ms whenever the other cores were busy (measured during an ingest: BENCHMARKS).
            with _one_thread():
                scores = _predict_each(self.scorer.sentence_model, features)
                values = _predict_each(self.scorer.bigram_model, [rows for _, rows in bigram_rows])
            weights = [dict(zip(keys, part.tolist())) for (keys, _), part in zip(bigram_rows, values)]
        chosen = iter(select_sentences(p.candidates, w, x, budget, self.config) for p, w, x in zip(todo, weights, scores))
        return [next(chosen) if p.candidates else [] for p in prepared]


def _predict_each(model, matrices: list[np.ndarray]) -> list[np.ndarray]:
    """``model``'s predictions for each matrix, from one call over all their rows."""
    rows = np.vstack(matrices)
    values = model.predict(rows) if len(rows) else np.zeros(0)  # scikit-learn refuses 0 rows
    return np.split(values, np.cumsum([len(m) for m in matrices])[:-1])


def _one_thread():
    return _thread_pools().limit(limits=1, user_api="openmp")


@lru_cache(maxsize=1)
def _thread_pools():
    # Made once, after the scorer has loaded scikit-learn's OpenMP: a new ``threadpool_limits``
    # looks the libraries up again each time (about 5 ms, per story).
    from threadpoolctl import ThreadpoolController  # noqa: PLC0415

    return ThreadpoolController()


def _fill(ordered: Sequence[Candidate], budget: int) -> list[Candidate]:
    """Take sentences in the given order until ``budget`` syllables are reached.

    As in EVALUATION.md's baselines, the last sentence may run past the budget (the scorer
    cuts it); the product's own method never does.
    """
    chosen, used = [], 0
    for cand in ordered:
        if used >= budget:
            break
        chosen.append(cand)
        used += len(cand.syllables)
    return chosen


class LeadSummarizer:
    """Baseline: the first sentences of the first article."""

    name = "lead"
    rules = BASELINE_RULES

    def choose(self, prepared: PreparedCluster, budget: int) -> list[Candidate]:
        return _fill([c for c in prepared.candidates if c.article_index == 0], budget)


class LeadRoundRobinSummarizer:
    """Baseline: the first sentence of each article in turn, then the second of each, and so on."""

    name = "lead-rr"
    rules = BASELINE_RULES

    def choose(self, prepared: PreparedCluster, budget: int) -> list[Candidate]:
        by_article: dict[int, list[Candidate]] = {}
        for c in prepared.candidates:
            by_article.setdefault(c.article_index, []).append(c)
        depth = max((len(v) for v in by_article.values()), default=0)
        ordered = [
            sents[k] for k in range(depth) for _, sents in sorted(by_article.items()) if k < len(sents)
        ]
        return _fill(ordered, budget)


class OpeningSummarizer:
    """The opening sentences of the first article (sapo first) that fit the budget; no segmentation.

    The store gives this to a story that is one text (one article or copies of it): the outlet's
    own lead, without word segmentation or the scorer. Once a second text joins, the story
    is summarised again by ``diemtin``. When no sentence of the first article fits the budget,
    the next article's opening is taken: a story with a sentence that fits is never left empty.
    """

    name = "opening"
    rules = CandidateRules(segment_words=False)

    def choose(self, prepared: PreparedCluster, budget: int) -> list[Candidate]:
        by_article: dict[int, list[Candidate]] = {}
        for cand in prepared.candidates:
            by_article.setdefault(cand.article_index, []).append(cand)
        for _, candidates in sorted(by_article.items()):
            chosen, used = [], 0
            for cand in candidates:
                if used + len(cand.syllables) <= budget:
                    chosen.append(cand)
                    used += len(cand.syllables)
            if chosen:
                return chosen
        return []


SUMMARIZERS: dict[str, type] = {
    "diemtin": ConceptCoverageSummarizer,
    "opening": OpeningSummarizer,
    "lead": LeadSummarizer,
    "lead-rr": LeadRoundRobinSummarizer,
}


def get_summarizer(name_or_instance: str | Summarizer = "diemtin") -> Summarizer:
    """A summariser by name from ``SUMMARIZERS``, or the instance given."""
    if not isinstance(name_or_instance, str):
        return name_or_instance
    try:
        return SUMMARIZERS[name_or_instance]()
    except KeyError:
        raise DiemtinError(
            f"unknown summariser '{name_or_instance}'; choose one of: {', '.join(SUMMARIZERS)}"
        ) from None


__all__ = ["SUMMARIZERS", "Summarizer", "get_summarizer"]

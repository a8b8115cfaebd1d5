"""Choose sentences for a summary: cover the most valued content within the budget, in reading order."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from diemtin.summarizer.prepare import MIN_CANDIDATE_SYLLABLES, Candidate

Bigram = tuple[str, str]


@dataclass(frozen=True, slots=True)
class CoverageConfig:
    """How sentences are chosen; the defaults were measured by 5-fold runs on the dev files
    (docs/BENCHMARKS.md)."""

    # Gain per syllable is discounted by length**alpha: 1 would favour short sentences,
    # 0 long ones; 0.7 was best on both dev files.
    length_exponent: float = 0.7
    # Weight of the sentence scorer next to the normalised coverage gain.
    sentence_weight: float = 0.1
    # Two outlets often carry one sentence with small edits: a candidate whose syllable
    # bigrams are mostly in the summary already is a repeat and is skipped.
    max_repeated_bigrams: float = 0.5


def bigrams(tokens: Sequence[str]) -> set[Bigram]:
    return set(zip(tokens, tokens[1:]))


def select_by_coverage(
    candidates: Sequence[Candidate],
    bigram_weights: Mapping[Bigram, float],
    sentence_scores: Sequence[float],
    budget: int,
    config: CoverageConfig = CoverageConfig(),
) -> list[Candidate]:
    """Greedy budgeted coverage (Lin & Bilmes 2010): repeatedly add the sentence that brings the
    most not-yet-covered bigram weight per (discounted) syllable, plus its own score.

    Never exceeds ``budget`` syllables; returns the sentences in reading order.
    """
    scores = np.asarray(sentence_scores, dtype=float)
    if len(scores) > 1 and scores.std() > 0:
        scores = (scores - scores.mean()) / scores.std()
    sets = [bigrams(c.syllables) for c in candidates]
    covered: set[Bigram] = set()
    chosen: list[int] = []
    available = set(range(len(candidates)))
    room = budget
    while room >= MIN_CANDIDATE_SYLLABLES and available:
        options = []
        for i in available:
            size = len(candidates[i].syllables)
            if size > room:
                continue
            if sets[i] and len(sets[i] & covered) / len(sets[i]) > config.max_repeated_bigrams:
                continue
            # fsum: exact whatever the order, and a set's order changes with the string hash
            # seed of the process; a plain sum made near-ties fall differently in each worker
            gain = math.fsum(bigram_weights.get(b, 0.0) for b in sets[i] - covered)
            options.append((i, gain / size**config.length_exponent))
        if not options:
            break
        top_gain = max(g for _, g in options) or 1.0
        best = max(options, key=lambda o: (o[1] / top_gain + config.sentence_weight * scores[o[0]], -o[0]))[0]
        chosen.append(best)
        covered |= sets[best]
        room -= len(candidates[best].syllables)
        available.discard(best)
    return reading_order([candidates[i] for i in chosen])


def reading_order(chosen: Sequence[Candidate]) -> list[Candidate]:
    """Leads first: order by relative position in the article, then by article."""
    return sorted(chosen, key=lambda c: (c.position / max(c.article_size, 1), c.article_index, c.position))

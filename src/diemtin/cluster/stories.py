"""Duplicate groups -> Story: group articles that report one event, in a batch or as they arrive.

Method (average-link agglomerative clustering without a number of clusters):

1. Exact and near duplicates are collapsed to their first article (``diemtin.dedup``).
2. Each remaining article is a TF-IDF vector of its title, lead, names and body syllables
   (``represent``).
3. Candidate pairs come from a sparse nearest-neighbour search: each article meets only the
   ``NEIGHBOURS`` articles (and earlier stories) that share the most weight with it, found by
   sparse products in blocks, so no step compares all pairs of a large corpus.
4. Clusters merge best-first while their average pairwise cosine is at least ``threshold``.
   The average is exact: with unit vectors it equals dot(sum A, sum B) / (|A| |B|), so each
   cluster keeps only the sum of its vectors. Then an article left alone joins the story
   whose centre it is unambiguously nearest (``attach_margin``).
5. When both sides have publication times, clusters more than ``max_gap_days`` apart never
   merge (two "storm" stories months apart are different stories). Clusters whose headlines
   name days, none of them shared, never merge either: a daily series ("Giá vàng hôm nay 7/2",
   "... 8/2", lottery results) is one story per day, however alike its reports read; nor
   do clusters whose headlines name years, none shared (the 2017 exams' scores and the 2022
   ones): without publication times nothing else keeps a year's reports from the next's.

A batch run is an incremental run that starts from no stories: earlier stories enter step 4
as clusters that may absorb new articles but never merge with each other, so story ids stay
stable from run to run. Small stories are provisional (``ClusterConfig.reopen``): one that a
new article would join is taken apart and its articles merge again with the new ones; the
cluster holding most of it keeps its id.
"""

from __future__ import annotations

import functools
import heapq
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from scipy import sparse

from diemtin.cluster.represent import (
    N_FEATURES, REPRESENTATION, DocumentFrequencies, article_terms, keyword_terms, term_columns, term_weights,
    vectorize,
)
from diemtin.dedup import DuplicateIndex, Fingerprint, fingerprint_of
from diemtin.errors import DiemtinError
from diemtin.parallel import Engine, LocalEngine
from diemtin.times import named_dates, named_years, parse_time
from diemtin.types import Article, Story


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    # Average cosine two clusters need to merge; one setting for ViMs and AbMuSu
    # (docs/BENCHMARKS.md has the sweep).
    threshold: float = 0.32
    # Candidate neighbours per article; more only adds pairs below the threshold.
    neighbours: int = 20
    # Terms in more than this share of articles carry no story signal and are left out of
    # the neighbour search (not of the similarity itself); this keeps the search sparse.
    search_max_df: float = 0.05
    max_gap_days: float = 3.0
    # Average link divides by the story's size, so an article near a story's centre but not
    # near each of its varied reports stays alone ("Tuyên tử hình kẻ vượt ngàn cây số giết
    # vợ..." beside the nine other reports of that trial in vims-dev). After merging, an
    # article left alone joins the candidate story whose centroid is nearest by cosine, when
    # that cosine reaches ``threshold`` and beats the next candidate's by this margin (0 turns
    # it off). Pooled B-cubed F1 vims-dev 96.69 -> 97.25, abmusu-train 89.39 -> 90.67; the
    # planted benchmark pays 0.1 (docs/BENCHMARKS.md).
    attach_margin: float = 0.1
    keywords: int = 8
    # A batch of more new articles than this is merged first inside blocks of this many (in
    # time order, else input order), each block on its own worker, then across blocks. Blocks
    # cost precision: vims-dev planted among the 35k baomoi articles scored B-cubed F1 82.90
    # with blocks of 5,000 against 88.82 in one block (docs/BENCHMARKS.md), so the default
    # keeps archives of this corpus's size in one block.
    block: int = 50000
    # A story of at most this many articles (duplicate-group heads) is provisional: when a new
    # article would join it on its own (average link at least ``threshold``), it is taken apart
    # and its articles merge again with the new ones, as one batch run over all of them would
    # merge them. Without it a story begun from the first reports of two same-topic events
    # (the fish deaths before and after their cause was found, vims-dev 005 and 245) stayed one
    # story and took the later reports of both. Incremental pooled B-cubed F1 (5 runs, mean of
    # three shuffles) against batch: abmusu-train 89.35 -> 90.81 (batch 91.71), vims-dev
    # 97.26 -> 97.68 (batch 97.98); docs/BENCHMARKS.md. 0 turns it off.
    reopen: int = 5


# The settings that decide which articles share a story. A saved state was built with its own;
# continuing it with others would leave its earlier stories made one way and its later ones
# another, so a different value is refused (``StoryState.resume_with``). ``keywords`` (what a
# story shows) and ``block`` (how a batch is split among workers) can change between runs.
STORY_SHAPING = ("threshold", "neighbours", "search_max_df", "max_gap_days", "attach_margin", "reopen")


@dataclass(slots=True)
class StoryState:
    """All a later run needs to add articles to earlier stories; saved with ``save_state``."""

    frequencies: DocumentFrequencies
    duplicates: DuplicateIndex
    stories: list[_StoryRecord] = field(default_factory=list)
    next_id: int = 1
    config: ClusterConfig = field(default_factory=ClusterConfig)
    representation: int = REPRESENTATION  # of the vectors summed in the stories

    @classmethod
    def new(cls, config: ClusterConfig = ClusterConfig()) -> StoryState:
        return cls(DocumentFrequencies.new(), DuplicateIndex.new(), [], 1, config)

    def new_id(self) -> str:
        self.next_id += 1
        return f"story-{self.next_id - 1}"

    def resume_with(self, config: ClusterConfig | None, where: str, remedy: str) -> StoryState:
        """Continue this saved state under the caller's configuration: None keeps the one it was
        built with; other ``keywords`` or ``block`` apply from now on; another value of a
        ``STORY_SHAPING`` setting is refused, naming the settings, instead of being ignored."""
        if config is None or config == self.config:
            return self
        differ = [name for name in STORY_SHAPING if getattr(config, name) != getattr(self.config, name, None)]
        if differ:
            asked = ", ".join(f"{name} {getattr(config, name)} (saved: {getattr(self.config, name, 'unset')})"
                              for name in differ)
            raise DiemtinError(f"{where}: its stories were clustered with other settings than asked for: {asked}. "
                               f"A saved state keeps the settings it was built with; leave the option out to "
                               f"continue with them, or {remedy}")
        self.config = config
        return self

    def check_representation(self, where: str, remedy: str) -> None:
        """Refuse a state whose stories sum vectors of other terms: new articles would meet
        them at lower cosines than the threshold was set for, and split or merge wrongly."""
        # states saved before the field existed unpickle without it
        built_with = getattr(self, "representation", 1)
        if built_with != REPRESENTATION:
            raise DiemtinError(f"{where}: its stories were built by an earlier diemtin from other article "
                               f"vectors (version {built_with}, this one reads {REPRESENTATION}); {remedy}")


@dataclass(slots=True)
class _Member:
    """What a provisional story keeps of each head, to take the story apart and merge again."""

    vector: SparseVector
    moment: datetime | None
    title: str
    keywords: dict[str, float]  # the head's ``MEMBER_KEYWORDS`` strongest keyword weights


# A regrouped story's keywords are the sum of its heads' strongest terms: a story shows 8.
MEMBER_KEYWORDS = 30


@dataclass(slots=True)
class _StoryRecord:
    id: str
    vector_sum: SparseVector
    size: int  # articles counted in vector_sum (duplicate-group heads)
    first: datetime | None
    last: datetime | None
    article_ids: list[str]
    groups: dict[str, list[str]]  # head article id -> all article ids of its duplicate group
    term_weights: dict[str, float]
    title: str
    title_score: float
    published: dict[str, str]  # article id -> publication time as given
    # head id -> _Member while the story is provisional (``ClusterConfig.reopen``), else None
    members: dict[str, _Member] | None = None
    days: Days = frozenset()  # the days its heads' headlines name (``headline_days``)


@dataclass(slots=True)
class StoryChanges:
    """What ``add_articles`` changed: a story that gained, lost or regrouped articles is changed;
    a provisional story whose articles all went to other stories is removed."""

    changed: list[_StoryRecord]
    removed: list[str] = field(default_factory=list)
    moved: dict[str, str] = field(default_factory=dict)  # earlier article id -> its story now

    def __bool__(self) -> bool:
        return bool(self.changed or self.removed)


# A cluster's vector sum as (sorted column indices, values). SciPy's element-wise product of
# two 1 x 2**20 sparse rows costs about 9 ms whatever their size; intersecting the index
# arrays costs microseconds, and the agglomeration takes one dot product per candidate pair.
SparseVector = tuple[np.ndarray, np.ndarray]


def as_vector(row: sparse.csr_matrix) -> SparseVector:
    row = row.tocsr()
    row.sort_indices()
    return row.indices.copy(), row.data.copy()


def vector_dot(a: SparseVector, b: SparseVector) -> float:
    # the shorter side's columns looked up in the longer side's (half the time of intersect1d;
    # the products are summed in the same column order, so the result is the same)
    if len(a[0]) > len(b[0]):
        a, b = b, a
    if not len(a[0]):
        return 0.0
    at = np.searchsorted(b[0], a[0])
    at[at == len(b[0])] = 0
    hit = b[0][at] == a[0]
    return float(a[1][hit] @ b[1][at[hit]])


def vector_add(a: SparseVector, b: SparseVector) -> SparseVector:
    columns, inverse = np.unique(np.concatenate([a[0], b[0]]), return_inverse=True)
    return columns, np.bincount(inverse, weights=np.concatenate([a[1], b[1]]))


def vectors_matrix(vectors: Sequence[SparseVector], scale: Sequence[float], width: int) -> sparse.csr_matrix:
    indptr = np.cumsum([0] + [len(v[0]) for v in vectors])
    data = np.concatenate([v[1] / k for v, k in zip(vectors, scale)]) if vectors else np.zeros(0)
    indices = np.concatenate([v[0] for v in vectors]) if vectors else np.zeros(0, dtype=np.int32)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(vectors), width))


def _neighbour_pairs(
    new: sparse.csr_matrix, others: sparse.csr_matrix, searchable: np.ndarray, k: int, skip_self: bool,
    engine: Engine,
) -> list[tuple[int, int]]:
    """For each row of ``new``, the ``k`` rows of ``others`` with the largest positive dot product.

    Rows go in blocks of ``SEARCH_BLOCK``, over the engine's workers.
    """
    mask = sparse.diags(searchable.astype(np.float64))
    left = (new @ mask).tocsr()
    right = (others @ mask).T.tocsc()
    blocks = [(start, left[start : start + SEARCH_BLOCK], k, skip_self) for start in range(0, new.shape[0], SEARCH_BLOCK)]
    results = engine.map(_block_neighbours, blocks, right)
    return [pair for pairs in results for pair in pairs]


SEARCH_BLOCK = 1000


def _block_neighbours(block: tuple, right: sparse.csc_matrix) -> list[tuple[int, int]]:
    start, left, k, skip_self = block
    product = (left @ right).tocsr()
    pairs = []
    for row in range(product.shape[0]):
        lo, hi = product.indptr[row], product.indptr[row + 1]
        cols, vals = product.indices[lo:hi], product.data[lo:hi]
        if skip_self:
            keep = cols != start + row
            cols, vals = cols[keep], vals[keep]
        if len(cols) > k:
            top = np.argpartition(-vals, k)[:k]
            cols = cols[top]
        pairs.extend((start + row, int(c)) for c in cols)
    return pairs


# Below this many articles, starting worker processes costs more than it saves.
PARALLEL_TERMS_FROM = 500
TERMS_CHUNK = 200


def _terms_of_chunk(articles: Sequence[Article]) -> list[list[str]]:
    return [article_terms(a) for a in articles]


def _fingerprints_of_chunk(articles: Sequence[Article]) -> list[Fingerprint]:
    return [fingerprint_of(a) for a in articles]


def _per_article(fn: Callable, articles: Sequence[Article], engine: Engine, progress: Callable | None = None) -> list:
    """``fn`` over chunks of ``articles`` on the engine (a batch of fewer than
    ``PARALLEL_TERMS_FROM`` articles in this process: workers would not repay their start); a flat list."""
    chunks = [articles[i : i + TERMS_CHUNK] for i in range(0, len(articles), TERMS_CHUNK)]
    results = engine.imap(fn, chunks) if len(articles) >= PARALLEL_TERMS_FROM else map(fn, chunks)
    if progress:
        results = progress(results, total=len(chunks))
    return [value for chunk in results for value in chunk]


def _apart(a: tuple, b: tuple, max_gap_days: float) -> bool:
    """Whether two (first, last) publication spans are more than ``max_gap_days`` apart; never
    when either has no times."""
    (a_first, a_last), (b_first, b_last) = a, b
    if a_first is None or b_first is None:
        return False
    return max((b_first - a_last).total_seconds(), (a_first - b_last).total_seconds()) > max_gap_days * 86400


# (month, day) for each day a headline names, the year left out as most headlines leave it
# out, and (0, year) for each year it names
Days = frozenset


def headline_days(title: str) -> Days:
    """The days a headline names (``times.named_dates``), as (month, day), and the years it
    names (``times.named_years``), as (0, year).

    >>> sorted(headline_days("Giá vàng hôm nay 7/2: tăng mạnh")), headline_days("Barca thắng 3-1")
    ([(2, 7)], frozenset())
    >>> sorted(headline_days("Điểm thi THPT quốc gia 2017 ngày 6/7"))
    [(0, 2017), (7, 6)]
    """
    return frozenset((d.month, d.day) for d in named_dates(title)) | {(0, y) for y in named_years(title)}


def other_days(a: Days, b: Days) -> bool:
    """Whether two clusters' headlines name days and share none (reports of different days: a
    daily series), or name years and share none (the 2017 exams' scores and the 2022 ones)."""
    return any(x and y and not x & y for x, y in (({d for d in a if d[0]}, {d for d in b if d[0]}),
                                                  ({d for d in a if not d[0]}, {d for d in b if not d[0]})))


def _joined_span(*spans: tuple) -> tuple:
    """The (first, last) publication times of clusters joined; (None, None) when none has times."""
    dated = [s for s in spans if s[0] is not None]
    return (min(s[0] for s in dated), max(s[1] for s in dated)) if dated else (None, None)


# Pairs per sparse product in ``_pair_dots``: bounds the memory of the product.
LINK_BATCH = 20000


def _pair_dots(left: list[SparseVector], right: list[SparseVector]) -> np.ndarray:
    """dot(left[k], right[k]) for each k, by sparse products in batches (one ``vector_dot`` per
    pair in Python was most of the time of adding a chunk)."""
    dots = []
    for start in range(0, len(left), LINK_BATCH):
        a, b = left[start : start + LINK_BATCH], right[start : start + LINK_BATCH]
        product = vectors_matrix(a, [1.0] * len(a), N_FEATURES).multiply(vectors_matrix(b, [1.0] * len(b), N_FEATURES))
        dots.append(np.asarray(product.sum(axis=1)).ravel())
    return np.concatenate(dots) if dots else np.zeros(0)


class _Agglomeration:
    """Best-first average-link merging over candidate pairs, with exact averages from vector sums."""

    def __init__(self, sums: list, sizes: list[int], spans: list, days: list[Days], fixed: list[bool],
                 config: ClusterConfig):
        self.sums, self.sizes, self.spans, self.days, self.fixed = sums, sizes, spans, days, fixed
        self.members: list[list[int]] = [[i] for i in range(len(sums))]
        self.alive = [True] * len(sums)
        self.config = config
        self.links: list[set[int]] = [set() for _ in sums]
        self.heap: list[tuple[float, int, int]] = []
        self.dense: np.ndarray | None = None  # scratch row of ``dots``, made when first needed

    def dots(self, a: int, others: Sequence[int]) -> np.ndarray:
        """dot(sum a, sum b) for each b of ``others``: ``a``'s sum is spread once into a dense
        row and the others' columns are read from it, all in one go (a ``vector_dot`` per pair,
        searching column arrays, was most of the merging loop's time)."""
        if self.dense is None:
            self.dense = np.zeros(N_FEATURES)
        columns, values = self.sums[a]
        vectors = [self.sums[b] for b in others]
        other_columns = np.concatenate([v[0] for v in vectors])
        other_values = np.concatenate([v[1] for v in vectors])
        owner = np.repeat(np.arange(len(vectors)), [len(v[0]) for v in vectors])
        self.dense[columns] = values
        products = self.dense[other_columns] * other_values
        self.dense[columns] = 0.0
        return np.bincount(owner, weights=products, minlength=len(vectors))

    def too_far_apart(self, a: int, b: int) -> bool:
        """Published too far apart, or headlines naming different days or years: never one story."""
        return _apart(self.spans[a], self.spans[b], self.config.max_gap_days) or other_days(self.days[a], self.days[b])

    def link_all(self, pairs) -> None:
        """``link`` for many pairs, their dot products computed together (``_pair_dots``)."""
        todo = []
        for a, b in pairs:
            if a == b or b in self.links[a] or (self.fixed[a] and self.fixed[b]):
                continue
            self.links[a].add(b)
            self.links[b].add(a)
            todo.append((a, b))
        dots = _pair_dots([self.sums[a] for a, _ in todo], [self.sums[b] for _, b in todo])
        for (a, b), dot in zip(todo, dots.tolist()):
            sim = dot / (self.sizes[a] * self.sizes[b])
            if sim >= self.config.threshold:
                heapq.heappush(self.heap, (-sim, a, b))

    def link(self, a: int, others: Sequence[int]) -> None:
        """Make ``a`` and each of ``others`` candidates, queued when similar enough."""
        others = [b for b in others if b != a and b not in self.links[a] and not (self.fixed[a] and self.fixed[b])]
        if not others:
            return
        for b, dot in zip(others, self.dots(a, others).tolist()):
            self.links[a].add(b)
            self.links[b].add(a)
            sim = dot / (self.sizes[a] * self.sizes[b])
            if sim >= self.config.threshold:
                heapq.heappush(self.heap, (-sim, a, b))

    def run(self) -> list[list[int]]:
        while self.heap:
            _, a, b = heapq.heappop(self.heap)
            if not (self.alive[a] and self.alive[b]) or self.too_far_apart(a, b):
                continue
            merged = len(self.sums)
            self.sums.append(vector_add(self.sums[a], self.sums[b]))
            self.sizes.append(self.sizes[a] + self.sizes[b])
            self.spans.append(_joined_span(self.spans[a], self.spans[b]))
            self.days.append(self.days[a] | self.days[b])
            self.fixed.append(self.fixed[a] or self.fixed[b])
            self.members.append(self.members[a] + self.members[b])
            self.alive += [True]
            self.alive[a] = self.alive[b] = False
            self.links.append(set())
            others = (self.links[a] | self.links[b]) - {a, b}
            for other in others:
                self.links[other] -= {a, b}
            self.link(merged, sorted(o for o in others if self.alive[o]))
            self.members[a] = self.members[b] = []
        if self.config.attach_margin > 0:
            self.attach_singles()
        return [m for m, alive in zip(self.members, self.alive) if alive]

    def attach_singles(self) -> None:
        """Each new article left alone joins the candidate story whose centroid is nearest by
        cosine, if that cosine is at least the threshold and ``attach_margin`` above the next
        candidate's (``ClusterConfig.attach_margin`` says why). Decided before any move."""
        # a story is a candidate of many lone articles: its length is computed once
        norm = functools.cache(lambda d: max(vector_dot(self.sums[d], self.sums[d]), 1e-12) ** 0.5)
        moves = []
        for c, alive in enumerate(self.alive):
            if not alive or self.fixed[c] or self.sizes[c] != 1:
                continue
            candidates = sorted(d for d in self.links[c] if self.alive[d] and not self.too_far_apart(c, d))
            if not candidates:
                continue
            cosines = sorted(((dot / norm(d), d) for d, dot in zip(candidates, self.dots(c, candidates).tolist())),
                             reverse=True)
            runner_up = cosines[1][0] if len(cosines) > 1 else 0.0
            if cosines[0][0] >= self.config.threshold and cosines[0][0] - runner_up >= self.config.attach_margin:
                moves.append((-cosines[0][0], c, cosines[0][1]))
        # A lone article's cosine to another lone one is their average link, below the
        # threshold or they would have merged: targets are stories, and none of them moves.
        # Two lone articles may choose one story; the nearer joins first, and the other only if
        # the story, grown, is still within its time gap and names no other day ("Giá vàng hôm
        # nay 1/6" and "... 5.6" both chose one undated story of gold prices).
        for _, c, d in sorted(moves):
            if self.too_far_apart(c, d):
                continue
            self.sums[d] = vector_add(self.sums[d], self.sums[c])
            self.sizes[d] += 1
            self.spans[d] = _joined_span(self.spans[c], self.spans[d])
            self.days[d] = self.days[d] | self.days[c]
            self.members[d] = self.members[d] + self.members[c]
            self.members[c] = []
            self.alive[c] = False

    def run_with_sums(self) -> list[tuple[list[int], SparseVector, tuple, Days]]:
        """``run``, with each cluster's vector sum, time span and headline days (members in
        ascending order)."""
        self.run()
        return [(sorted(m), self.sums[c], self.spans[c], self.days[c])
                for c, (m, alive) in enumerate(zip(self.members, self.alive)) if alive]


def _find_copies(
    state: StoryState, fresh: Sequence[Article], fingerprints: dict[str, Fingerprint]
) -> tuple[list[Article], dict[str, str]]:
    """Copies join the group of the first article they copy: the new group heads, and each new
    article's head (itself, a new head, or the head of a group in an earlier story)."""
    heads: list[Article] = []
    # The index may answer with a copy rather than its group's head (a near copy keeps its own
    # exact key, and a later exact copy of it finds that): a copy leads to its group's head.
    group_of = {a: h for s in state.stories for h, group in s.groups.items() for a in group}
    for article in fresh:
        other, _ = state.duplicates.find_or_add(article, fingerprints[article.id])
        if other is None:
            heads.append(article)
            group_of[article.id] = article.id
        else:
            group_of[article.id] = group_of.get(other, other)
    return heads, group_of


def add_articles(
    state: StoryState, articles: Sequence[Article], progress: Callable | None = None,
    prepared: dict[str, tuple[list[str], Fingerprint]] | None = None, engine: Engine | None = None,
) -> StoryChanges:
    """Add articles to the stories in ``state`` (a new state: batch clustering); says which
    stories changed (and, when provisional stories were regrouped, which went and which
    earlier articles moved).

    Articles already seen (same id) are skipped, so rerunning on the same input changes nothing.
    ``prepared``: article id -> (``article_terms``, ``fingerprint_of``) computed elsewhere (the
    batch pipeline's workers); ``engine``: where the per-article work, the neighbour search and
    the block merging run (``diemtin.parallel``; default: this process). Neither changes the stories.
    """
    config = state.config
    prepared = prepared or {}
    engine = engine if engine is not None else LocalEngine(1)  # in this process
    seen = {a for s in state.stories for a in s.article_ids}
    fresh, seen_now = [], set()
    for article in articles:
        if article.id in seen or article.id in seen_now:
            continue
        seen_now.add(article.id)
        fresh.append(article)
    if not fresh:
        return StoryChanges([])

    # 1. duplicates, 2. vectors. Fingerprints and terms (word segmentation) are most of the
    # cost and need no other article: a large batch computes them on every core.
    missing = [a for a in fresh if a.id not in prepared]
    fingerprints = {a.id: prepared[a.id][1] for a in fresh if a.id in prepared}
    fingerprints.update(zip((a.id for a in missing), _per_article(_fingerprints_of_chunk, missing, engine)))
    heads, group_of = _find_copies(state, fresh, fingerprints)
    missing = [a for a in heads if a.id not in prepared]
    computed = dict(zip((a.id for a in missing), _per_article(_terms_of_chunk, missing, engine, progress)))
    terms = [prepared[a.id][0] if a.id in prepared else computed[a.id] for a in heads]
    vectors = vectorize(terms, state.frequencies) if heads else sparse.csr_matrix((0, 1))

    # 3. candidate pairs: new x new, and new x earlier stories. Provisional earlier stories that
    # new articles meet are taken apart first: their heads are searched and merged as new ones.
    searchable = state.frequencies.counts <= max(1, config.search_max_df * state.frequencies.documents)
    rows = [as_vector(vectors[i]) for i in range(len(heads))]
    times = [parse_time(a.published) for a in heads]
    days = [headline_days(a.title) for a in heads]
    old_pairs = _story_candidates(state, vectors, searchable, engine) if heads else []
    reopened = _reopened(state, old_pairs, rows, times, days)
    moved = _take_apart(state, reopened)
    if moved:
        # the new heads keep their candidates among the stories left; the moved heads search them
        taken = set(reopened)
        index_left = np.cumsum([j not in taken for j in range(len(state.stories) + len(taken))]) - 1
        old_pairs = [(i, int(index_left[j])) for i, j in old_pairs if j not in taken]
        rows += [member.vector for _, _, member in moved]
        times += [member.moment for _, _, member in moved]
        days += [headline_days(member.title) for _, _, member in moved]
        vectors = vectors_matrix(rows, [1.0] * len(rows), N_FEATURES)
        old_pairs += [(len(heads) + i, j) for i, j in _story_candidates(state, vectors[len(heads) :], searchable, engine)]
    new_pairs = _neighbour_pairs(vectors, vectors, searchable, config.neighbours, True, engine) if rows else []
    n_old = len(state.stories)

    # 4. merge: a batch larger than a block is first merged inside blocks (in parallel); then
    # everything, with earlier stories, in one best-first round over the resulting clusters
    if len(rows) > config.block:
        groups = _merge_in_blocks(rows, times, days, new_pairs, config, engine)
    else:
        groups = [(np.array([i]), rows[i], (times[i], times[i]), days[i]) for i in range(len(rows))]
    cluster_of = np.empty(len(rows), dtype=np.int64)
    for c, (members, _, _, _) in enumerate(groups):
        cluster_of[members] = n_old + c
    agglomeration = _Agglomeration(
        [s.vector_sum for s in state.stories] + [g[1] for g in groups],
        [s.size for s in state.stories] + [len(g[0]) for g in groups],
        [(s.first, s.last) for s in state.stories] + [g[2] for g in groups],
        [s.days for s in state.stories] + [g[3] for g in groups],
        [True] * n_old + [False] * len(groups), config)
    agglomeration.link_all([(int(cluster_of[i]), int(cluster_of[j])) for i, j in new_pairs]
                           + [(int(cluster_of[i]), j) for i, j in old_pairs])

    # 5. fold the result back into story records
    idf = state.frequencies.idf()
    # body syllables shape the vectors only; keywords come from the title and lead words
    terms_for_keywords = [keyword_terms(ts) for ts in terms]
    columns = term_columns({t for ts in terms_for_keywords for t in ts})
    clusters = []  # (the earlier story kept, item indices: new heads, then moved heads)
    for members in agglomeration.run():
        old = [m for m in members if m < n_old]
        items = sorted(i for m in members if m >= n_old for i in groups[m - n_old][0])
        if items:
            clusters.append((state.stories[old[0]] if old else None, items))
    origins = _claim_origins(clusters, moved, len(heads))
    changed: dict[str, _StoryRecord] = {}
    moved_to: dict[str, str] = {}  # earlier article id -> the story it is in now
    for c, (record, items) in enumerate(clusters):
        new = [i for i in items if i < len(heads)]
        came = [moved[i - len(heads)] for i in items if i >= len(heads)]
        rebuilt = False
        if record is None:
            origin = origins.get(c)
            if origin is not None and len(came) == len(origin.members) and all(o is origin for o, _, _ in came):
                record, came = origin, []  # the provisional story formed again, perhaps with new heads
            else:
                record = _new_record(origin.id if origin is not None else state.new_id(), config)
                rebuilt = True
            state.stories.append(record)
        for source, head, member in came:
            _add_head(record, head, member, member.keywords, config.reopen)
            record.article_ids.extend(source.groups[head][1:])
            record.groups[head] = list(source.groups[head])
            record.published.update((a, source.published[a]) for a in source.groups[head] if a in source.published)
            if source.id != record.id:
                moved_to.update((a, record.id) for a in source.groups[head])
        for i in new:
            weights = term_weights(terms_for_keywords[i], idf, columns)
            member = _Member(rows[i], times[i], heads[i].title, _strongest(weights) if config.reopen else {})
            _add_head(record, heads[i].id, member, weights, config.reopen)
            if heads[i].published:
                record.published[heads[i].id] = heads[i].published
        if new or came or rebuilt:
            changed[record.id] = record
    continued = {o.id for o in origins.values()}
    removed = list(dict.fromkeys(source.id for source, _, _ in moved if source.id not in continued))
    record_of_head = {h: s for s in state.stories for h in s.groups}
    for article in fresh:
        head = group_of[article.id]
        if head != article.id:
            record = record_of_head[head]
            _add_copy(record, head, article)
            changed[record.id] = record
    return StoryChanges(list(changed.values()), removed, moved_to)


def close_stories(state: StoryState, before: datetime) -> list[_StoryRecord]:
    """Take out of ``state`` the stories that no article published at ``before`` or later can
    join: their last article is more than ``max_gap_days`` earlier. Their articles leave the
    copy index too, so a later copy of one starts a story of its own.

    For a caller adding articles in publication order (the batch pipeline), so the state holds
    only the stories still open; a story without publication times is never closed.
    """
    gap = timedelta(days=state.config.max_gap_days)
    closed = [s for s in state.stories if s.last is not None and before - s.last > gap]
    if closed:
        ids = {id(s) for s in closed}
        state.stories = [s for s in state.stories if id(s) not in ids]
        state.duplicates.forget(a for s in closed for a in s.article_ids)
    return closed


def _story_candidates(state: StoryState, vectors: sparse.csr_matrix, searchable: np.ndarray, engine: Engine) -> list:
    """Pairs (row of ``vectors``, index of an earlier story): each row's nearest story centres."""
    if not state.stories:
        return []
    centroids = vectors_matrix([s.vector_sum for s in state.stories], [s.size for s in state.stories], N_FEATURES)
    return _neighbour_pairs(vectors, centroids, searchable, state.config.neighbours, False, engine)


def _reopened(state: StoryState, pairs: list, rows: list, times: list, days: list[Days]) -> list[int]:
    """The provisional stories (``ClusterConfig.reopen``) that some new head would join on its
    own: close enough in time, no other day in the headlines, average link with it at least the
    threshold."""
    config = state.config
    todo = [(i, j) for i, j in pairs if state.stories[j].members is not None
            and not _apart((times[i], times[i]), (state.stories[j].first, state.stories[j].last), config.max_gap_days)
            and not other_days(days[i], state.stories[j].days)]
    dots = _pair_dots([rows[i] for i, _ in todo], [state.stories[j].vector_sum for _, j in todo])
    return sorted({j for (_, j), dot in zip(todo, dots.tolist()) if dot >= config.threshold * state.stories[j].size})


def _take_apart(state: StoryState, reopened: list[int]) -> list[tuple[_StoryRecord, str, _Member]]:
    """Take the ``reopened`` stories out of ``state``: (story, head id, member) for each head."""
    moved = [(state.stories[j], head, member) for j in reopened for head, member in state.stories[j].members.items()]
    taken = set(reopened)
    state.stories = [s for j, s in enumerate(state.stories) if j not in taken]
    return moved


def _claim_origins(clusters: list, moved: list, n_heads: int) -> dict[int, _StoryRecord]:
    """Which taken-apart story each new cluster continues (keeps the id of): the one with most
    heads in it. A story is continued by one cluster at most: the one holding most of its
    heads, on a tie the one holding its first; an earlier story chooses first."""
    heads_in: dict[tuple[int, str], list[int]] = {}  # (cluster, story id) -> positions in ``moved``
    for c, (record, items) in enumerate(clusters):
        if record is None:
            for i in items:
                if i >= n_heads:
                    heads_in.setdefault((c, moved[i - n_heads][0].id), []).append(i - n_heads)
    first_seen = {}
    for k, (source, _, _) in enumerate(moved):
        first_seen.setdefault(source.id, k)
    origins: dict[int, _StoryRecord] = {}
    claimed = set()
    for (c, story), at in sorted(heads_in.items(), key=lambda kv: (-len(kv[1]), first_seen[kv[0][1]], min(kv[1]))):
        if c not in origins and story not in claimed:
            origins[c] = moved[at[0]][0]
            claimed.add(story)
    return origins


def _strongest(weights: dict[str, float]) -> dict[str, float]:
    return dict(sorted(weights.items(), key=lambda kv: -kv[1])[:MEMBER_KEYWORDS])


def _new_record(story_id: str, config: ClusterConfig) -> _StoryRecord:
    empty = (np.zeros(0, dtype=np.int32), np.zeros(0))
    return _StoryRecord(story_id, empty, 0, None, None, [], {}, {}, "", -1.0, {}, {} if config.reopen else None)


def _blocks(times: list, size: int) -> list[np.ndarray]:
    """Blocks of new articles to merge first: consecutive in publication time when every article
    has one (a story is days long), else in input order (feeds and archives arrive in time order)."""
    order = np.arange(len(times))
    if times and all(t is not None for t in times):
        order = np.array(sorted(order, key=lambda i: (times[i], i)), dtype=np.int64)
    return [order[i : i + size] for i in range(0, len(order), size)]


def _merge_in_blocks(rows: list, times: list, days: list[Days], pairs: list, config: ClusterConfig,
                     engine: Engine) -> list[tuple]:
    """Average-link merging inside each block; (member indices, vector sum, time span, headline
    days) per cluster.

    The blocks are independent, so they run on the engine's workers; every cluster then enters
    one more round of merging across blocks (``add_articles``) with its exact vector sum.
    """
    blocks = _blocks(times, max(1, config.block))
    block_of = np.empty(len(rows), dtype=np.int64)
    position = np.empty(len(rows), dtype=np.int64)
    for b, members in enumerate(blocks):
        block_of[members] = b
        position[members] = np.arange(len(members))
    inner: list[list[tuple[int, int]]] = [[] for _ in blocks]
    for i, j in pairs:
        if block_of[i] == block_of[j]:
            inner[block_of[i]].append((int(position[i]), int(position[j])))
    tasks = [([rows[i] for i in members], [times[i] for i in members], [days[i] for i in members], inner[b], config)
             for b, members in enumerate(blocks)]
    results = engine.map(_merge_block, tasks)
    groups = []
    for members, clusters in zip(blocks, results):
        for local, vector_sum, span, named in clusters:
            groups.append((members[local], vector_sum, span, named))
    return groups


def _merge_block(task: tuple) -> list[tuple[list[int], SparseVector, tuple, Days]]:
    rows, times, days, pairs, config = task
    agglomeration = _Agglomeration(list(rows), [1] * len(rows), [(t, t) for t in times], list(days),
                                   [False] * len(rows), config)
    agglomeration.link_all(pairs)
    return agglomeration.run_with_sums()


def _add_head(record: _StoryRecord, head: str, member: _Member, weights: dict[str, float], reopen: int) -> None:
    """Add a duplicate group's head; ``weights``: its keyword weights (``term_weights``)."""
    # a story's first head is its sum as it stands (the same arrays: a provisional story of one
    # article keeps its vector once)
    record.vector_sum = member.vector if record.size == 0 else vector_add(record.vector_sum, member.vector)
    record.size += 1
    record.article_ids.append(head)
    record.groups[head] = [head]
    if member.moment is not None:
        record.first = member.moment if record.first is None else min(record.first, member.moment)
        record.last = member.moment if record.last is None else max(record.last, member.moment)
    record.days = record.days | headline_days(member.title)
    for term, weight in weights.items():
        record.term_weights[term] = record.term_weights.get(term, 0.0) + weight
    # keep the story's keyword table small: only the strongest terms matter
    if len(record.term_weights) > 200:
        record.term_weights = dict(sorted(record.term_weights.items(), key=lambda kv: -kv[1])[:100])
    # the representative title: the article closest to the story's centroid so far
    score = vector_dot(member.vector, record.vector_sum)
    if member.title and score > record.title_score:
        record.title, record.title_score = member.title, score
    if record.members is not None:
        if record.size <= reopen:
            record.members[head] = member
        else:
            record.members = None  # settled: its heads are no longer kept apart


def _add_copy(record: _StoryRecord, head: str, article: Article) -> None:
    record.article_ids.append(article.id)
    record.groups[head].append(article.id)
    if article.published:
        record.published[article.id] = article.published


def to_story(record: _StoryRecord, config: ClusterConfig) -> Story:
    keywords = [t.replace("_", " ") for t, _ in sorted(record.term_weights.items(), key=lambda kv: -kv[1])
                if not t.startswith("@")][: config.keywords]
    times = sorted(record.published.values(), key=lambda v: parse_time(v) or datetime.max)
    return Story(
        id=record.id,
        article_ids=list(record.article_ids),
        duplicate_groups=[g for g in record.groups.values() if len(g) > 1],
        title=record.title,
        keywords=keywords,
        first_published=times[0] if times else None,
        last_published=times[-1] if times else None,
    )


def cluster_articles(
    articles: Sequence[Article], config: ClusterConfig = ClusterConfig(), progress: Callable | None = None
) -> list[Story]:
    """Batch clustering: the stories of ``articles``, largest first."""
    state = StoryState.new(config)
    add_articles(state, articles, progress)
    return sorted((to_story(r, config) for r in state.stories), key=lambda s: -len(s.article_ids))


def save_state(state: StoryState, path: Path) -> None:
    """Write the state atomically: a crash mid-write leaves the previous state intact."""
    import joblib  # noqa: PLC0415

    path = Path(path)
    handle, temp = tempfile.mkstemp(dir=path.parent or ".", prefix=path.name, suffix=".tmp")
    os.close(handle)
    try:
        joblib.dump(state, temp, compress=3)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def load_state(path: Path, config: ClusterConfig | None = None) -> StoryState:
    """The saved state, or a new one when ``path`` does not exist yet.

    ``config`` None continues a saved state with the settings it was built with (and starts a
    new one with the defaults); a given ``config`` is applied or refused (``resume_with``).
    """
    import joblib  # noqa: PLC0415

    path = Path(path)
    if not path.exists():
        return StoryState.new(config or ClusterConfig())
    try:
        state = joblib.load(path)
    except Exception as exc:  # a truncated or foreign file: say so instead of a traceback
        raise DiemtinError(f"{path}: not a diemtin story state ({exc.__class__.__name__}); "
                           "give another --state path or delete this file to start over") from None
    return restore_state(state, config, str(path), "cluster the earlier articles again into a new --state file")


def restore_state(state: object, config: ClusterConfig | None, where: str, remedy: str) -> StoryState:
    """A state as saved by this or an earlier diemtin, brought to this version's shape or
    refused, then continued under ``config`` (``StoryState.resume_with``). The one place for
    state migrations; ``load_state`` and the store's state both come through here.

    - vectors of another representation (``REPRESENTATION``): refused, they cannot be mixed;
    - stories saved before provisional stories (no ``members``): settled;
    - stories saved before headline days were kept (no ``days``): their heads' titles are not
      kept, so their days are unknown (none: they may take any report, as before).
    """
    if not isinstance(state, StoryState):
        raise DiemtinError(f"{where}: not a diemtin story state; {remedy}")
    state.check_representation(where, remedy)
    for record in state.stories:
        if not hasattr(record, "members"):
            record.members = None
        if not hasattr(record, "days"):
            record.days = frozenset()
    return state.resume_with(config, where, remedy)


__all__ = ["STORY_SHAPING", "ClusterConfig", "StoryChanges", "StoryState", "add_articles", "close_stories",
           "cluster_articles", "load_state", "restore_state", "save_state", "to_story"]

"""`diemtin eval-clusters`: the clustering protocol of EVALUATION.md.

Pool every article of a cluster JSONL, shuffle, cluster without the number of stories, and
score B-cubed precision/recall/F1 (averaged over articles) and the adjusted Rand index
against the cluster ids. With distractors, unlabelled articles are mixed in and only the
labelled ones are scored; an unlabelled article in a labelled article's story counts
against its precision.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace

from diemtin.cluster.stories import ClusterConfig, StoryState, add_articles, to_story
from diemtin.errors import DiemtinError
from diemtin.ingest import read_sources
from diemtin.parallel import Engine
from diemtin.types import Article


@dataclass(slots=True)
class ClusterReport:
    file: str
    articles: int
    scored: int
    gold_stories: int
    predicted_stories: int
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    ari: float
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def table(self) -> str:
        return (f"{self.file}: {self.scored} labelled articles of {self.articles}, "
                f"{self.gold_stories} gold stories, {self.predicted_stories} found\n"
                f"B-cubed P {self.bcubed_precision:.2f}  R {self.bcubed_recall:.2f}  F1 {self.bcubed_f1:.2f}  "
                f"ARI {self.ari:.2f}")


def bcubed(predicted: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 over the articles in ``gold`` (Bagga & Baldwin 1998).

    ``predicted`` covers every clustered article, labelled or not; articles missing from
    ``gold`` are distractors and never share a gold story.

    >>> [round(score, 4) for score in bcubed({"a": "1", "b": "1", "c": "2"}, {"a": "x", "b": "x", "c": "x"})]
    [1.0, 0.5556, 0.7143]
    """
    members: dict[str, list[str]] = {}
    for article, story in predicted.items():
        members.setdefault(story, []).append(article)
    gold_sizes = Counter(gold.values())
    precision, recall = [], []
    for article, label in gold.items():
        story = members[predicted[article]]
        same = sum(1 for other in story if gold.get(other) == label)
        precision.append(same / len(story))
        recall.append(same / gold_sizes[label])
    p, r = statistics.fmean(precision), statistics.fmean(recall)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate_clustering(
    path: str,
    distractors: Sequence[str] = (),
    config: ClusterConfig | None = None,
    batches: int = 1,
    seed: int = 0,
    progress: Callable | None = None,
    engine: Engine | None = None,
) -> ClusterReport:
    """Pool, shuffle and cluster the articles of ``path`` (plus ``distractors``), then score.

    ``batches > 1`` feeds the shuffled articles in that many successive incremental runs
    instead of one batch, to measure the online mode against the batch mode.
    """
    from sklearn.metrics import adjusted_rand_score  # noqa: PLC0415

    run = cluster_pooled(path, distractors, config, batches, seed, progress, engine)
    gold, predicted = run.gold, run.predicted
    p, r, f = bcubed(predicted, gold)
    labelled = list(gold)
    ari = adjusted_rand_score([gold[a] for a in labelled], [predicted[a] for a in labelled])
    return ClusterReport(
        str(path), len(run.pool), len(gold), len(set(gold.values())), run.stories,
        round(100 * p, 2), round(100 * r, 2), round(100 * f, 2), round(100 * ari, 2), run.problems,
    )


@dataclass(slots=True)
class PooledRun:
    gold: dict[str, str]  # labelled article id -> gold story
    pool: list[Article]  # every article clustered, shuffled; distractors' ids start "distractor:"
    predicted: dict[str, str]  # article id -> story id found
    stories: int
    problems: list[str]


def cluster_pooled(
    path: str,
    distractors: Sequence[str] = (),
    config: ClusterConfig | None = None,
    batches: int = 1,
    seed: int = 0,
    progress: Callable | None = None,
    engine: Engine | None = None,
) -> PooledRun:
    """The clustering run that ``evaluate_clustering`` scores (bench/planted_errors.py reads
    its stories too), on ``engine`` (default: this process)."""
    batch = read_sources([path])
    problems = [str(p) for p in batch.problems]
    gold: dict[str, str] = {}
    pool: list[Article] = []
    for cluster in batch.clusters:
        for article in cluster.articles:
            if article.id in gold:
                problems.append(f"{path}: article id {article.id} appears twice; the second is ignored")
                continue
            gold[article.id] = cluster.id
            pool.append(article)
    if not gold:
        raise DiemtinError(f"{path}: no labelled articles (cluster JSONL expected)")
    if distractors:
        extra = read_sources(distractors)
        problems += [str(p) for p in extra.problems]
        pool += [replace(a, id=f"distractor:{a.id}") for a in extra.articles if a.id not in gold]
    random.Random(seed).shuffle(pool)

    config = config or ClusterConfig()
    state = StoryState.new(config)
    size = -(-len(pool) // batches)
    for start in range(0, len(pool), size):
        add_articles(state, pool[start : start + size], progress, engine=engine)
    predicted = {a: s.id for s in (to_story(r, config) for r in state.stories) for a in s.article_ids}
    return PooledRun(gold, pool, predicted, len(state.stories), problems)

"""Train the shipped scorer on the dev files, and measure it on clusters it was not trained on.

    python tools/train_scorer.py ../shared/data/mds/vims-dev.jsonl ../shared/data/mds/abmusu-train.jsonl
    python tools/train_scorer.py FILES... --cv 5        # held-out figures, no model written
    python tools/train_scorer.py A B --cross --cv 5 --budgets 100 150 200 300 --baselines

Labels come from the human summaries (which is why this is a separate step): for each
sentence, the share of its syllable bigrams a reference reuses; for each bigram, the share of
references that contain it. With ``--cv K`` each file is split into K folds; a fold is scored
by a model trained on the other folds plus every other file, so no cluster is ever scored by a
model that saw its summaries. ``--cross`` scores each file with a model trained on the other
files only: the figure that predicts a corpus nobody here has seen. ``--budgets`` scores at
these syllable budgets as well as the file's own (EVALUATION.md: the median reference length),
``--baselines`` adds lead and lead round-robin at the same budgets.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from tqdm import tqdm

from diemtin.evaluate.rouge import METRICS, file_budget, score_summary
from diemtin.ingest import read_sources
from diemtin.parallel import LocalEngine
from diemtin.summarizer.features import cluster_bigrams, cluster_features
from diemtin.summarizer.model import DEFAULT_MODEL, Scorer, save_scorer
from diemtin.summarizer.prepare import PreparedCluster, prepare_clusters
from diemtin.summarizer.selection import bigrams, select_sentences
from diemtin.text.normalize import syllables

SEED = 0


@dataclass(slots=True)
class TrainingCluster:
    prepared: PreparedCluster
    X: np.ndarray
    sentence_labels: np.ndarray
    bigram_keys: list
    bigram_rows: np.ndarray
    bigram_labels: np.ndarray


def make_training_cluster(prepared: PreparedCluster) -> TrainingCluster:
    refs = [bigrams(syllables(r)) for r in prepared.cluster.references]
    X = cluster_features(prepared)
    sentence_labels = np.array([
        statistics.fmean(
            sum(b in ref for b in zip(c.syllables, c.syllables[1:])) / max(len(c.syllables) - 1, 1) for ref in refs
        )
        for c in prepared.candidates
    ])
    keys, rows = cluster_bigrams(prepared, X) if prepared.candidates else ([], np.zeros((0, 0)))
    bigram_labels = np.array([statistics.fmean(b in ref for ref in refs) for b in keys])
    return TrainingCluster(prepared, X, sentence_labels, keys, rows, bigram_labels)


def fit(clusters: list[TrainingCluster]) -> Scorer:
    used = [c for c in clusters if c.bigram_keys]
    bigram_model = HistGradientBoostingRegressor(
        max_iter=200, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=100, random_state=SEED
    ).fit(np.vstack([c.bigram_rows for c in used]), np.concatenate([c.bigram_labels for c in used]))
    sentence_model = HistGradientBoostingRegressor(
        max_iter=300, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=40, l2_regularization=1.0,
        random_state=SEED,
    ).fit(np.vstack([c.X for c in used]), np.concatenate([c.sentence_labels for c in used]))
    return Scorer(bigram_model, sentence_model)


def choose_with(scorer: Scorer, c: TrainingCluster, budget: int) -> list:
    """The candidates ``scorer`` chooses for a cluster, in reading order."""
    if not c.bigram_keys:
        return []
    weights = dict(zip(c.bigram_keys, scorer.bigram_model.predict(c.bigram_rows)))
    return select_sentences(c.prepared.candidates, weights, scorer.sentence_model.predict(c.X), budget)


def summarise_with(scorer: Scorer, c: TrainingCluster, budget: int) -> str:
    return "\n".join(x.sentence.text for x in choose_with(scorer, c, budget))


def load(paths: list[str], jobs: int | None) -> dict[str, list[TrainingCluster]]:
    data = {}
    with LocalEngine(jobs) as engine:
        for path in paths:
            batch = read_sources([path])
            for problem in batch.problems:
                print(f"warning: {problem}", file=sys.stderr)
            prepared = prepare_clusters(batch.clusters, engine)
            data[path] = [make_training_cluster(p)
                          for p in tqdm(prepared, total=len(batch.clusters), desc=Path(path).name)]
    return data


Scores = dict[int, dict[str, float]]  # budget -> metric -> F1 in percent


def _own_budget(clusters: list[TrainingCluster]) -> int:
    """EVALUATION.md's budget for a file: the median reference length."""
    return file_budget([c.prepared.cluster.references for c in clusters])


def _budgets(clusters: list[TrainingCluster], extra: list[int]) -> list[int]:
    return sorted({_own_budget(clusters), *extra})


def _mean(scores: list[dict]) -> dict[str, float]:
    return {m: 100 * statistics.fmean(s[m].f1 for s in scores) for m in METRICS}


def _score(scorer: Scorer, clusters: list[TrainingCluster], budgets: list[int]) -> dict[int, list[dict]]:
    return {b: [score_summary(summarise_with(scorer, c, b), c.prepared.cluster.references, b) for c in clusters]
            for b in budgets}


def cross_validate(data: dict[str, list[TrainingCluster]], folds: int, budgets: list[int] = ()) -> dict[str, Scores]:
    results = {}
    for path, clusters in data.items():
        others = [c for p, cs in data.items() if p != path for c in cs]
        file_budgets = _budgets(clusters, list(budgets))
        order = np.random.default_rng(SEED).permutation(len(clusters))
        scores: dict[int, list[dict]] = {b: [] for b in file_budgets}
        for k in range(folds):
            test = set(order[k::folds].tolist())
            scorer = fit(others + [c for i, c in enumerate(clusters) if i not in test])
            for b, found in _score(scorer, [clusters[i] for i in sorted(test)], file_budgets).items():
                scores[b].extend(found)
        results[path] = {b: _mean(found) for b, found in scores.items()}
        own = _own_budget(clusters)
        print(f"{Path(path).name}: held-out {folds}-fold F1 "
              + "  ".join(f"{m} {v:.2f}" for m, v in results[path][own].items()))
    return results


def cross_corpus(data: dict[str, list[TrainingCluster]], budgets: list[int] = ()) -> dict[str, Scores]:
    """Each file scored by a model trained on the other files only."""
    results = {}
    for path, clusters in data.items():
        scorer = fit([c for p, cs in data.items() if p != path for c in cs])
        results[path] = {b: _mean(found) for b, found in _score(scorer, clusters, _budgets(clusters, list(budgets))).items()}
        print(f"{Path(path).name}: cross-corpus F1 (trained on the other files) "
              + "  ".join(f"{m} {v:.2f}" for m, v in results[path][_own_budget(clusters)].items()))
    return results


def baselines(data: dict[str, list[TrainingCluster]], budgets: list[int] = ()) -> dict[str, dict[str, Scores]]:
    """Lead and lead round-robin at the same budgets, as ``diemtin eval --system NAME --length B``
    scores them (on the raw text, as EVALUATION.md defines the baselines)."""
    from diemtin.evaluate.summaries import evaluate_file  # noqa: PLC0415

    return {path: {system: {b: {m: v["f1"] for m, v in evaluate_file(path, system, length=b).scores.items()}
                            for b in _budgets(clusters, list(budgets))}
                   for system in ("lead", "lead-rr")}
            for path, clusters in data.items()}


def table(data, columns: dict[str, dict[str, Scores]]) -> str:
    """A Markdown table: one row per file and budget, R1 / R2 / RL of each system."""
    names = list(columns)
    lines = ["| file | budget | " + " | ".join(f"{n} R1 / R2 / RL" for n in names) + " |",
             "|---|---|" + "---|" * len(names)]
    for path, clusters in data.items():
        own = _own_budget(clusters)
        for b in sorted(next(iter(columns.values()))[path]):
            cells = [" / ".join(f"{columns[n][path][b][m]:.2f}" for m in METRICS) for n in names]
            lines.append(f"| {Path(path).name} | {b}{' (own)' if b == own else ''} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/train_scorer.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", help="cluster JSONL files with human summaries (the dev files)")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL, help="where to write the model")
    parser.add_argument("--cv", type=int, default=0, metavar="K", help="report K-fold held-out ROUGE instead of training")
    parser.add_argument("--jobs", type=int, default=None, help="processes for segmentation")
    parser.add_argument("--cross", action="store_true", help="report each file scored by a model trained on the others")
    parser.add_argument("--budgets", type=int, nargs="+", default=[], metavar="N",
                        help="also score at these budgets (syllables)")
    parser.add_argument("--baselines", action="store_true", help="add lead and lead round-robin to the table")
    args = parser.parse_args(argv)
    if args.cross and len(args.files) < 2:
        parser.error("--cross needs two files or more: each is scored by a model trained on the others")
    data = load(args.files, args.jobs)
    if args.cv or args.cross:
        columns = {}
        if args.cv:
            columns[f"{args.cv}-fold"] = cross_validate(data, args.cv, args.budgets)
        if args.cross:
            columns["cross-corpus"] = cross_corpus(data, args.budgets)
        if args.baselines:
            found = baselines(data, args.budgets)
            for system in ("lead", "lead-rr"):
                columns[system] = {path: found[path][system] for path in data}
        print(table(data, columns))
        return 0
    scorer = fit([c for cs in data.values() for c in cs])
    scorer.trained_on = [Path(f).name for f in args.files]
    save_scorer(scorer, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

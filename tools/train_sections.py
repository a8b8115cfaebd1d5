"""Train the story-section classifier shipped in ``diemtin.sections`` and report its cross-validated figures.

    python tools/train_sections.py ../shared/data/mds/abmusu-train.jsonl            # CV figures, then train and write
    python tools/train_sections.py ../shared/data/mds/abmusu-train.jsonl --cv-only  # figures only

The labels are the clusters' ``category`` (8 sections). Cross-validation splits by cluster
(stratified, 5 folds, seeds 0, 1 and 2): a cluster's articles are never on both sides. Each
test cluster is classified as the product classifies a story, by its articles' summed
decision values. The settings (syllable 1-2-grams, sublinear TF, min_df 2, LinearSVC C 0.3,
balanced class weights) were chosen on seed 0's folds among a dozen variants (session notes
in docs/BENCHMARKS.md), so seeds 1 and 2 are the fairer figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, classification_report, f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from diemtin.ingest import read_sources
from diemtin.sections import DEFAULT_MODEL, SectionModel, article_text, save_model, story_decisions

SEEDS = (0, 1, 2)


def make_model(texts: list[str], labels: list[str], sections: list[str], trained_on: list[str]) -> SectionModel:
    vectorizer = TfidfVectorizer(lowercase=True, token_pattern=r"(?u)\b\w+\b", ngram_range=(1, 2),
                                 sublinear_tf=True, min_df=2, dtype=np.float32)
    X = vectorizer.fit_transform(texts)
    classifier = LinearSVC(C=0.3, class_weight="balanced").fit(X, [sections.index(y) for y in labels])
    classifier.classes_ = np.arange(len(sections))
    return SectionModel(vectorizer, classifier, sections, trained_on)


def load(path: str):
    categories = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            obj = json.loads(line)
            if obj.get("category"):
                categories[str(obj["id"])] = obj["category"]
    batch = read_sources([path])
    clusters = [c for c in batch.clusters if c.id in categories]
    if not clusters:
        sys.exit(f"{path}: no cluster has a 'category'")
    return clusters, [categories[c.id] for c in clusters]


def cross_validate(clusters, labels, sections, seed: int) -> list[str]:
    predicted = [""] * len(clusters)
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    for train, test in folds.split(np.zeros(len(labels)), labels):
        texts = [article_text(a) for i in train for a in clusters[i].articles]
        ys = [labels[i] for i in train for _ in clusters[i].articles]
        model = make_model(texts, ys, sections, [])
        for i in test:
            predicted[i] = sections[int(story_decisions(model, clusters[i].articles).argmax())]
    return predicted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--cv-only", action="store_true")
    args = parser.parse_args()
    clusters, labels = load(args.file)
    sections = sorted(set(labels))
    print(f"{len(clusters)} clusters, {sum(len(c.articles) for c in clusters)} articles, sections: "
          + ", ".join(f"{s} {labels.count(s)}" for s in sections))
    accuracies, macros = [], []
    for seed in SEEDS:
        predicted = cross_validate(clusters, labels, sections, seed)
        accuracies.append(accuracy_score(labels, predicted))
        macros.append(f1_score(labels, predicted, average="macro"))
        print(f"seed {seed}: accuracy {accuracies[-1]:.3f}  macro-F1 {macros[-1]:.3f}")
        if seed == SEEDS[-1]:
            print(classification_report(labels, predicted, digits=3, zero_division=0))
    print(f"5-fold by cluster, seeds {SEEDS}: accuracy {statistics.fmean(accuracies):.3f}  "
          f"macro-F1 {statistics.fmean(macros):.3f}  (seeds 1-2 only: {statistics.fmean(accuracies[1:]):.3f} / "
          f"{statistics.fmean(macros[1:]):.3f})")
    if not args.cv_only:
        texts = [article_text(a) for c in clusters for a in c.articles]
        ys = [y for c, y in zip(clusters, labels) for _ in c.articles]
        save_model(make_model(texts, ys, sections, [Path(args.file).name]), args.out)
        print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

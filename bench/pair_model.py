"""Issue 26's question: does a model over per-field similarities of a pair beat one threshold?

    python bench/pair_model.py ../shared/data/mds/vims-dev.jsonl ../shared/data/mds/abmusu-train.jsonl \
        --background ../shared/data/baomoi-2017.jsonl.gz

Per pair of articles: TF-IDF cosines of the title words, the lead words (sapo and first 600
characters), the names, the body's syllables, the numbers, the product's own vector
(``represent.article_terms``), and whether the headlines name different days or years; IDF from both
files and 2,000 background articles (seed 0). A logistic regression over them, trained on
every pair of the training stories (positive: same gold story), scores pairs; average link over
the probabilities, cut at each threshold, makes the stories.

- 5-fold, split by gold story: train on four folds' pairs, cluster the fifth fold's articles
  alone; the product (``cluster_articles``, default settings) clusters the same folds.
- cross-corpus: train on one file, cluster the other file's whole pool (the
  ``diemtin eval-clusters`` protocol; compare with its figures).
"""

from __future__ import annotations

import argparse
import random
import re

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.preprocessing import normalize

from diemtin.cluster.represent import LEAD_CHARS, article_terms, is_name
from diemtin.cluster.stories import cluster_articles, headline_days, other_days
from diemtin.evaluate.clusters import bcubed
from diemtin.ingest import read_sources
from diemtin.text.segment import segment_words, split_sentences

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
SYLLABLE = re.compile(r"\w+")
FIELDS = ["title", "lead", "names", "body", "numbers", "product"]
THRESHOLDS = [0.03, 0.06, 0.1, 0.15, 0.2, 0.3]


def words(text: str) -> list[tuple[str, bool]]:
    return [(w, is_name(w, p == 0)) for s in split_sentences(text, join_quotes=False)
            for p, w in enumerate(segment_words(s, lowercase=False))]


def fields(article) -> dict:
    title = words(article.title)
    lead = words(" ".join(x for x in (article.sapo, article.text[:LEAD_CHARS]) if x))
    return {
        "title": [w.lower() for w, _ in title],
        "lead": [w.lower() for w, _ in lead],
        "names": [w.lower() for w, name in title + lead if name],
        "body": SYLLABLE.findall(article.text.lower()),
        "numbers": NUMBER.findall(" ".join([article.title, article.sapo or "", article.text])),
        "product": article_terms(article),
        "days": headline_days(article.title),
    }


def cosines(lists: list[list[str]], background: list[list[str]]) -> np.ndarray:
    hasher = HashingVectorizer(analyzer=lambda x: x, n_features=2**20, alternate_sign=False, norm=None)
    counts = hasher.transform(lists).tocsr().astype(float)
    frequency = np.bincount(hasher.transform(lists + background).indices, minlength=2**20)
    idf = np.log((1 + len(lists) + len(background)) / (1 + frequency)) + 1
    counts.data = 1 + np.log(counts.data)
    vectors = normalize(counts @ sparse.diags(idf))
    return (vectors @ vectors.T).toarray()


def pair_features(articles: list[dict], background: list[dict]) -> np.ndarray:
    layers = [cosines([a[f] for a in articles], [b[f] for b in background]) for f in FIELDS]
    days = [a["days"] for a in articles]
    layers.append(np.array([[float(other_days(x, y)) for y in days] for x in days]))
    return np.stack(layers, axis=-1)


def pairs(features: np.ndarray, gold: np.ndarray, rows: np.ndarray):
    upper = np.triu_indices(len(rows), 1)
    return features[np.ix_(rows, rows)][upper], (gold[rows][:, None] == gold[rows][None, :])[upper]


def stories_of(model, features: np.ndarray, ids: np.ndarray, rows: np.ndarray, threshold: float) -> dict:
    sub = features[np.ix_(rows, rows)]
    p = model.predict_proba(sub.reshape(-1, sub.shape[-1]))[:, 1].reshape(len(rows), len(rows))
    distance = 1 - (p + p.T) / 2
    np.fill_diagonal(distance, 0)
    labels = fcluster(linkage(squareform(distance, checks=False), "average"), 1 - threshold, "distance")
    return dict(zip(ids[rows], labels))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs=2, help="two cluster JSONL files")
    parser.add_argument("--background", required=True)
    args = parser.parse_args()
    background = read_sources([args.background]).articles
    random.Random(0).shuffle(background)
    background = [fields(a) for a in background[:2000]]
    data = {}
    for path in args.files:
        labelled = [(a, c.id) for c in read_sources([path]).clusters for a in c.articles]
        ids, gold = np.array([a.id for a, _ in labelled]), np.array([g for _, g in labelled])
        data[path] = (labelled, ids, gold, pair_features([fields(a) for a, _ in labelled], background))
    for path, (labelled, ids, gold, features) in data.items():
        stories = np.unique(gold)
        model_f1 = {t: [] for t in THRESHOLDS}
        product_f1 = []
        for train, test in KFold(5, shuffle=True, random_state=0).split(stories):
            train_rows = np.where(np.isin(gold, stories[train]))[0]
            test_rows = np.where(np.isin(gold, stories[test]))[0]
            model = LogisticRegression(max_iter=2000).fit(*pairs(features, gold, train_rows))
            truth = dict(zip(ids[test_rows], gold[test_rows]))
            for t in THRESHOLDS:
                model_f1[t].append(bcubed(stories_of(model, features, ids, test_rows, t), truth)[2])
            found = cluster_articles([labelled[i][0] for i in test_rows])
            product_f1.append(bcubed({a: s.id for s in found for a in s.article_ids}, truth)[2])
        print(f"{path} 5-fold by story, each fold clustered alone: product {100 * np.mean(product_f1):.2f}; model "
              + " ".join(f"{t}: {100 * np.mean(v):.2f}" for t, v in model_f1.items()), flush=True)
    for source, target in (args.files, args.files[::-1]):
        _, _, gold, features = data[source]
        model = LogisticRegression(max_iter=2000).fit(*pairs(features, gold, np.arange(len(gold))))
        _, ids, gold, features = data[target]
        rows, truth = np.arange(len(ids)), dict(zip(ids, gold))
        print(f"trained on {source}, {target} pooled: "
              + " ".join(f"{t}: {100 * bcubed(stories_of(model, features, ids, rows, t), truth)[2]:.2f}"
                         for t in THRESHOLDS), flush=True)


if __name__ == "__main__":
    main()

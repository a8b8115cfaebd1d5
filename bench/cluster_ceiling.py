"""How far standard TF-IDF agglomerative clustering gets on a dev file when tuned on it alone.

    python bench/cluster_ceiling.py ../shared/data/mds/abmusu-train.jsonl

Syllable TF-IDF (IDF fitted on the file itself) of title + lead or title + whole text, unigrams
or uni+bigrams, average or complete link, every distance threshold from 0.01 to 0.50 similarity:
prints the best pooled B-cubed F1 (P, R, similarity threshold) of each family. A figure here is
tuned on the file it is scored on, so it is a ceiling for these families, not a result.
"""

from __future__ import annotations

import argparse

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from diemtin.evaluate.clusters import bcubed
from diemtin.ingest import read_sources


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", help="cluster JSONL")
    args = parser.parse_args()
    labelled = [(a, c.id) for c in read_sources([args.file]).clusters for a in c.articles]
    gold = {a.id: g for a, g in labelled}
    for field in ("title+lead", "title+text"):
        docs = [" ".join([a.title, a.title, a.sapo or "", a.text[:600] if field == "title+lead" else a.text]).lower()
                for a, _ in labelled]
        for ngrams in ((1, 1), (1, 2)):
            vectors = TfidfVectorizer(ngram_range=ngrams, sublinear_tf=True, max_df=0.3).fit_transform(docs)
            distance = np.clip(1 - (vectors @ vectors.T).toarray(), 0, None)
            np.fill_diagonal(distance, 0)
            for linkage in ("average", "complete"):
                best = (0.0, 0.0, 0.0, 0.0)
                for similarity in np.arange(0.01, 0.51, 0.01):
                    labels = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage=linkage,
                                                     distance_threshold=1 - similarity).fit_predict(distance)
                    p, r, f1 = bcubed({a.id: int(l) for (a, _), l in zip(labelled, labels)}, gold)
                    best = max(best, (f1, p, r, similarity))
                f1, p, r, similarity = best
                print(f"{field:10} ngrams {ngrams} {linkage:8} F1 {100 * f1:.2f}  P {100 * p:.2f}  R {100 * r:.2f}"
                      f"  similarity >= {similarity:.2f}", flush=True)


if __name__ == "__main__":
    main()

"""Build the background document frequencies every story state starts from.

    python tools/build_frequencies.py ../shared/data/baomoi-2017.jsonl.gz

IDF from a small batch is meaningless (in a batch of two articles every shared word looks
common), so story states start from hashed term counts of a general news corpus: the
35,440 unlabelled baomoi-2017 articles. Only counts of hashed columns are kept (no text,
no vocabulary), in ``diemtin/cluster/data/frequencies.npz``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from diemtin.cluster.represent import BACKGROUND, DocumentFrequencies, article_terms, hash_terms
from diemtin.ingest import read_sources
from diemtin.parallel import LocalEngine, default_jobs

CHUNK = 500


def _column_counts(articles) -> np.ndarray:
    counts = hash_terms([article_terms(a) for a in articles])
    counts.data[:] = 1
    return np.asarray(counts.sum(axis=0)).ravel().astype(np.int32)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/build_frequencies.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--out", type=Path, default=BACKGROUND)
    parser.add_argument("--jobs", type=int, default=default_jobs())
    args = parser.parse_args(argv)
    articles = read_sources(args.files).articles
    chunks = [articles[i : i + CHUNK] for i in range(0, len(articles), CHUNK)]
    frequencies = DocumentFrequencies.empty()
    with LocalEngine(args.jobs) as engine:
        for done, counts in enumerate(engine.imap(_column_counts, chunks), start=1):
            frequencies.counts += counts
            print(f"\r{done}/{len(chunks)} chunks", end="", file=sys.stderr, flush=True)
    frequencies.documents = len(articles)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    nonzero = np.flatnonzero(frequencies.counts)
    np.savez_compressed(args.out, columns=nonzero.astype(np.int32), counts=frequencies.counts[nonzero],
                        documents=np.array([frequencies.documents]))
    print(f"\nwrote {args.out}: {len(articles)} articles, {len(nonzero)} columns, "
          f"{args.out.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

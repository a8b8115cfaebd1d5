"""Time batch story clustering (duplicates, segmentation, vectors, clustering) at growing sizes.

    python bench/cluster_scale.py ../shared/data/baomoi-2017.jsonl.gz --sizes 5000 10000 20000 0

0 means all articles. Prints, per size: articles, duplicates found, stories, wall time, and
peak memory of the process, so growth can be read off.
"""

from __future__ import annotations

import argparse
import resource
import time

from diemtin.cluster.stories import ClusterConfig, StoryState, add_articles
from diemtin.ingest import read_sources
from diemtin.parallel import LocalEngine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000, 0])
    args = parser.parse_args()
    start = time.perf_counter()
    articles = read_sources([args.file]).articles
    print(f"read {len(articles)} articles in {time.perf_counter() - start:.1f} s", flush=True)
    for size in args.sizes:
        subset = articles[:size] if size else articles
        state = StoryState.new(ClusterConfig())
        start = time.perf_counter()
        with LocalEngine() as engine:
            add_articles(state, subset, engine=engine)
        elapsed = time.perf_counter() - start
        heads = sum(len(s.groups) for s in state.stories)
        # Workers that segment words in parallel are children: their peak is reported apart.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"articles {len(subset):6d}  duplicates {len(subset) - heads:5d}  stories {len(state.stories):6d}  "
              f"time {elapsed:7.1f} s  ({1000 * elapsed / len(subset):.1f} ms/article)  peak memory {peak:.0f} MB (largest worker {child_peak:.0f} MB)",
              flush=True)


if __name__ == "__main__":
    main()

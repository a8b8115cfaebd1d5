"""Time summarising every cluster of a cluster JSONL from raw text, segmentation included.

    python bench/summarize_speed.py ../shared/data/mds/vims-dev.jsonl [--jobs 2]

Prints wall time, clusters per second and peak memory (this process plus its largest worker).
Target (issue 2): all 200 vims-dev clusters in under 60 s and 1 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import resource
import time

from diemtin.ingest import read_sources
from diemtin.summarizer import summarize_clusters
from diemtin.parallel import LocalEngine, default_jobs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--length", type=int, default=230)
    args = parser.parse_args()

    start = time.perf_counter()
    clusters = read_sources([args.file]).clusters
    read = time.perf_counter() - start
    with LocalEngine(args.jobs) as engine:
        summaries = list(summarize_clusters(clusters, length=args.length, engine=engine))
    total = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"clusters: {len(summaries)}  articles: {sum(len(c.articles) for c in clusters)}  jobs: {args.jobs}")
    print(f"wall time: {total:.1f} s (reading and cleaning {read:.1f} s)")
    print(f"clusters per second: {len(summaries) / total:.2f}")
    print(f"peak memory: main process {own:.0f} MB, largest worker {worker:.0f} MB, "
          f"all processes at most {own + args.jobs * worker:.0f} MB")


if __name__ == "__main__":
    main()

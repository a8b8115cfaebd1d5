"""Count exact and near-duplicate articles in a corpus and show a few groups.

    python bench/duplicates_report.py ../shared/data/baomoi-2017.jsonl.gz --examples 4
"""

from __future__ import annotations

import argparse
import time

from diemtin.dedup import duplicate_groups, find_duplicates
from diemtin.ingest import read_sources


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--examples", type=int, default=4)
    args = parser.parse_args()
    articles = read_sources(args.files).articles
    start = time.perf_counter()
    head_of = find_duplicates(articles)
    groups = duplicate_groups(articles, head_of)
    elapsed = time.perf_counter() - start
    exact = [g for g in groups if g.exact]
    near = [g for g in groups if not g.exact]
    print(f"articles: {len(articles)}  duplicate articles: {len(head_of)} ({100 * len(head_of) / len(articles):.1f}%)  "
          f"time: {elapsed:.1f} s")
    print(f"groups: {len(groups)} ({len(exact)} exact, {len(near)} with near copies); "
          f"largest: {max((len(g.article_ids) for g in groups), default=0)} articles")
    by_id = {a.id: a for a in articles}
    for kind, chosen in (("exact", exact), ("near", near)):
        for group in chosen[: args.examples]:
            print(f"- {kind}: " + " | ".join(f"{i}: {by_id[i].title[:60]}" for i in group.article_ids[:3]))


if __name__ == "__main__":
    main()

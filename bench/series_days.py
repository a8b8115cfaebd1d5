"""Daily series in one corpus: does a story hold reports of different days?

    python bench/series_days.py ../shared/data/baomoi-2017.jsonl.gz [--limit N] [--save stories.json]
    python bench/series_days.py ../shared/data/baomoi-2017.jsonl.gz --load stories.json

Clusters the corpus as ``diemtin cluster`` does (batch, default settings), then reads each
story's headlines with ``digest.series_key`` ("Giá vàng hôm nay 7/2: ..." is the series "giá
vàng hôm nay", day 7/2). Prints how many stories hold reports of a series naming two or more
days, the largest such stories, and for the series with most reports how many stories they
make and how many days they name.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict

from diemtin.cluster.stories import ClusterConfig, cluster_articles
from diemtin.digest import series_key
from diemtin.ingest import read_sources
from diemtin.types import Story


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles (0: all)")
    parser.add_argument("--save", help="write the stories' article ids here (JSON)")
    parser.add_argument("--load", help="read the stories from a --save file instead of clustering")
    args = parser.parse_args()
    articles = read_sources([args.file]).articles
    articles = articles[: args.limit] if args.limit else articles
    title = {a.id: a.title for a in articles}
    if args.load:
        stories = [Story(s["id"], s["article_ids"], [], s["title"], [])
                   for s in json.loads(open(args.load, encoding="utf-8").read())]
    else:
        start = time.perf_counter()
        stories = cluster_articles(articles, ClusterConfig())
        print(f"{len(articles)} articles -> {len(stories)} stories in {time.perf_counter() - start:.0f} s")
    if args.save:
        with open(args.save, "w", encoding="utf-8") as out:
            json.dump([{"id": s.id, "article_ids": s.article_ids, "title": s.title} for s in stories], out)
    mixed = []
    reports = defaultdict(list)  # series -> (story id, day) per report
    for story in stories:
        days = defaultdict(set)
        for article_id in story.article_ids:
            if key := series_key(title[article_id]):
                days[key[0]].add(key[1][1:])
                reports[key[0]].append((story.id, key[1][1:]))
        for name, named in days.items():
            if len(named) > 1:
                mixed.append((len(story.article_ids), len(named), name, story.title))
    print(f"stories holding reports of one series that name different days: {len(mixed)}")
    for size, days, name, story_title in sorted(mixed, reverse=True)[:8]:
        print(f"  {size:4d} articles, {days:3d} days of '{name}': {story_title[:70]}")
    print("largest series: reports, days they name, stories they are in")
    for name, found in sorted(reports.items(), key=lambda kv: -len(kv[1]))[:6]:
        stories_of = Counter(s for s, _ in found)
        print(f"  {name[:40]:40} {len(found):4d} reports  {len({d for _, d in found}):3d} days  "
              f"{len(stories_of):4d} stories")


if __name__ == "__main__":
    main()

"""Draw the stories of the facts check set (issue 21): stories the rules were not written on.

    python bench/draw_fact_stories.py --db /tmp/bench/news.db > tests/data/facts/check/stories.json

30 stories of 3+ articles from a store of the 35k corpus (``bench/service_speed.py`` or
``diemtin ingest`` of ``../shared/data/baomoi-2017.jsonl.gz``) and 10 clusters of abmusu-train,
drawn with a fixed seed, and each given its half before anything is labelled: "dev" (rules
may be written against it) or "report" (read only to report). The articles' texts are read in
place from ../shared/data by ``diemtin.evaluate.facts``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diemtin.store import Store  # noqa: E402

SEED = 21
ABMUSU = ROOT.parent / "shared" / "data" / "mds" / "abmusu-train.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a store of baomoi-2017.jsonl.gz")
    parser.add_argument("--stories", type=int, default=30)
    parser.add_argument("--clusters", type=int, default=10)
    args = parser.parse_args()
    rng = random.Random(SEED)
    store = Store.open(args.db)
    large = sorted(s["id"] for s in store.stories(limit=10**6) if s["articles"] >= 3)
    drawn = []
    for story_id in rng.sample(large, args.stories):
        members = store.story(story_id)["members"]
        drawn.append({"story": story_id, "corpus": "baomoi-2017",
                      "articles": [m["id"] for m in members]})  # in the store's order
    clusters = [json.loads(line) for line in ABMUSU.read_text(encoding="utf-8").splitlines() if line.strip()]
    for cluster in rng.sample(clusters, args.clusters):
        drawn.append({"story": cluster["id"], "corpus": "abmusu-train",
                      "articles": [d["id"] for d in cluster["documents"]]})
    halves = ["dev", "report"] * (len(drawn) // 2 + 1)
    order = list(range(len(drawn)))
    rng.shuffle(order)
    for position, index in enumerate(order):
        drawn[index]["half"] = halves[position]
    json.dump({"seed": SEED, "stories": drawn}, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()

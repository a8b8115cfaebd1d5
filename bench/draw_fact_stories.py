"""Draw the stories of the facts check set (issue 21): stories the rules were not written on.

    python bench/draw_fact_stories.py --db /tmp/bench/news.db > tests/data/facts/check/stories.json

30 stories of 3+ articles from a store of the 35k corpus (``bench/service_speed.py`` or
``diemtin ingest`` of ``../shared/data/baomoi-2017.jsonl.gz``) and 10 clusters of abmusu-train,
drawn with a fixed seed, and each given its half before anything is labelled: "dev" (rules
may be written against it) or "report" (read only to report). The articles' texts are read in
place from ../shared/data by ``diemtin.evaluate.facts``.

A second draw for writing rules (``--more second``, seed 23), made after three rounds of rules had
been written against the dev half and the report half still said 0.80 for entities (dev 0.93):
stories sharing no article with the first draw, all given the half "dev2", appended to the
existing stories.json (printed whole):

    python bench/draw_fact_stories.py --db /tmp/weeks.db --more second --stories 20 --clusters 5 \
        > /tmp/stories.json && mv /tmp/stories.json tests/data/facts/check/stories.json

A third (``--more third``, seed 25, half "dev3", 12 stories and 3 clusters), drawn once the
entities' confidences were measured on the dev halves, to label at that code first: a figure of
stories no rule or measure had read, then more rules and measures written against it. A fourth
(``--more fourth``, seed 29, half "dev4", 12 stories and 3 clusters), drawn after ten rounds of
rules, when the report half said 0.87 and the dev halves 0.90 to 0.96: its labels at a596d30's
rules (0.92) say how right the entities are on stories no rule was written on, before its own
rules.

For the numbers outlets give differently (``--differences``): every story of 3+ articles of the
store sharing no article with stories.json, to count how often a difference a page shows is real
on news no number rule was written on (half "35k" of ``check/differences.jsonl``):

    python bench/draw_fact_stories.py --db /tmp/weeks.db --differences > tests/data/facts/check/difference_stories.json
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
MORE = {"second": (23, "dev2"), "third": (25, "dev3"), "fourth": (29, "dev4")}  # draws to write rules on: their seed and half
CHECK = ROOT / "tests" / "data" / "facts" / "check" / "stories.json"
ABMUSU = ROOT.parent / "shared" / "data" / "mds" / "abmusu-train.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a store of baomoi-2017.jsonl.gz")
    parser.add_argument("--stories", type=int, default=30)
    parser.add_argument("--clusters", type=int, default=10)
    parser.add_argument("--more", choices=sorted(MORE),
                        help=f"draw more stories to write rules on (seeds and halves: {MORE}) beside those of {CHECK.name}")
    parser.add_argument("--differences", action="store_true",
                        help="every story of 3+ articles sharing no article with the check stories (numbers that differ)")
    args = parser.parse_args()
    if args.differences:
        taken = {a for story in json.loads(CHECK.read_text(encoding="utf-8"))["stories"] for a in story["articles"]}
        store = Store.open(args.db)
        drawn = []
        for story_id in sorted(s["id"] for s in store.stories(limit=10**6) if s["articles"] >= 3):
            members = sorted(m["id"] for m in store.story(story_id)["members"])
            if not taken & set(members):
                drawn.append({"story": story_id, "corpus": "baomoi-2017", "articles": members})
        json.dump({"stories": drawn}, sys.stdout, ensure_ascii=False, indent=0)
        print()
        return
    earlier = json.loads(CHECK.read_text(encoding="utf-8")) if args.more else {"seed": SEED, "stories": []}
    taken = {a for story in earlier["stories"] for a in story["articles"]}
    rng = random.Random(MORE[args.more][0] if args.more else SEED)
    store = Store.open(args.db)
    large = sorted(s["id"] for s in store.stories(limit=10**6) if s["articles"] >= 3)
    drawn = []
    # the first draw as it was made; the others go on past stories the first already holds
    for story_id in rng.sample(large, len(large) if args.more else args.stories):
        if len(drawn) == args.stories:
            break
        members = [m["id"] for m in store.story(story_id)["members"]]  # in the store's order
        if not taken & set(members):
            drawn.append({"story": story_id, "corpus": "baomoi-2017", "articles": members})
    clusters = [json.loads(line) for line in ABMUSU.read_text(encoding="utf-8").splitlines() if line.strip()]
    clusters = [c for c in clusters if not taken & {d["id"] for d in c["documents"]}]
    for cluster in rng.sample(clusters, args.clusters):
        drawn.append({"story": cluster["id"], "corpus": "abmusu-train",
                      "articles": [d["id"] for d in cluster["documents"]]})
    if args.more:
        seed, half = MORE[args.more]
        for story in drawn:
            story["story"] = f"{args.more}-{story['story']}"  # another store's ids may repeat the first's
            story["half"] = half
        earlier[f"{args.more}_seed"] = seed
    else:
        halves = ["dev", "report"] * (len(drawn) // 2 + 1)
        order = list(range(len(drawn)))
        rng.shuffle(order)
        for position, index in enumerate(order):
            drawn[index]["half"] = halves[position]
    json.dump({**earlier, "stories": earlier["stories"] + drawn}, sys.stdout, ensure_ascii=False, indent=1)
    print()


if __name__ == "__main__":
    main()

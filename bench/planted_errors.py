"""The planted benchmark's precision errors: which unlabelled articles join the labelled stories,
and are they copies of the same reports (the same event for certain) or other articles?

    python bench/planted_errors.py ../shared/data/mds/vims-dev.jsonl ../shared/data/baomoi-2017.jsonl.gz

Clusters exactly as ``diemtin eval-clusters FILE --distractors CORPUS`` does, then, for each
unlabelled article found in a labelled story, measures how much of its text (the 5-syllable
shingles that duplicate detection compares) it shares with the story's labelled articles: its containment, the
share of the smaller text's shingles found in the other. Prints the precision the run would
have if unlabelled articles above a containment were counted as the gold story, and the
stories with most unlabelled articles, with their titles.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict

from diemtin.dedup import _body, _shingles
from diemtin.evaluate.clusters import bcubed, cluster_pooled
from diemtin.parallel import LocalEngine


def shingles(article) -> set[bytes]:
    return _shingles(_body(article))  # as duplicate detection sees the article


def containment(a: set, b: set) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("labelled", help="cluster JSONL (vims-dev, abmusu-train)")
    parser.add_argument("distractors", nargs="+", help="unlabelled articles mixed in")
    parser.add_argument("--examples", type=int, default=8, help="stories to show (default 8)")
    args = parser.parse_args()

    with LocalEngine() as engine:
        run = cluster_pooled(args.labelled, args.distractors, engine=engine)
    gold, predicted = run.gold, run.predicted
    by_id = {a.id: a for a in run.pool}
    members: dict[str, list[str]] = defaultdict(list)
    for article, story in predicted.items():
        members[story].append(article)
    p, r, f = bcubed(predicted, gold)
    print(f"B-cubed P {100 * p:.2f}  R {100 * r:.2f}  F1 {100 * f:.2f} over {len(gold)} labelled of {len(run.pool)}")

    joined = []  # (story, gold story of its labelled articles, distractor id, containment)
    for story, ids in members.items():
        labelled = [i for i in ids if i in gold]
        others = [i for i in ids if i not in gold]
        if not labelled or not others:
            continue
        label = statistics.mode(gold[i] for i in labelled)
        texts = [shingles(by_id[i]) for i in labelled]
        for other in others:
            own = shingles(by_id[other])
            joined.append((story, label, other, max(containment(own, t) for t in texts)))
    print(f"{len(joined)} unlabelled articles in {len({j[0] for j in joined})} stories with labelled articles")
    for floor in (0.5, 0.2, 0.1):
        counted = dict(gold)
        counted.update((other, label) for _, label, other, c in joined if c >= floor)
        precision = statistics.fmean(
            sum(counted.get(o) == gold[a] for o in members[predicted[a]]) / len(members[predicted[a]]) for a in gold)
        print(f"  containment >= {floor}: {sum(c >= floor for *_, c in joined):4d} articles; "
              f"precision if counted as the gold story {100 * precision:.2f}")
    stories: dict[str, list] = defaultdict(list)
    for j in joined:
        stories[j[0]].append(j)
    for rows in sorted(stories.values(), key=len, reverse=True)[: args.examples]:
        story, label = rows[0][:2]
        labelled = [i for i in members[story] if i in gold]
        print(f"\n{label}: {len(labelled)} labelled, {len(rows)} unlabelled; {by_id[labelled[0]].title}")
        for _, _, other, c in sorted(rows, key=lambda j: -j[3])[:4]:
            print(f"  {c:.2f}  {by_id[other].title[:100]}")


if __name__ == "__main__":
    main()

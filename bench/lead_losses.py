"""Where diemtin loses to lead round-robin, cluster by cluster, and why (issue 25).

    PYTHONHASHSEED=1 python bench/lead_losses.py ../shared/data/mds/vims-dev.jsonl ../shared/data/mds/abmusu-train.jsonl

Each file is summarised at its own budget by a model trained on the other file only (the
cross-corpus protocol of ``tools/train_scorer.py --cross``) and compared, cluster by cluster, with
the published lead round-robin summaries beside it (``FILE.lead-rr.summaries.jsonl``), by R2 F1.
For each cluster: how much its openings agree (``lead_agreement``), the share of the references'
bigrams the outlets' openings hold against the share the rest of the articles hold, and how many
of the sentences diemtin chose are openings. Printed: the counts of losses by how much the
openings agree, and the 15 largest losses.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import train_scorer  # noqa: E402

from diemtin.evaluate.rouge import score_summary  # noqa: E402
from diemtin.summarizer.features import BIGRAM_FEATURES, LEAD_SENTENCES  # noqa: E402
from diemtin.summarizer.selection import bigrams  # noqa: E402
from diemtin.text.normalize import syllables  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs=2)
    args = parser.parse_args()
    data = train_scorer.load(args.files, None)
    for path, clusters in data.items():
        scorer = train_scorer.fit([c for p, cs in data.items() if p != path for c in cs])
        budget = train_scorer._own_budget(clusters)
        published = {}
        for line in Path(path.replace(".jsonl", ".lead-rr.summaries.jsonl")).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            published[row["id"]] = row["summary"]
        rows = []
        for c in clusters:
            if not c.bigram_keys:
                continue
            chosen = train_scorer.choose_with(scorer, c, budget)
            refs = c.prepared.cluster.references
            ours = score_summary("\n".join(x.sentence.text for x in chosen), refs, budget)["rouge2"].f1
            theirs = score_summary(published[c.prepared.cluster.id], refs, budget)["rouge2"].f1
            ref_bigrams = set().union(*(bigrams(syllables(r)) for r in refs))
            openings = set().union(*[bigrams(x.syllables) for x in c.prepared.candidates if x.position < LEAD_SENTENCES])
            rest = set().union(*[bigrams(x.syllables) for x in c.prepared.candidates if x.position >= LEAD_SENTENCES])
            rows.append({
                "id": c.prepared.cluster.id, "margin": 100 * (ours - theirs),
                "agreement": float(c.bigram_rows[0, BIGRAM_FEATURES.index("lead_agreement")]),
                "refs_in_openings": len(ref_bigrams & openings) / max(len(ref_bigrams), 1),
                "refs_in_rest": len(ref_bigrams & rest) / max(len(ref_bigrams), 1),
                "openings_chosen": sum(x.position < LEAD_SENTENCES for x in chosen) / max(len(chosen), 1),
            })
        losses = [r for r in rows if r["margin"] < 0]
        print(f"\n{Path(path).name} (budget {budget}, model trained on the other file): diemtin loses to lead-rr on "
              f"{len(losses)} of {len(rows)} clusters (mean margin of those {statistics.fmean(r['margin'] for r in losses):.2f} R2)")
        print("\n| openings agree | clusters | lost | mean R2 margin | references' bigrams in openings / rest "
              "| openings among diemtin's sentences |")
        print("|---|---|---|---|---|---|")
        for low, high in ((0, 0.2), (0.2, 0.35), (0.35, 1.01)):
            band = [r for r in rows if low <= r["agreement"] < high]
            lost = [r for r in band if r["margin"] < 0]
            if band:
                print(f"| {low:.2f}-{min(high, 1):.2f} | {len(band)} | {len(lost)} | "
                      f"{statistics.fmean(r['margin'] for r in band):+.2f} | "
                      f"{statistics.fmean(r['refs_in_openings'] for r in band):.2f} / {statistics.fmean(r['refs_in_rest'] for r in band):.2f} | "
                      f"{statistics.fmean(r['openings_chosen'] for r in band):.2f} |")
        print("\n| cluster | R2 margin | openings agree | references' bigrams in openings / rest | openings among diemtin's |")
        print("|---|---|---|---|---|")
        for r in sorted(losses, key=lambda r: r["margin"])[:15]:
            print(f"| {r['id']} | {r['margin']:+.2f} | {r['agreement']:.2f} | {r['refs_in_openings']:.2f} / "
                  f"{r['refs_in_rest']:.2f} | {r['openings_chosen']:.2f} |")


if __name__ == "__main__":
    main()

"""How many of the summary sentences diemtin chooses are fragments, and its ROUGE, on cluster files.

    python bench/fragments.py ../shared/data/mds/vims-dev.jsonl ../shared/data/mds/abmusu-train.jsonl [--unfiltered]

A fragment is what a reader does not read as a sentence (issue 24): a subheading, a caption or
a cut-off line. Two checks, counted apart: the text does not end like a sentence (no full stop,
question or exclamation mark or ellipsis before any closing quotes and brackets), and
underthesea's POS tagger finds no verb or adjective (a Vietnamese predicate) in it. Each file is summarised at its own budget with
the shipped model, as ``diemtin eval`` does; the ROUGE F1 printed is ``diemtin eval``'s.
Also counted (issue 25): sentences that need the one before them ("Tuy nhiên, ...", "Ông này
...", ``features.needs_predecessor``) chosen without it.
"""

from __future__ import annotations

import argparse
import statistics
import time

from diemtin.evaluate.rouge import METRICS, file_budget, score_summary
from diemtin.ingest import read_sources
from diemtin.parallel import LocalEngine, default_jobs
from diemtin.summarizer import summarize_clusters
from diemtin.summarizer.features import needs_predecessor
from diemtin.text.tagger import has_predicate
from diemtin.text.sentences import ends_like_sentence


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="+")
    parser.add_argument("--jobs", type=int, default=default_jobs())
    parser.add_argument("--show", type=int, default=0, help="print this many fragments of each file")
    parser.add_argument("--unfiltered", action="store_true",
                        help="the 'before' figure: choose among all candidates, fragments included")
    args = parser.parse_args()
    if args.unfiltered:
        from diemtin.summarizer import selection, summarizers

        summarizers.select_sentences = selection.select_by_coverage
    for path in args.files:
        clusters = [c for c in read_sources([path]).clusters if c.references]
        budget = file_budget([c.references for c in clusters])
        start = time.perf_counter()
        with LocalEngine(args.jobs) as engine:
            summaries = list(summarize_clusters(clusters, length=budget, engine=engine))
        seconds = time.perf_counter() - start
        sentences = [s.text for summary in summaries for s in summary.sentences]
        open_end = [s for s in sentences if not ends_like_sentence(s)]
        verbless = [s for s in sentences if not has_predicate(s)]
        either = {*open_end, *verbless}
        dangling = []
        for summary in summaries:
            chosen = {(x.article_id, x.sentence_index) for x in summary.sentences}
            dangling += [s.text for s in summary.sentences
                         if needs_predecessor(s.text) and (s.article_id, s.sentence_index - 1) not in chosen]
        scores = [score_summary(s.text, c.references, budget) for s, c in zip(summaries, clusters)]
        rouge = " / ".join(f"{100 * statistics.fmean(x[m].f1 for x in scores):.2f}" for m in METRICS)
        print(f"{path} (B = {budget}, {len(clusters)} clusters, summarised in {seconds:.1f} s)")
        print(f"  sentences chosen: {len(sentences)}; not ending like a sentence: {len(open_end)}; "
              f"no verb or adjective: {len(verbless)}; fragments (either): {len(either)} ({100 * len(either) / len(sentences):.1f}%)")
        print(f"  needing the sentence before, chosen without it: {len(dangling)}")
        print(f"  ROUGE-1 / 2 / L F1: {rouge}")
        for text in sorted(either)[:args.show] + dangling[:args.show]:
            print("   -", text[:120])


if __name__ == "__main__":
    main()

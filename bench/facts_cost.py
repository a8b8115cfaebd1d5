"""CPU time of the facts step per article, on the facts check set's 40 stories (228 articles).

    python bench/facts_cost.py            # one core, underthesea loaded first, best of --repeat

Runs ``pipeline.story_facts`` (the store's and the web app's path) on every check story and
prints CPU seconds per article. To compare two versions, run it from each checkout.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diemtin.evaluate.facts import check_stories  # noqa: E402
from diemtin.pipeline import story_facts  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    stories = [articles for _, articles in check_stories()]
    count = sum(len(s) for s in stories)
    story_facts(stories[0][:1])  # load the tagger and the word lists
    best = None
    for _ in range(args.repeat):
        start = time.process_time()
        for articles in stories:
            story_facts(articles)
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    print(f"{count} articles in {len(stories)} stories: {best:.1f} s CPU, {best / count:.3f} s per article")


if __name__ == "__main__":
    main()

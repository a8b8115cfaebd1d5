"""CPU time of the facts step per article, on every story of the facts check set (80, 547 articles).

    python bench/facts_cost.py                 # one core, underthesea loaded first, best of --repeat
    python bench/facts_cost.py --underthesea   # also with underthesea's own pos_tag and ner

Runs ``pipeline.story_facts`` (the store's and the web app's path) on every check story and
prints CPU seconds per article. To compare two versions, run it from each checkout.
``--underthesea`` runs it a second time with underthesea's ``pos_tag`` and ``ner`` in place of
``text.tagger``'s (which give the same tags faster) and says whether the facts are the same;
run it with a fixed ``PYTHONHASHSEED`` for that comparison. The memory of sentences' words and
tags is emptied before every round.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from diemtin.evaluate.facts import check_stories  # noqa: E402
from diemtin.pipeline import story_facts  # noqa: E402
from diemtin.text import tagger  # noqa: E402


def best_of(stories, repeat: int) -> tuple[float, str]:
    best, made = None, []
    for _ in range(repeat):
        tagger.forget_sentences()
        start = time.process_time()
        made = [story_facts(articles) for articles in stories]
        spent = time.process_time() - start
        best = spent if best is None else min(best, spent)
    return best, json.dumps(made, ensure_ascii=False, sort_keys=True, default=str)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--underthesea", action="store_true", help="compare with underthesea's own pos_tag and ner")
    args = parser.parse_args()
    stories = [articles for _, articles in check_stories()]
    count = sum(len(s) for s in stories)
    story_facts(stories[0][:1])  # load the tagger and the word lists
    best, facts = best_of(stories, args.repeat)
    print(f"{count} articles in {len(stories)} stories: {best:.1f} s CPU, {best / count:.3f} s per article")
    if args.underthesea:
        import underthesea  # noqa: PLC0415

        fast = tagger.pos_tag, tagger.ner
        tagger.pos_tag, tagger.ner = underthesea.pos_tag, lambda text, tagged=None: underthesea.ner(text)
        try:
            slow, their_facts = best_of(stories, args.repeat)
        finally:
            tagger.pos_tag, tagger.ner = fast
        print(f"with underthesea's pos_tag and ner: {slow:.1f} s CPU, {slow / count:.3f} s per article "
              f"({slow / best:.1f} times); the same facts: {facts == their_facts}")


if __name__ == "__main__":
    main()

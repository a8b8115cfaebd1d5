"""Precision and recall of the fact extractors against the hand-checked set in tests/data/facts.

    python -m diemtin.evaluate.facts          # prints the table recorded in docs/BENCHMARKS.md
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from diemtin.times import parse_time
from diemtin.facts import extract_facts
from diemtin.facts.entities import sentence_mentions
from diemtin.facts.timeline import find_dates
from diemtin.ingest import read_sources
from diemtin.text.sentences import article_sentences

ROOT = Path(__file__).resolve().parents[3]
GOLD = ROOT / "tests" / "data" / "facts" / "gold.json"
ARTICLES = [ROOT / "tests" / "data" / "facts" / "articles.jsonl", ROOT / "examples" / "seeds"]


@dataclass(slots=True)
class Score:
    true_positives: int
    predicted: int
    gold: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.gold if self.gold else 0.0

    def row(self, name: str) -> str:
        return (f"| {name} | {self.gold} | {self.predicted} | {self.true_positives} | "
                f"{self.precision:.2f} | {self.recall:.2f} |")


def speaker_matches(predicted: str, acceptable: list[str]) -> bool:
    words = predicted.lower().split()
    return any(name.lower() in predicted.lower() or name.lower().split()[-1] in words for name in acceptable)


def evaluate_facts(gold_path: Path = GOLD, sources=ARTICLES) -> dict[str, Score]:
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    heldout_ids = {a for a, *_ in gold.get("heldout_quotes", [])}
    everything = {a.id: a for a in read_sources(sources).articles}
    articles = {k: v for k, v in everything.items() if k in gold["published"]}
    for article_id, published in gold["published"].items():
        articles[article_id].published = published
    # stories: the two seeds together (as a reader would see them), each vims article alone
    seeds = [a for a in articles.values() if not a.id.startswith("vims")]
    stories = [seeds] + [[a] for a in articles.values() if a.id.startswith("vims")]
    quotes = _score_quotes(stories, gold["quotes"])
    heldout = _score_quotes([[everything[a]] for a in sorted(heldout_ids)], gold.get("heldout_quotes", []))

    entity_hits = entity_predicted = entity_gold = 0
    for article_id, index, mentions in gold["entities"]:
        text = article_sentences(articles[article_id])[index].text
        found = Counter((m.text, m.type) for m in sentence_mentions(text)[0])
        wanted = Counter((t, k) for t, k in mentions)
        entity_hits += sum((found & wanted).values())
        entity_predicted += sum(found.values())
        entity_gold += sum(wanted.values())
    entities = Score(entity_hits, entity_predicted, entity_gold)

    predicted_dates, gold_dates = Counter(), Counter((a, i, d) for a, i, _, d in gold["dates"])
    for article_id in {a for a, *_ in gold["dates"]}:
        article = articles[article_id]
        for s in article_sentences(article):
            for d in find_dates(s.text, parse_time(article.published), article_id, s.index):
                predicted_dates[(article_id, s.index, d.date)] += 1
    dates = Score(sum((predicted_dates & gold_dates).values()), sum(predicted_dates.values()), sum(gold_dates.values()))
    return {"quotes with speakers": quotes, "entity mentions (text and type)": entities, "resolved dates": dates,
            "quotes with speakers, held-out articles": heldout}


def _score_quotes(stories, gold_rows) -> Score:
    predicted = [q for story in stories for q in extract_facts(story)["quotes"] if q["resolved"]]
    gold_quotes = {(a, i): names for a, i, names in gold_rows}
    hits = sum(1 for q in predicted
               if speaker_matches(q["speaker"], gold_quotes.get((q["article_id"], q["sentence_index"]), [])))
    return Score(hits, len(predicted), len(gold_quotes))


def main() -> None:
    scores = evaluate_facts()
    print("| extractor | gold | predicted | correct | precision | recall |")
    print("|---|---|---|---|---|---|")
    for name, score in scores.items():
        print(score.row(name))


if __name__ == "__main__":
    main()

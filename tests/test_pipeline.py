"""One wiring of the stages: the store's ingest, `diemtin batch` and `diemtin cluster --summarize`
give each story the same summary (and the store and the batch the same facts), because all
three call ``diemtin.pipeline``."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from diemtin.batch import read_stories, run_batch
from diemtin.cli import main
from diemtin.ingest import read_sources
from diemtin.parallel import LocalEngine
from diemtin.pipeline import in_publication_order
from diemtin.store import Store, ingest_articles
from diemtin.times import publication_order
from tests.conftest import ROOT, SEEDS, VIMS, needs_shared


def cited(summary: dict) -> list[tuple[str, int]]:
    return [(s["article_id"], s["sentence_index"]) for s in summary["sentences"]]


@needs_shared(VIMS)
def test_store_batch_and_cli_give_each_story_the_same_summary_and_facts(tmp_path, capsys):
    clusters = read_sources([VIMS]).clusters[:3]
    articles = [a for c in clusters for a in c.articles]
    # a copy of one article from another outlet (one text, two articles), and a story of one article
    alone = read_sources([VIMS]).clusters[5].articles[0]
    articles += [alone, replace(alone, id="zz-copy", source="Báo Sao Chép", url="")]
    source = tmp_path / "articles.jsonl"
    source.write_text("".join(json.dumps({"id": a.id, "title": a.title, "text": a.text, "source": a.source},
                                         ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")

    store = Store.open(str(tmp_path / "store.db"))
    ingest_articles(store, read_sources([source]).articles, jobs=1)
    stored = {}
    for brief in store.stories(limit=100):
        story = store.story(brief["id"])
        stored[frozenset(a["id"] for a in story["members"])] = (cited(story["summary"]), story["facts"], story["section"])

    with LocalEngine(1) as engine:
        run_batch([str(source)], tmp_path / "batch", engine)
    batch = {frozenset(s["article_ids"]): (cited(s["summary"]), s["facts"], s["section"])
             for s in read_stories(tmp_path / "batch")}

    assert main(["cluster", str(source), "--summarize", "--out", str(tmp_path / "cli.jsonl"), "--quiet"]) == 0
    cli = {frozenset(s["article_ids"]): cited(s["summary"])
           for s in map(json.loads, (tmp_path / "cli.jsonl").read_text(encoding="utf-8").splitlines())}

    assert set(stored) == set(batch) == set(cli) and len(stored) >= 4
    for members, (summary, facts, section) in stored.items():
        assert batch[members][0] == summary == cli[members], sorted(members)
        assert json.loads(json.dumps(batch[members][1], ensure_ascii=False)) == facts
        assert batch[members][2] == section and section is not None, sorted(members)
    # the story of one text (an article and its copy) is the opening of its article, not a selection
    copies = next(m for m in stored if "zz-copy" in m)
    assert len(copies) == 2 and all(index == i for i, (_, index) in enumerate(stored[copies][0]))


def test_publication_order_puts_undated_articles_last_and_breaks_ties_by_id():
    seeds = read_sources([SEEDS]).articles
    dated = replace(seeds[0], id="a", published="2024-10-03 08:00")
    earlier = replace(seeds[1], id="c", published="2024-10-03T09:00+07:00")  # 02:00 UTC
    undated = [replace(seeds[0], id="y"), replace(seeds[1], id="x")]
    assert [x.id for x in in_publication_order([dated, undated[0], earlier, undated[1]])] == ["c", "a", "x", "y"]
    # the store's rule: an undated article counts from when it was ingested
    assert publication_order([datetime(2024, 10, 3), None], seen=[datetime(2024, 10, 9), datetime(2024, 10, 1)]) == [1, 0]


def test_a_story_whose_facts_fail_is_stored_without_them_and_the_rest_go_through(tmp_path, monkeypatch, caplog):
    # A rule that raised on one story (the nested "Sở GD" names did, stop 31) stopped the facts
    # step of `diemtin ingest`: the batch around it was never written, and the next run failed
    # the same way. Fault injected into the real extractor for one story; real store, real rest.
    import logging

    import diemtin.facts

    real = diemtin.facts.extract_facts

    def failing_for_the_seeds(articles):
        if any(a.id.startswith("000_") for a in articles):
            raise KeyError("a rule's bug")
        return real(articles)

    monkeypatch.setattr(diemtin.facts, "extract_facts", failing_for_the_seeds)
    store = Store.open(str(tmp_path / "faults.db"))
    articles = read_sources([SEEDS, ROOT / "tests" / "data" / "facts" / "articles.jsonl"]).articles
    with caplog.at_level(logging.ERROR, logger="diemtin.pipeline"):
        ingest_articles(store, articles, jobs=1)  # facts at ingest, in this process
    facts = {b["id"]: store.story(b["id"])["facts"] for b in store.stories(limit=100)}
    seeds = [sid for sid in facts if any(m["id"].startswith("000_") for m in store.story(sid)["members"])]
    assert len(seeds) == 1 and facts[seeds[0]]["quotes"] == [] and facts[seeds[0]]["entities"] == []
    assert all(f and f["entities"] for sid, f in facts.items() if sid not in seeds)  # the others have theirs
    assert "000_" in caplog.text and "failed" in caplog.text

"""The store on real SQLite and PostgreSQL: ingest, duplicates, stories, summaries, search, errors."""

from __future__ import annotations

import json
import pickle
import sqlite3
import zlib
from dataclasses import replace

import pytest
import sqlalchemy

from diemtin.cluster.stories import ClusterConfig, StoryState, add_articles, cluster_articles
from diemtin.dedup import text_key
from diemtin.errors import DiemtinError
from diemtin.evaluate.clusters import bcubed
from diemtin.pipeline import in_publication_order, story_facts, story_summaries
from diemtin.ingest import read_sources
from diemtin.store import Store, ingest_articles, refresh_summaries, stale_summaries
from diemtin.store.schema import SCHEMA_VERSION
from diemtin.store.update import _load_state
from diemtin.summarizer import summary_inputs
from diemtin.text.sentences import article_sentences
from diemtin.text.segment import segment_words
from diemtin.text.tagger import forget_sentences
from diemtin.types import Article, Cluster
from tests.conftest import SEEDS, VIMS, needs_shared


def seed_articles() -> list[Article]:
    batch = read_sources([SEEDS])
    assert not batch.problems
    return batch.articles


def test_seeds_become_one_story_with_a_cited_summary(store):
    articles = seed_articles()
    report = ingest_articles(store, articles)
    assert (report.stored, report.already_stored) == (2, 0)
    assert store.counts()["articles"] == 2 and store.counts()["stories"] == 1
    [brief] = store.stories()
    story = store.story(brief["id"])
    assert {a["id"] for a in story["members"]} == {a.id for a in articles}
    sentences = story["summary"]["sentences"]
    assert len(sentences) >= 3
    by_id = {a.id: article_sentences(a) for a in articles}
    for s in sentences:  # every summary sentence is the cited sentence of a stored article
        assert by_id[s["article_id"]][s["sentence_index"]].text == s["text"]
    assert {s["article_id"] for s in sentences} == set(by_id)  # both outlets are quoted
    # the seed files have no title line: the headline is the start of an article's first sentence
    assert len(story["title"]) > 20 and any(story["title"].rstrip("…") in a.text for a in articles)


def test_ingesting_twice_stores_once(store):
    ingest_articles(store, seed_articles())
    before = store.counts()
    report = ingest_articles(store, seed_articles())
    assert (report.stored, report.already_stored) == (0, 2)
    assert store.counts() == before


def test_facts_of_older_rules_are_extracted_again(store):
    # A store built before issue 21's rules kept their facts for good: readers of an existing
    # store never saw the better ones. Facts carry the rules' version; older ones count as missing.
    from diemtin.facts import RULES_VERSION
    from diemtin.store import missing_facts, refresh_facts

    ingest_articles(store, seed_articles())  # facts are extracted at ingest
    [brief] = store.stories()
    assert store.story(brief["id"])["facts"]["rules"] == RULES_VERSION and missing_facts(store) == 0
    old = {k: v for k, v in store.story(brief["id"])["facts"].items() if k != "rules"}  # as the first rules stored them
    old["quotes"] = []
    with store.engine.begin() as connection:
        connection.execute(store.schema.facts.update().values(data=old, rules=None))
    assert missing_facts(store) == 1
    assert refresh_facts(store, jobs=1) == 1
    facts = store.story(brief["id"])["facts"]
    assert facts["rules"] == RULES_VERSION and facts["quotes"] and missing_facts(store) == 0
    with store.engine.begin() as connection:  # and a version other than this one too
        connection.execute(store.schema.facts.update().values(data={**facts, "rules": RULES_VERSION - 1},
                                                              rules=RULES_VERSION - 1))
    assert missing_facts(store) == 1


def test_the_store_keeps_the_clustering_settings_it_was_built_with(store):
    articles = seed_articles()
    ingest_articles(store, articles[:1], summarize=False, config=ClusterConfig(threshold=0.5))
    before = store.counts()
    with pytest.raises(DiemtinError, match=r"threshold 0\.32 \(saved: 0\.5\).*new database"):
        ingest_articles(store, articles[1:], summarize=False, config=ClusterConfig())
    assert store.counts() == before  # refused before the chunk was written
    ingest_articles(store, articles[1:], summarize=False)  # no settings: the saved ones
    assert store.counts()["articles"] == 2


def test_same_url_or_same_text_from_one_outlet_is_stored_once_and_copies_are_grouped(store):
    first = Article("a", "Bão số 3 đổ bộ Quảng Ninh", "Bão số 3 đổ bộ vào Quảng Ninh chiều nay với sức gió "
                    "mạnh cấp 12. Hàng nghìn hộ dân đã được sơ tán đến nơi an toàn trước khi bão vào.",
                    source="VnExpress", url="https://vnexpress.net/bao-so-3.html")
    same_url = Article("b", first.title, first.text + " Cập nhật lúc 17h.", source="VnExpress", url=first.url)
    same_text = Article("c", "Bão số 3", first.text.upper(), source="VnExpress", url="https://vnexpress.net/x.html")
    other_outlet = Article("d", "Bão số 3 vào Quảng Ninh", first.text, source="Dân trí",
                           url="https://dantri.com.vn/bao.htm")
    report = ingest_articles(store, [first, same_url, same_text, other_outlet])
    assert (report.stored, report.already_stored, report.duplicates) == (2, 2, 1)
    story = store.story(store.article("d")["story_id"])
    assert story["duplicate_groups"] == [["a", "d"]]
    assert story["outlets"] == 2
    assert store.article("d")["duplicate_of"] == "a"


def test_an_id_taken_by_another_article_is_kept_apart(store):
    ingest_articles(store, [Article("1", "Tin một", "Giá xăng giảm mạnh từ chiều nay theo quyết định của liên Bộ.")])
    ingest_articles(store, [Article("1", "Tin hai", "Đội tuyển Việt Nam thắng Thái Lan ba bàn không gỡ ở Mỹ Đình.")])
    assert store.counts()["articles"] == 2
    titles = {store.article(a["id"])["title"] for a in store.search("ở mỹ đình")["articles"]}
    assert titles == {"Tin hai"}
    # one id for three articles of one batch, the same text from three outlets (found by the
    # API fuzzer: ids made from the text collide): all three kept, under three ids
    text = "Mưa lớn kéo dài gây ngập nhiều tuyến phố ở Hà Nội chiều nay."
    report = ingest_articles(store, [Article("2", "Mưa", text, source=f"báo {n}") for n in range(3)])
    assert report.stored == 3 and store.counts()["articles"] == 5
    # and in later batches, where the renamed ids are already stored
    for n in range(3, 5):
        assert ingest_articles(store, [Article("2", "Mưa", text, source=f"báo {n}")]).stored == 1
    assert store.counts()["articles"] == 7


@needs_shared(VIMS)
def test_later_articles_join_earlier_stories(store):
    clusters = read_sources([VIMS]).clusters[:6]
    gold = {a.id: c.id for c in clusters for a in c.articles}
    first_half = [c.articles[0] for c in clusters] + [c.articles[1] for c in clusters]
    rest = [a for c in clusters for a in c.articles[2:]]
    ingest_articles(store, first_half, summarize=False)
    report = ingest_articles(store, rest, chunk=5)  # several transactions, each joining earlier stories
    assert report.stored == len(rest)
    incremental = {a: store.article(a)["story_id"] for a in gold}
    batch = {a: s.id for s in cluster_articles([a for c in clusters for a in c.articles]) for a in s.article_ids}
    # the store's incremental path is close to clustering everything at once
    assert bcubed(incremental, gold)[2] >= bcubed(batch, gold)[2] - 0.1
    assert bcubed(incremental, gold)[2] >= 0.75
    for story_id in report.stories_changed:  # changed stories got a summary from their own articles
        story = store.story(story_id)
        ids = {a["id"] for a in story["members"]}
        assert story["summary"]["sentences"] and {s["article_id"] for s in story["summary"]["sentences"]} <= ids


@needs_shared(VIMS)
def test_stories_past_their_days_leave_the_story_state_and_stay_stored(store):
    # a watch runs for weeks: the state loaded and rewritten with every chunk holds the open
    # stories only, not every story ever made
    clusters = read_sources([VIMS]).clusters[:6]
    may = [replace(a, published=f"2017-05-0{1 + i % 3} 08:00") for c in clusters[:3] for i, a in enumerate(c.articles)]
    june = [replace(a, published=f"2017-06-0{1 + i % 3} 08:00") for c in clusters[3:] for i, a in enumerate(c.articles[:-1])]
    ingest_articles(store, may, summarize=False)
    may_stories = {store.article(a.id)["story_id"] for a in may}
    ingest_articles(store, june, summarize=False)
    june_stories = {store.article(a.id)["story_id"] for a in june}
    with store.read() as connection:
        state = _load_state(store, connection, None).state
    assert {s.id for s in state.stories} == june_stories
    with store.read() as connection:  # and their records are gone from the store's state too
        assert len(connection.execute(sqlalchemy.select(store.schema.story_records)).all()) == len(june_stories)
    # nothing stored is lost: May's stories keep their articles and summaries
    for story_id in may_stories:
        assert store.story(story_id)["summary"]["sentences"]
    assert store.counts()["stories"] == len(may_stories | june_stories)
    # a later report of a June event still joins its story, also from a store opened again
    reopened = Store.open(store.url)
    try:
        late = [replace(c.articles[-1], published="2017-06-04 08:00") for c in clusters[3:]]
        ingest_articles(reopened, late, summarize=False)
        joined = [reopened.article(a.id)["story_id"] in june_stories for a in late]
        assert sum(joined) >= 2, joined
    finally:
        reopened.close()


def _state_read_again(store) -> list[bytes]:
    """The story state as a new process reads it from ``store``: its records, then the rest."""
    again = Store.open(store.url)
    try:
        with again.read() as connection:
            state = _load_state(again, connection, None).state
    finally:
        again.close()
    return _state_bytes(state)


def _state_bytes(state) -> list[bytes]:
    # each record through pickle once, so that objects shared in memory are written alike
    return [pickle.dumps(pickle.loads(pickle.dumps(r))) for r in state.stories] + [
        pickle.dumps((state.frequencies.documents, state.duplicates.exact, state.next_id, state.config))]


@needs_shared(VIMS)
def test_the_story_state_read_again_is_the_state_written(store):
    # a chunk writes the records of the stories it changed, not all of them (schema 9); what a
    # new process reads must still be the whole state, after joins, copies and regroupings
    clusters = read_sources([VIMS]).clusters[:8]
    ingest_articles(store, [a for c in clusters for a in c.articles[:2]], summarize=False)
    ingest_articles(store, [a for c in clusters for a in c.articles[2:]], summarize=False, chunk=7)
    assert _state_read_again(store) == _state_bytes(store._state_cache[1])

    # a state row written before schema 9 (every story in it) is read, and split at the next write
    with store.engine.begin() as connection:
        connection.execute(store.schema.story_state.update().values(data=pickle.dumps(store._state_cache[1])))
        connection.execute(store.schema.story_records.delete())
    whole = _state_read_again(store)
    assert whole == _state_bytes(store._state_cache[1])
    later = Store.open(store.url)
    try:
        ingest_articles(later, [replace(clusters[0].articles[0], id="copy", source="another outlet")], summarize=False)
        assert _state_read_again(later) == _state_bytes(later._state_cache[1])
        assert len(_state_read_again(later)) == len(whole)
    finally:
        later.close()


@needs_shared(VIMS)
def test_a_story_read_for_its_summary_reads_the_articles_its_summary_reads(store):
    # a summary, a section and facts read at most 20 reports of a story (summary_inputs); the
    # store reads only those reports' text, and the same ones as from the whole story
    clusters = read_sources([VIMS]).clusters[:6]
    ingest_articles(store, [a for c in clusters for a in c.articles], summarize=False)
    ids = [b["id"] for b in store.stories()]
    with store.read() as connection:
        whole = store.articles_of(connection, ids)
        for pick in (lambda articles: articles[:1], lambda articles: articles[1:][::-1], summary_inputs):
            assert store.articles_of(connection, ids, pick=pick) == {sid: pick(whole[sid]) for sid in ids}
    assert max(len(articles) for articles in whole.values()) > 1


@needs_shared(VIMS)
def test_stories_regrouped_by_later_articles_are_stored_regrouped(store):
    # vims-dev 134: Nadal's withdrawal from Roland Garros. Its first two reports alone make two
    # provisional stories; the later reports join them into one. The store follows: the second
    # story's article moves to the first story, and the second story goes with its summary.
    nadal = next(c for c in read_sources([VIMS]).clusters if c.id == "vims-134").articles
    ingest_articles(store, nadal[:2])
    first, second = (store.article(a.id)["story_id"] for a in nadal[:2])
    assert first != second and store.story(second)["summary"]["sentences"]
    report = ingest_articles(store, nadal[2:])
    assert report.stored == len(nadal) - 2 and second not in report.stories_changed
    assert {store.article(a.id)["story_id"] for a in nadal} == {first}
    story = store.story(first)
    assert story["articles"] == len(nadal) and sorted(a["id"] for a in story["members"]) == sorted(a.id for a in nadal)
    assert {s["article_id"] for s in story["summary"]["sentences"]} <= {a.id for a in nadal}
    assert store.story(second) is None
    with store.engine.connect() as connection:
        for table in (store.schema.summaries, store.schema.facts):
            assert not connection.execute(sqlalchemy.select(table).where(table.c.story_id == second)).all()
    assert store.counts()["articles"] == len(nadal)


@needs_shared(VIMS)
def test_a_large_ingest_segmented_ahead_on_workers_finds_the_same_stories(store):
    # Above 500 articles the store segments and fingerprints each next chunk on worker
    # processes while it writes the current one. Among them: two articles of one chunk with
    # one id, and one with the id of a stored article (stored under new ids).
    clusters = read_sources([VIMS]).clusters
    # an outlet each: copies of one text are stored (and grouped), not skipped as already stored
    articles = [replace(a, source=f"báo {i}") for i, a in enumerate(a for c in clusters for a in c.articles)][:650]
    label = [c.id for c in clusters for _ in c.articles][50:650]
    first, rest = articles[:50], articles[50:]
    other = next(i for i in range(150, 200) if label[i] != label[100])  # the same chunk of 200
    rest[other] = replace(rest[other], id=rest[100].id)
    # and, later in that chunk, an article already called what the store renames that one to
    taker = next(i for i in range(other + 1, 200) if label[i] not in (label[100], label[other]))
    rest[taker] = replace(rest[taker], id=f"{rest[100].id}~{text_key(rest[other])[:4]}")
    rest[400] = replace(rest[400], id=first[0].id)
    ingest_articles(store, first, summarize=False)
    report = ingest_articles(store, rest, summarize=False, chunk=200)
    assert report.stored == len(rest) and store.counts()["articles"] == len(articles)
    with store.read() as connection:
        rows = connection.execute(sqlalchemy.text("SELECT story_id, text_key FROM articles")).all()
    stored = {}
    for story, key in rows:
        stored.setdefault(story, set()).add(key)
    # the same chunks clustered in this process, every article under an id of its own
    state = StoryState.new()
    numbered = [replace(a, id=f"n{i}") for i, a in enumerate(first + rest)]
    for start, end in [(0, 50)] + [(s, min(s + 200, len(numbered))) for s in range(50, len(numbered), 200)]:
        add_articles(state, numbered[start:end])
    expected = [{text_key(numbered[int(i[1:])]) for i in r.article_ids} for r in state.stories]
    assert sorted(map(sorted, stored.values())) == sorted(map(sorted, expected))


@needs_shared(VIMS)
def test_summaries_reuse_what_the_store_kept_of_each_articles_sentences(store, monkeypatch):
    import underthesea  # noqa: PLC0415

    articles = [a for c in read_sources([VIMS]).clusters[:4] for a in c.articles]
    ingest_articles(store, articles, summarize=False)
    with store.read() as connection:
        kept = store.segmented_of(connection, [a.id for a in articles])
    # each article keeps its title and lead as clustering segmented them, which is what
    # segmenting them again gives
    assert set(kept) == {a.id for a in articles}
    for a in articles[:5]:
        assert any(sentence in a.title for sentence in kept[a.id])
        for sentence, words in kept[a.id].items():
            assert words == segment_words(sentence, lowercase=False)

    calls = []
    real = underthesea.word_tokenize
    monkeypatch.setattr(underthesea, "word_tokenize", lambda text, **kw: calls.append(text) or real(text, **kw))
    # the process's memory of sentences' words is emptied before each count: what is counted is
    # what the store did not keep
    forget_sentences()
    # the chunk's transaction gave each one-text story its summary; the stale ones have several texts
    stale = stale_summaries(store)
    assert 0 < stale < store.counts()["stories"] and store.counts()["summaries"] == store.counts()["stories"]
    assert refresh_summaries(store, jobs=1) == stale
    reused = {b["id"]: store.story(b["id"])["summary"] for b in store.stories()}
    first = len(calls)

    def rewrite_all(forget: str) -> int:
        with store.engine.begin() as connection:
            if forget:
                connection.execute(sqlalchemy.text(f"UPDATE articles SET {forget}"))
            connection.execute(sqlalchemy.text("UPDATE stories SET summary_stale = :stale"), {"stale": True})
        calls.clear()
        forget_sentences()
        refresh_summaries(store, jobs=1)
        assert {b["id"]: store.story(b["id"])["summary"] for b in store.stories()} == reused
        return len(calls)

    # written again with each article's memory of its sentences kept (schema 8): no sentence
    # is segmented again
    assert first >= 2 * len(articles) and rewrite_all("") == 0
    # and the same from nothing kept (as for articles stored before schema 2)
    assert rewrite_all("segmented = NULL, memory = NULL") >= 2 * len(articles)


@needs_shared(VIMS)
def test_a_story_that_gains_a_report_segments_and_tags_only_that_report(store, monkeypatch):
    import underthesea  # noqa: PLC0415

    # a vims-dev event of five reports (the first whose four earliest make one story): four
    # stored with their summary and facts, then the fifth
    ordered = next(o for o in (in_publication_order(c.articles) for c in read_sources([VIMS]).clusters)
                   if len(o) == 5 and len(cluster_articles(o[:-1])) == 1)
    *earlier, last = ordered
    ingest_articles(store, earlier)
    [story_id] = [b["id"] for b in store.stories() if b["articles"] == 4]

    calls = []
    real = underthesea.word_tokenize
    monkeypatch.setattr(underthesea, "word_tokenize", lambda text, **kw: calls.append(text) or real(text, **kw))
    forget_sentences()  # nothing this process remembers: only what the store kept
    ingest_articles(store, [last])
    story = store.story(story_id)
    assert {a["id"] for a in story["members"]} == {a.id for a in ordered}
    # the earlier reports' sentences were not segmented (nor POS-tagged) again
    new = {s.text for s in article_sentences(last)} | {last.title}
    old = {s.text for a in earlier for s in article_sentences(a)} - new
    assert calls and not set(calls) & old
    assert set(calls) & new

    # and the story reads as it would from nothing kept
    forget_sentences()
    monkeypatch.setattr(underthesea, "word_tokenize", real)
    with store.read() as connection:
        members = store.articles_of(connection, [story_id])[story_id]
    assert story["facts"] == json.loads(json.dumps(story_facts(members)))
    [summary] = story_summaries([Cluster(story_id, members)], [len(members)])
    assert story["summary"]["sentences"] == [x.to_dict() for x in summary.sentences]


def test_a_database_of_schema_1_is_upgraded_in_place(tmp_path):
    from diemtin.facts import RULES_VERSION  # noqa: PLC0415

    path = tmp_path / "diemtin.db"
    store = Store.open(str(path))
    ingest_articles(store, seed_articles()[:1])
    store.close()
    with sqlite3.connect(path) as connection:  # as diemtin made it before schema 2
        connection.execute("ALTER TABLE articles DROP COLUMN segmented")
        connection.execute("ALTER TABLE articles DROP COLUMN section")  # outlets' sections came with schema 6
        connection.execute("ALTER TABLE articles DROP COLUMN image")  # lead images came with schema 5
        connection.execute("ALTER TABLE articles DROP COLUMN memory")  # memories of sentences, schema 8
        connection.execute("ALTER TABLE facts DROP COLUMN rules")  # read from the facts' JSON until schema 10
        connection.execute("DROP INDEX ix_stories_section")  # sections came with schema 4
        connection.execute("ALTER TABLE stories DROP COLUMN section")
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        connection.execute("DELETE FROM meta WHERE key = 'changes'")  # counted since schema 3
        # and its story state compressed, as saved until 2026-12-02
        state = connection.execute("SELECT data FROM story_state").fetchone()[0]
        connection.execute("UPDATE story_state SET data = ?", (zlib.compress(state, 1),))
    store = Store.open(str(path))
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
        assert connection.execute("SELECT segmented, memory FROM articles").fetchall() == [(None, None)]
        # the facts kept their rules' version: they are not extracted again
        assert connection.execute("SELECT rules FROM facts").fetchall() == [(RULES_VERSION,)]
    before = store.version()
    report = ingest_articles(store, seed_articles())  # the stored one is kept, the other joins its story
    assert store.version() != before  # every write is counted, for the readers' caches
    assert (report.stored, report.already_stored) == (1, 1)
    counts = store.counts()
    assert (counts["articles"], counts["stories"], counts["summaries"]) == (2, 1, 1)
    assert store.story(store.stories()[0]["id"])["section"] == "Thế giới"  # NATO in Kyiv
    store.close()


def test_search_ignores_diacritics_only_when_asked(store):
    ingest_articles(store, seed_articles())
    assert store.search("tong thu ky nato", fold=True)["articles"]
    assert not store.search("tong thu ky nato")["articles"]
    found = store.search("Tổng thư ký NATO")
    assert len(found["articles"]) == 2 and found["stories"] == [] or found["stories"]
    assert store.search("100%_not there")["articles"] == []  # LIKE wildcards are taken literally


def test_newer_schema_and_read_only_database_give_clear_errors(tmp_path):
    path = tmp_path / "diemtin.db"
    Store.open(str(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(DiemtinError, match="newer diemtin"):
        Store.open(str(path))
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
    # opened read-only (as a user without write permission would): reads work, writes say why
    store = Store.open(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert store.counts()["articles"] == 0
    with pytest.raises(DiemtinError, match="read-only"):
        ingest_articles(store, seed_articles())
    store.close()

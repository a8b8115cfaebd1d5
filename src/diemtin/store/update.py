"""The store's write path: new articles -> duplicate groups -> stories -> summaries and facts, transactionally.

Articles are added in chunks; each chunk is one transaction that inserts its articles,
rewrites the stories they changed and saves the story layer's state. In the same transaction
every changed story is made readable: a story of one text gets its summary (the opening of its
article, which needs no segmentation), and a story of several texts that has no summary yet,
or whose summary cites an article it no longer holds, gets the opening of its first article
for now; both kinds of several texts are marked stale. Then the stale summaries are rewritten
by the learned summariser, and the facts of stories that have none are extracted, a batch of
stories per transaction, on worker processes.

A process killed mid-ingest therefore loses at most the chunk in flight, never leaves half an
article, a story without its articles or a story without a summary, and a rerun skips what was
committed (an article is known by its URL or by its normalised text) and finishes the stale
summaries and the missing facts. No request of the web app ever computes either: ``serve``
runs the same two steps in the background (``web.refresher``).

The learned summaries are written once at the end, not after every chunk: a story that grows
over ten chunks is summarised once instead of ten times (docs/BENCHMARKS.md has the figures).
"""

from __future__ import annotations

import itertools
import json
import pickle
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from typing_extensions import TypedDict

from diemtin.cluster.represent import article_terms
from diemtin.cluster.stories import (
    PARALLEL_TERMS_FROM, TERMS_CHUNK, ClusterConfig, StoryState, add_articles, close_stories, restore_state, to_story,
)
from diemtin.dedup import fingerprint_of, text_key
from diemtin.store.database import (
    NO_SECTION, Store, _describe, _sqlalchemy, batches, database_errors, search_fields,
)
from diemtin.pipeline import article_memory, story_facts, story_section, story_summaries
from diemtin.summarizer import summary_inputs
from diemtin.links import http_url
from diemtin.parallel import Engine, engine_for
from diemtin.config import CHUNK, DEFAULT_LENGTH
from diemtin.times import parse_time, utcnow
from diemtin.types import Article, Cluster, Problem


class IngestResult(TypedDict):
    read: int
    stored: int
    already_stored: int
    duplicates: int
    stories_changed: int
    problems: list[str]


@dataclass(slots=True)
class IngestReport:
    read: int = 0
    stored: int = 0
    already_stored: int = 0  # same URL or same normalised text as a stored article
    duplicates: int = 0  # stored, and grouped with an earlier article they copy
    stories_changed: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def to_dict(self) -> IngestResult:
        return {"read": self.read, "stored": self.stored, "already_stored": self.already_stored,
                "duplicates": self.duplicates, "stories_changed": len(self.stories_changed),
                "problems": [str(p) for p in self.problems]}


# The state row since schema 9: (STORIES_APART, the state without its stories, the open
# stories' ids in order); each story's record is a row of ``story_records``.
STORIES_APART = "stories apart"


@dataclass(slots=True)
class _Loaded:
    state: StoryState
    whole: bool  # read from a row that held every story (before schema 9): all are written next


def _load_state(store: Store, connection, config: ClusterConfig | None) -> _Loaded:
    sqlalchemy = _sqlalchemy()
    s = store.schema
    table = s.story_state
    query = sqlalchemy.select(table.c.articles).where(table.c.id == 1)
    if connection.dialect.name == "postgresql":
        query = query.with_for_update()  # one writer at a time; others wait here
    row = connection.execute(query).first()
    remedy = "ingest its articles into a new database (diemtin ingest FILE --db NEW)"
    if row is None:
        return _Loaded(StoryState.new(config or ClusterConfig()), False)
    if store._state_cache is not None and store._state_cache[0] == row.articles:
        return _Loaded(store._state_cache[1].resume_with(config, _describe(store.url), remedy), False)
    data = connection.execute(sqlalchemy.select(table.c.data).where(table.c.id == 1)).scalar_one()
    # states saved before 2026-12-02 are zlib streams; a pickle starts with its PROTO opcode
    saved = pickle.loads(data if data[:1] == b"\x80" else zlib.decompress(data))
    whole = not (isinstance(saved, tuple) and saved[:1] == (STORIES_APART,))
    if whole:
        state = saved
    else:
        _, state, order = saved
        records = {r.story_id: r.data for r in connection.execute(
            sqlalchemy.select(s.story_records.c.story_id, s.story_records.c.data))}
        state.stories = [pickle.loads(records[story_id]) for story_id in order]
    return _Loaded(restore_state(state, config, _describe(store.url), remedy), whole)


def _save_state(store: Store, connection, loaded: _Loaded, articles: int, changed: Sequence[str],
                gone: Sequence[str]) -> None:
    """Write the state row and the records of the ``changed`` stories (of all when the state was
    read ``whole``); delete the records of the stories ``gone`` (removed or closed)."""
    s = store.schema
    state = loaded.state
    records = s.story_records
    if loaded.whole:
        connection.execute(records.delete())
        changed = [r.id for r in state.stories]
    else:
        _replace(connection, records, records.c.story_id, list(gone), [])
    open_now = {r.id: r for r in state.stories}
    written = [open_now[i] for i in dict.fromkeys(changed) if i in open_now]
    _replace(connection, records, records.c.story_id, [r.id for r in written],
             [{"story_id": r.id, "data": pickle.dumps(r, protocol=5)} for r in written])
    # Not compressed: the story vectors' floats hardly compress (zlib kept 75% of the whole
    # corpus's state) and compressing took longer than pickling, in every transaction.
    header = replace(state, stories=[])
    data = pickle.dumps((STORIES_APART, header, list(open_now)), protocol=5)
    table = s.story_state
    if connection.execute(table.update().where(table.c.id == 1).values(data=data, articles=articles)).rowcount == 0:
        connection.execute(table.insert().values(id=1, data=data, articles=articles))
    loaded.whole = False
    store._state_cache = (articles, state)


def ingest_articles(
    store: Store,
    articles: Sequence[Article],
    summarize: bool = True,
    facts: bool | None = None,
    chunk: int = CHUNK,
    jobs: int | None = None,
    config: ClusterConfig | None = None,
    progress: Callable[[int], None] | None = None,
    engine: Engine | None = None,
) -> IngestReport:
    """Store new articles, update their stories, rewrite the changed stories' summaries
    (``summarize``) and extract their facts (``facts``, by default as ``summarize``); without
    them, every changed story still has a summary, and ``refresh_summaries`` / ``refresh_facts``
    finish the rest later. The work spreads over ``engine`` (default: ``jobs`` local workers)."""
    report = IngestReport(read=len(articles))
    parts = list(batches(articles, chunk))
    with engine_for(engine, jobs) as engine:
        # While a chunk is clustered and written (in this process), the workers already segment
        # and fingerprint the next chunk's new articles: the two cores are both busy most of the time.
        ahead_on = engine if len(articles) >= PARALLEL_TERMS_FROM and engine.workers > 1 else None
        ahead = _prepare_ahead(store, parts[0], ahead_on) if parts else None
        try:
            for index, part in enumerate(parts):
                keys, prepared, columns = ahead.result()
                ahead = _prepare_ahead(store, parts[index + 1], ahead_on) if index + 1 < len(parts) else None
                try:
                    with database_errors(store.url):
                        _ingest_chunk(store, part, report, config, keys, prepared, columns)
                except BaseException:
                    store._state_cache = None  # it may hold the rolled-back chunk
                    raise
                if progress:
                    progress(len(part))
        except BaseException:
            if ahead is not None:  # the next chunk's work is no longer wanted
                ahead.cancel()
            raise
        if summarize:
            refresh_summaries(store, engine=engine)
        if summarize if facts is None else facts:
            refresh_facts(store, engine=engine)
    return report


class _Ahead:
    """A chunk's text keys and, when they come, its new articles' ``prepared`` values (by id)
    and ``_article_columns`` (by id): from the workers' ``futures``, or made here when there
    are no workers (None)."""

    def __init__(self, keys: list[str], fresh: list[Article], futures: list | None):
        self.keys, self.fresh, self.futures = keys, fresh, futures

    def cancel(self) -> None:
        for future in self.futures or []:
            future.cancel()

    def result(self) -> tuple[list[str], dict[str, tuple], dict[str, dict]]:
        if self.futures is None:
            values = _prepare_for_store(self.fresh)
        else:
            values = [value for future in self.futures for value in future.result()]
        ids = [a.id for a in self.fresh]
        return (self.keys, {i: prepared for i, (prepared, _) in zip(ids, values)},
                {i: columns for i, (_, columns) in zip(ids, values)})


def _prepare_for_store(articles: Sequence[Article]) -> list[tuple[tuple, dict]]:
    """Each article's ``prepared`` value for ``add_articles`` (terms, fingerprint) and its
    ``_article_columns``, with the sentences that its terms segmented."""
    values = []
    for article in articles:
        segmented: dict[str, list[str]] = {}
        prepared = (article_terms(article, memo=segmented), fingerprint_of(article))
        values.append((prepared, _article_columns(article, segmented)))
    return values


def _article_columns(article: Article, segmented: dict[str, list[str]] | None = None) -> dict:
    """The stored columns computed from an article's text: search fields, and the sentences
    (title and lead) already segmented for clustering, which its summary reuses."""
    text, folded = search_fields(article.title, article.sapo, article.text)
    return {"search_text": text, "search_folded": folded,
            "segmented": json.dumps(segmented, ensure_ascii=False) if segmented else None}


def _prepare_ahead(store: Store, part: Sequence[Article], engine: Engine | None) -> _Ahead:
    """Start segmenting and fingerprinting the articles of ``part`` that are not stored yet
    (on ``engine``'s workers; without one, here when the result is asked for).

    Only articles whose id is unique in the chunk and not stored are prepared ahead: another
    would be stored under a new id (``_renamed``), and ``add_articles`` prepares it itself.
    """
    keys = [text_key(a) for a in part]
    s = store.schema
    with database_errors(store.url), store.read() as connection:
        known_keys = _known_texts(connection, s, list(set(keys)))
        known_urls = _existing(connection, s.articles.c.url, [a.url for a in part if a.url])
        taken_ids = _existing(connection, s.articles.c.id, [a.id for a in part])
    counts = Counter(a.id for a in part)
    fresh = [a for a, key in zip(part, keys)
             if (a.source, key) not in known_keys and not (a.url and a.url in known_urls)
             and counts[a.id] == 1 and a.id not in taken_ids]
    if engine is None:
        return _Ahead(keys, fresh, None)
    futures = [engine.submit(_prepare_for_store, fresh[i : i + TERMS_CHUNK]) for i in range(0, len(fresh), TERMS_CHUNK)]
    return _Ahead(keys, fresh, futures)


# Stories per summary transaction.
SUMMARY_BATCH = 1000


def stale_summaries(store: Store) -> int:
    sqlalchemy = _sqlalchemy()
    t = store.schema.stories
    with store.read() as connection:
        return connection.execute(sqlalchemy.select(sqlalchemy.func.count()).where(t.c.summary_stale)).scalar_one()


def refresh_summaries(store: Store, jobs: int | None = None, progress: Callable[[int], None] | None = None,
                      engine: Engine | None = None) -> int:
    """Rewrite every stale summary (``pipeline.story_summaries``), then give every story without
    a section its section (``refresh_sections``); returns how many summaries were written.
    ``engine``: where the summaries are made (default: ``jobs`` local workers).
    """
    written = _rewrite_stale_summaries(store, jobs, progress, engine)
    refresh_sections(store)
    return written


# Stories per sections transaction: reading their articles is most of the cost.
SECTIONS_BATCH = 500


def refresh_sections(store: Store) -> int:
    """Classify every story that has no section (``pipeline.story_section``): a story whose
    articles changed lost its section with its old row, and a store made before schema 4 had
    none. Returns how many were written; a story changed by another writer meanwhile waits
    for the next round."""
    sqlalchemy = _sqlalchemy()
    s = store.schema
    written = 0
    while True:
        with store.read() as connection:
            ids = list(connection.execute(sqlalchemy.select(s.stories.c.id).where(s.stories.c.section.is_(None))
                                          .order_by(s.stories.c.id).limit(SECTIONS_BATCH)).scalars())
            if not ids:
                return written
            stamps = _updated_at(connection, s, ids)
            members = store.articles_of(connection, ids, pick=summary_inputs)
        found = {sid: story_section(members[sid]) for sid in ids}
        with database_errors(store.url), store.engine.begin() as connection:
            current = _unchanged(connection, s, stamps)
            for sid in sorted(current):
                connection.execute(s.stories.update().where(s.stories.c.id == sid)
                                   .values(section=found[sid] or NO_SECTION))
            s.count_change(connection)
        written += len(current)
        if not current:
            return written


def _rewrite_stale_summaries(store: Store, jobs: int | None, progress: Callable[[int], None] | None,
                             engine: Engine | None) -> int:
    sqlalchemy = _sqlalchemy()
    s = store.schema
    written = 0
    with engine_for(engine, jobs) as engine:
        while True:
            with database_errors(store.url), store.engine.begin() as connection:
                stale = dict(connection.execute(
                    sqlalchemy.select(s.stories.c.id, s.stories.c.updated_at).where(s.stories.c.summary_stale)
                    .order_by(s.stories.c.id).limit(SUMMARY_BATCH)).all())
                if not stale:
                    return written
                ids = list(stale)
                members = store.articles_of(connection, ids, pick=summary_inputs)  # what a summary reads
                texts = _texts_per_story(connection, s, ids)
                # what the learned summariser reads; a story of one text gets its opening instead
                inputs = {sid: members[sid] for sid in ids if texts[sid] > 1}
                kept = store.segmented_of(connection, [a.id for chosen in inputs.values() for a in chosen])
            # the title and lead sentences that clustering segmented are not segmented again
            segmented = [{sentence: words for a in inputs.get(sid, ()) for sentence, words in kept.get(a.id, {}).items()}
                         for sid in ids]
            memories = _memories(store, [a for chosen in inputs.values() for a in chosen], engine)
            made = story_summaries([Cluster(sid, members[sid]) for sid in ids], [texts[sid] for sid in ids],
                                   engine=engine, segmented=segmented,
                                   memories=[[memories.get(a.id) for a in inputs.get(sid, ())] for sid in ids])
            now = utcnow()
            with database_errors(store.url), store.engine.begin() as connection:
                # a story changed by another writer meanwhile stays stale and is done next round
                current = _unchanged(connection, s, stale)
                rows = [{"story_id": m.cluster_id, "length": m.length, "updated_at": now,
                         "sentences": [x.to_dict() for x in m.sentences]}
                        for m in made if m.cluster_id in current]
                done = [r["story_id"] for r in rows]
                _replace(connection, s.summaries, s.summaries.c.story_id, done, rows)
                store.schema.count_change(connection)
                for batch in batches(done):
                    connection.execute(s.stories.update().where(s.stories.c.id.in_(batch)).values(summary_stale=False))
                written += len(done)
            if progress:
                progress(len(done))
            if not current:
                return written


# Stories per facts transaction: a batch is a few minutes of work at most on two cores.
FACTS_BATCH = 200


def _without_facts(store: Store):
    """Stories with no facts, or with facts of an older version of the rules (or none stamped)."""
    from diemtin.facts import RULES_VERSION  # noqa: PLC0415

    sqlalchemy = _sqlalchemy()
    s = store.schema
    return ~sqlalchemy.exists().where(s.facts.c.story_id == s.stories.c.id, s.facts.c.rules == RULES_VERSION)


def missing_facts(store: Store) -> int:
    sqlalchemy = _sqlalchemy()
    with store.read() as connection:
        return connection.execute(sqlalchemy.select(sqlalchemy.func.count()).select_from(store.schema.stories)
                                  .where(_without_facts(store))).scalar_one()


def refresh_facts(store: Store, jobs: int | None = None, progress: Callable[[int], None] | None = None,
                  engine: Engine | None = None, limit: int | None = None) -> int:
    """Extract and store the facts of the stories that have none (every story changed since its
    facts were made) or whose facts older rules made, those with most outlets and the latest news
    first; returns how many were written. ``limit``: stop after about this many (the background
    refresher's slice of work).

    Facts are ``pipeline.story_facts``: they read the same articles as the summary.
    """
    sqlalchemy = _sqlalchemy()
    s = store.schema
    written = 0
    with engine_for(engine, jobs) as engine:
        while limit is None or written < limit:
            with store.read() as connection:
                ids = list(connection.execute(
                    sqlalchemy.select(s.stories.c.id).where(_without_facts(store))
                    .order_by(s.stories.c.outlets.desc(), s.stories.c.last_at.desc(), s.stories.c.id)
                    .limit(FACTS_BATCH)).scalars())
                if not ids:
                    return written
                stamps = _updated_at(connection, s, ids)
                members = store.articles_of(connection, ids, pick=summary_inputs)
            memories = _memories(store, [a for sid in ids for a in members[sid]], engine)
            made = dict(zip(ids, engine.imap(_story_facts, [(members[sid], [memories.get(a.id) for a in members[sid]])
                                                            for sid in ids])))
            with database_errors(store.url), store.engine.begin() as connection:
                # a story changed meanwhile lost its articles' facts: store only for stories still as read
                current = sorted(_unchanged(connection, s, stamps))
                _replace(connection, s.facts, s.facts.c.story_id, current,
                         [{"story_id": sid, "data": made[sid], "rules": made[sid]["rules"], "updated_at": utcnow()}
                          for sid in current])
                store.schema.count_change(connection)
            written += len(current)
            if progress:
                progress(len(current))
            if not current:
                return written
    return written


def _story_facts(item: tuple[list[Article], list[bytes | None]]) -> dict:
    return story_facts(*item)


def _memories(store: Store, articles: Sequence[Article], engine: Engine) -> dict[str, bytes]:
    """Each article's memory of its sentences (``pipeline.article_memory``), by id: the kept
    ones read, the others made on ``engine``'s workers and kept, each in its own article row
    (no story changes, so no other writer's work is undone)."""
    sqlalchemy = _sqlalchemy()
    t = store.schema.articles
    with store.read() as connection:
        found = store.memories_of(connection, {a.id for a in articles})
    missing = list({a.id: a for a in articles if a.id not in found}.values())
    if not missing:
        return found
    made = dict(zip((a.id for a in missing), engine.imap(article_memory, missing)))
    with database_errors(store.url), store.engine.begin() as connection:
        connection.execute(t.update().where(t.c.id == sqlalchemy.bindparam("article_id"))
                           .values(memory=sqlalchemy.bindparam("made")),
                           [{"article_id": i, "made": memory} for i, memory in made.items()])
    found.update(made)
    return found


def _updated_at(connection, s, story_ids) -> dict[str, datetime]:
    sqlalchemy = _sqlalchemy()
    stamps: dict[str, datetime] = {}
    for batch in batches(story_ids):
        stamps.update(connection.execute(sqlalchemy.select(s.stories.c.id, s.stories.c.updated_at)
                                         .where(s.stories.c.id.in_(batch))).all())
    return stamps


def _unchanged(connection, s, read: dict[str, datetime]) -> set[str]:
    """The stories whose ``updated_at`` is still what was read: no writer changed them since."""
    now = _updated_at(connection, s, read)
    return {sid for sid, stamp in read.items() if now.get(sid) == stamp}


def _texts_per_story(connection, s, ids: list[str]) -> dict[str, int]:
    """Distinct texts (duplicate groups) in each story."""
    sqlalchemy = _sqlalchemy()
    counts: dict[str, int] = {}
    for batch in batches(ids):
        query = (sqlalchemy.select(s.articles.c.story_id, sqlalchemy.func.count(sqlalchemy.distinct(s.articles.c.group_head)))
                 .where(s.articles.c.story_id.in_(batch)).group_by(s.articles.c.story_id))
        counts.update(dict(connection.execute(query).all()))
    return counts


def _ingest_chunk(
    store: Store, part: Sequence[Article], report: IngestReport, config: ClusterConfig | None, part_keys: list[str],
    prepared: dict[str, tuple], columns: dict[str, dict],
) -> None:
    """``part_keys``: each article's text key, by position (two articles of one batch may carry
    the same id); ``prepared`` and ``columns``: what ``_prepare_ahead`` computed, by article id."""
    sqlalchemy = _sqlalchemy()
    s = store.schema
    now = utcnow()
    with store.engine.begin() as connection:
        loaded = _load_state(store, connection, config)
        state = loaded.state
        urls = [a.url for a in part if a.url]
        known_keys = _known_texts(connection, s, list(set(part_keys)))
        known_urls = _existing(connection, s.articles.c.url, urls)
        taken_ids = _existing(connection, s.articles.c.id, [a.id for a in part])
        fresh: list[Article] = []
        keys: dict[str, str] = {}  # id as stored -> text key
        renamed: set[str] = set()
        for article, key in zip(part, part_keys):
            if (article.source, key) in known_keys or (article.url and article.url in known_urls):
                report.already_stored += 1
                continue
            known_keys.add((article.source, key))
            if article.url:
                known_urls.add(article.url)
            if article.id in taken_ids:  # another article already has this id: keep both
                article = _renamed(article, key, taken_ids, connection, s)
                renamed.add(article.id)  # what was prepared under this id is another article's
            taken_ids.add(article.id)
            keys[article.id] = key
            fresh.append(article)
        if not fresh:
            return
        prepared = {i: value for i, value in prepared.items() if i not in renamed}
        columns = {i: value for i, value in columns.items() if i not in renamed}
        changes = add_articles(state, fresh, prepared=prepared)
        changed = [to_story(record, state.config) for record in changes.changed]
        closing = _closing_time(fresh, now)
        closed = close_stories(state, closing) if closing is not None else []

        story_of, head_of = {}, {}
        for story in changed:
            for member, head in story.heads().items():
                story_of[member], head_of[member] = story.id, head
        rows = []
        for a in fresh:
            rows.append({
                "id": a.id, "url": http_url(a.url) or None, "text_key": keys[a.id], "title": a.title, "sapo": a.sapo,
                "text": a.text, "source": a.source, "published": a.published, "image": http_url(a.image) or None,
                "section": a.section or None,
                "published_at": parse_time(a.published), "ingested_at": now, "story_id": story_of[a.id],
                "group_head": head_of[a.id], **(columns[a.id] if a.id in columns else _article_columns(a)),
            })
            report.duplicates += head_of[a.id] != a.id
        connection.execute(s.articles.insert(), rows)
        report.stored += len(rows)
        _move_articles(connection, s, changes.moved)
        for table, key in ((s.stories, s.stories.c.id), (s.summaries, s.summaries.c.story_id),
                           (s.facts, s.facts.c.story_id)):
            _replace(connection, table, key, changes.removed, [])

        changed_ids = [r.id for r in changed]
        report.stories_changed.difference_update(changes.removed)
        report.stories_changed.update(changed_ids)
        stats = _story_stats(connection, s, changed_ids)
        story_rows = []
        lead_of = {a.id: a for a in fresh}
        for story in changed:
            if not story.title:  # no article gave a title: the lead article's first line stands in
                story.title = _headline(lead_of.get(story.article_ids[0])) or _stored_title(connection, s, story.id)
            count, outlets, first, last = stats[story.id]
            text, folded = search_fields(story.title, " ".join(story.keywords))
            story_rows.append({"id": story.id, "title": story.title, "keywords": story.keywords, "articles": count,
                               "outlets": outlets, "first_at": first, "last_at": last, "updated_at": now,
                               "summary_stale": True, "search_text": text, "search_folded": folded})
        _replace(connection, s.stories, s.stories.c.id, changed_ids, story_rows)
        _replace(connection, s.facts, s.facts.c.story_id, changed_ids, [])  # extracted again (refresh_facts)
        _readable_summaries(store, connection, changed_ids, now)
        total = connection.execute(sqlalchemy.select(sqlalchemy.func.count()).select_from(s.articles)).scalar_one()
        _save_state(store, connection, loaded, total, changed_ids, [*changes.removed, *(r.id for r in closed)])
        s.count_change(connection)


# The story state keeps a story open to new articles until the newest article stored is this
# many days (plus ``ClusterConfig.max_gap_days``) past the story's last one; then it is closed
# (``close_stories``): stored as it is, but no longer held in the state, which is loaded and
# rewritten with every chunk. Without it a watch running for weeks held every story it ever
# made, in memory and in each chunk's transaction. An article published more than this long
# before the newest one stored (an archive ingested out of order) starts its own story instead
# of joining one of its own days: ingest archives oldest first.
KEEP_OPEN_DAYS = 14


def _closing_time(fresh: Sequence[Article], now: datetime) -> datetime | None:
    """Before what time a story must have ended to be closed after storing ``fresh``: the newest
    publication time among them (no later than a day after ``now``: a page dated years ahead
    must not close every story) less ``KEEP_OPEN_DAYS``; None when none is dated."""
    newest = max((t for t in (parse_time(a.published) for a in fresh) if t is not None), default=None)
    if newest is None:
        return None
    return min(newest, now + timedelta(days=1)) - timedelta(days=KEEP_OPEN_DAYS)


def _readable_summaries(store: Store, connection, story_ids: list[str], now: datetime) -> None:
    """Inside the chunk's transaction: a summary for each changed story that needs one now (see
    the module's docstring). A story of one text gets its final summary; the others keep their
    summary when it still cites only their own articles, and are left stale either way."""
    from diemtin.summarizer import summarize_clusters  # noqa: PLC0415

    sqlalchemy = _sqlalchemy()
    s = store.schema
    texts = _texts_per_story(connection, s, story_ids)
    held: dict[str, set[str]] = {sid: set() for sid in story_ids}
    cited: dict[str, set[str]] = {}
    for batch in batches(story_ids):
        for article_id, story_id in connection.execute(sqlalchemy.select(s.articles.c.id, s.articles.c.story_id)
                                                       .where(s.articles.c.story_id.in_(batch))):
            held[story_id].add(article_id)
        for story_id, sentences in connection.execute(sqlalchemy.select(s.summaries.c.story_id, s.summaries.c.sentences)
                                                      .where(s.summaries.c.story_id.in_(batch))):
            cited[story_id] = {x["article_id"] for x in sentences}
    todo = [sid for sid in story_ids
            if texts.get(sid, 0) <= 1 or sid not in cited or not cited[sid] <= held[sid]]
    if not todo:
        return
    leads = store.articles_of(connection, todo, pick=lambda articles: articles[:1])
    made = summarize_clusters([Cluster(sid, leads[sid][:1]) for sid in todo], length=DEFAULT_LENGTH,
                              method="opening")  # in this process: no segmentation, cheap
    rows = [{"story_id": m.cluster_id, "length": m.length, "updated_at": now,
             "sentences": [x.to_dict() for x in m.sentences]} for m in made]
    _replace(connection, s.summaries, s.summaries.c.story_id, todo, rows)
    final = [sid for sid in todo if texts.get(sid, 0) <= 1]
    for batch in batches(final):
        connection.execute(s.stories.update().where(s.stories.c.id.in_(batch)).values(summary_stale=False))


def _move_articles(connection, s, moved: dict[str, str]) -> None:
    """Point stored articles at the stories they were regrouped into (``ClusterConfig.reopen``)."""
    by_story: dict[str, list[str]] = {}
    for article_id, story_id in moved.items():
        by_story.setdefault(story_id, []).append(article_id)
    for story_id, article_ids in by_story.items():
        for batch in batches(article_ids):
            connection.execute(s.articles.update().where(s.articles.c.id.in_(batch)).values(story_id=story_id))


def _headline(article: Article | None, limit: int = 120) -> str:
    if article is None:
        return ""
    first = (article.sapo or article.text).split("\n")[0]
    for end in (". ", "? ", "! "):
        if end in first[:limit]:
            first = first[: first.index(end) + 1]
            break
    return first if len(first) <= limit else first[:limit].rsplit(" ", 1)[0] + "…"


def _stored_title(connection, s, story_id: str) -> str:
    sqlalchemy = _sqlalchemy()
    return connection.execute(sqlalchemy.select(s.stories.c.title).where(s.stories.c.id == story_id)).scalar() or ""


def _renamed(article: Article, key: str, taken: set[str], connection, s) -> Article:
    """The article under a free id: its own with a piece of its text key (the same article
    renamed again gets the same id), then a counter. Free means neither in this batch nor stored."""
    candidates = (f"{article.id}~{key[:n]}" for n in range(4, len(key) + 1, 4))
    counted = (f"{article.id}~{key[:4]}-{n}" for n in range(2, 10**9))
    candidate = next(c for c in itertools.chain(candidates, counted)
                     if c not in taken and not _existing(connection, s.articles.c.id, [c]))
    return Article(candidate, article.title, article.text, article.sapo, article.source, article.published,
                   article.url)


def stored_urls(store: Store, urls: list[str]) -> set[str]:
    """Which of ``urls`` the store holds an article of."""
    with database_errors(store.url), store.read() as connection:
        return _existing(connection, store.schema.articles.c.url, list(set(urls)))


def _existing(connection, column, values: list[str]) -> set[str]:
    found: set[str] = set()
    sqlalchemy = _sqlalchemy()
    for batch in batches(values):
        found.update(connection.execute(sqlalchemy.select(column).where(column.in_(batch))).scalars())
    return found


def _known_texts(connection, s, keys: list[str]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    sqlalchemy = _sqlalchemy()
    column = s.articles.c.text_key
    for batch in batches(keys):
        rows = connection.execute(sqlalchemy.select(s.articles.c.source, column).where(column.in_(batch)))
        found.update((source, key) for source, key in rows)
    return found


def _story_stats(connection, s, story_ids: list[str]) -> dict[str, tuple]:
    sqlalchemy = _sqlalchemy()
    moment = sqlalchemy.func.coalesce(s.articles.c.published_at, s.articles.c.ingested_at)
    # an article whose outlet is unknown counts as its own outlet (its copies do not)
    source = sqlalchemy.func.coalesce(sqlalchemy.func.nullif(s.articles.c.source, ""),
                                      sqlalchemy.literal("?") + s.articles.c.group_head)
    stats = {}
    for batch in batches(story_ids):
        query = (sqlalchemy.select(s.articles.c.story_id, sqlalchemy.func.count(),
                                   sqlalchemy.func.count(sqlalchemy.distinct(source)),
                                   sqlalchemy.func.min(moment), sqlalchemy.func.max(moment))
                 .where(s.articles.c.story_id.in_(batch))
                 .group_by(s.articles.c.story_id))
        for story_id, count, outlets, first, last in connection.execute(query):
            stats[story_id] = (count, outlets, _as_datetime(first), _as_datetime(last))
    return stats


def _as_datetime(value) -> datetime | None:
    # SQLite returns min()/max() of a DateTime column as text
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _replace(connection, table, key, ids: list[str], rows: list[dict]) -> None:
    for batch in batches(ids):
        connection.execute(table.delete().where(key.in_(batch)))
    if rows:
        connection.execute(table.insert(), rows)

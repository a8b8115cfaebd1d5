"""Store: articles, duplicate groups, stories, summaries and facts in SQLite or PostgreSQL.

SQLite (a ``diemtin.db`` file, no server) is the default; ``DIEMTIN_DATABASE_URL`` or
``--db`` picks another database, for example ``postgresql://user:pass@host/diemtin``. One code
path serves both (SQLAlchemy Core). Reads are here; the write path is ``diemtin.store.update``.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from diemtin.config import DEFAULT_DATABASE, Settings
from diemtin.errors import DiemtinError, require
from diemtin.text.normalize import fold_diacritics
from diemtin.text.memory import is_current
from diemtin.times import publication_order
from diemtin.types import Article, ArticleRecord, SearchResult, StoryBrief, StoryRecord


def _sqlalchemy():
    return require("sqlalchemy", "SQLAlchemy", "service")


def database_url(given: str | None = None) -> str:
    """``given`` (a URL or a file path), else ``DIEMTIN_DATABASE_URL``, else ``diemtin.db`` here."""
    value = given or Settings.from_env().database_url or DEFAULT_DATABASE
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser()}"
    if value.startswith("postgresql://"):  # SQLAlchemy's default driver would be psycopg2
        value = "postgresql+psycopg://" + value[len("postgresql://"):]
    return value


def _describe(url: str) -> str:
    return url.split("///", 1)[1] if url.startswith("sqlite:///") else url.split("@")[-1]


@contextmanager
def database_errors(url: str) -> Iterator[None]:
    """Turn the database failures a user can fix (read-only file, full disk, no server) into DiemtinError."""
    sqlalchemy = _sqlalchemy()
    try:
        yield
    except sqlalchemy.exc.OperationalError as exc:
        detail = str(exc.orig).strip().split("\n")[0] if exc.orig else str(exc)
        lowered = detail.lower()
        if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
            hint = "the database is read-only; give a writable file or fix its permissions"
        elif "disk" in lowered and "full" in lowered or "no space" in lowered:
            hint = "the disk is full; free space and run the command again (nothing was half-written)"
        elif "disk i/o error" in lowered:  # SQLite's word for a write the system refused
            hint = ("could not write to the disk (full, over a file-size limit, or failing); free space and run "
                    "the command again (nothing was half-written)")
        elif "unable to open" in lowered:
            hint = "cannot open the database file; check that its folder exists and is writable"
        elif "connect" in lowered or "connection" in lowered:
            hint = "cannot reach the database server; check DIEMTIN_DATABASE_URL and that the server runs"
        else:
            hint = "the database refused the operation"
        raise DiemtinError(f"{_describe(url)}: {hint} ({detail})") from None


# Values per SQL "IN (...)": well under SQLite's limit of bound parameters.
IN_BATCH = 500
# The section of a story that has no text to classify (NULL is "not classified yet").
NO_SECTION = ""
# Characters of an article's opening read with its title: enough to name an untitled article.
OPENING_CHARS = 200


def batches(values, size: int = IN_BATCH):
    """``values`` as consecutive lists of at most ``size``, for IN clauses."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def search_fields(*parts: str) -> tuple[str, str]:
    text = " ".join(p for p in parts if p).lower()
    return text, fold_diacritics(text)


class Store:
    """A diemtin database. ``Store.open()`` creates or upgrades the schema as needed."""

    def __init__(self, url: str):
        sqlalchemy = _sqlalchemy()
        from diemtin.store import schema  # noqa: PLC0415

        self.url = url
        self.schema = schema
        kwargs: dict = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"timeout": 60, "check_same_thread": False}
        elif url.startswith("postgresql"):
            require("psycopg", "psycopg", "postgres")
        self.engine = sqlalchemy.create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            @sqlalchemy.event.listens_for(self.engine, "connect")
            def _pragmas(connection, _record):
                cursor = connection.cursor()
                # WAL: readers never wait for the writer, and a killed writer loses only
                # its uncommitted transaction
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
                cursor.close()
        with database_errors(url), self.engine.begin() as connection:
            schema.upgrade(connection)
        self._state_cache = None  # (articles count, StoryState) of the last write

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        return cls(database_url(url))

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def read(self):
        with database_errors(self.url), self.engine.connect() as connection:
            yield connection

    # ---- reads -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        sqlalchemy = _sqlalchemy()
        s = self.schema
        with self.read() as c:
            return {
                "articles": c.execute(sqlalchemy.select(sqlalchemy.func.count()).select_from(s.articles)).scalar_one(),
                "stories": c.execute(sqlalchemy.select(sqlalchemy.func.count()).select_from(s.stories)).scalar_one(),
                "summaries": c.execute(sqlalchemy.select(sqlalchemy.func.count()).select_from(s.summaries)).scalar_one(),
                "duplicates": c.execute(sqlalchemy.select(sqlalchemy.func.count()).select_from(s.articles)
                                        .where(s.articles.c.group_head != s.articles.c.id)).scalar_one(),
            }

    def latest_time(self) -> datetime | None:
        sqlalchemy = _sqlalchemy()
        with self.read() as c:
            return c.execute(sqlalchemy.select(sqlalchemy.func.max(self.schema.stories.c.last_at))).scalar_one()

    def stories(self, limit: int = 50, offset: int = 0) -> list[StoryBrief]:
        """Stories, newest first (the digest ranks with ``ranking_rows``)."""
        sqlalchemy = _sqlalchemy()
        t = self.schema.stories
        query = sqlalchemy.select(t).order_by(t.c.last_at.desc(), t.c.id)
        with self.read() as c:
            return [_story_row(r) for r in c.execute(query.limit(limit).offset(offset))]

    def version(self) -> str:
        """Changes with every write (``schema.CHANGES``): a key for caching what is read."""
        sqlalchemy = _sqlalchemy()
        meta = self.schema.meta
        with self.read() as c:
            return c.execute(sqlalchemy.select(meta.c.value).where(meta.c.key == self.schema.CHANGES)).scalar_one()

    def ranking_rows(self, since: datetime | None, until: datetime | None, section: str | None = None) -> list[tuple]:
        """(id, outlets, articles, last time) of every story in the window (and ``section``, when
        given): what ranking needs, nothing more."""
        sqlalchemy = _sqlalchemy()
        t = self.schema.stories
        query = sqlalchemy.select(t.c.id, t.c.outlets, t.c.articles, t.c.last_at)
        if section is not None:
            query = query.where(t.c.section == section)
        if since is not None:
            query = query.where(t.c.last_at >= since)
        if until is not None:
            query = query.where(t.c.first_at <= until)
        with self.read() as c:
            return c.execute(query).all()

    def story(self, story_id: str) -> StoryRecord | None:
        sqlalchemy = _sqlalchemy()
        s = self.schema
        with self.read() as c:
            row = c.execute(sqlalchemy.select(s.stories).where(s.stories.c.id == story_id)).first()
            if row is None:
                return None
            story = _story_row(row)
            members = c.execute(
                sqlalchemy.select(s.articles.c.id, s.articles.c.title, s.articles.c.source, s.articles.c.url,
                                  s.articles.c.published, s.articles.c.published_at, s.articles.c.ingested_at,
                                  s.articles.c.group_head, s.articles.c.image, _opening(s.articles))
                .where(s.articles.c.story_id == story_id).order_by(s.articles.c.id)).all()
            members = _in_publication_order(members)
            summary = c.execute(sqlalchemy.select(s.summaries).where(s.summaries.c.story_id == story_id)).first()
            facts = c.execute(sqlalchemy.select(s.facts.c.data).where(s.facts.c.story_id == story_id)).first()
        story["members"] = [
            {"id": m.id, "title": m.title, "source": m.source, "url": m.url, "published": m.published,
             "published_at": _iso(m.published_at), "opening": m.opening, "image": m.image,
             "duplicate_of": None if m.group_head == m.id else m.group_head} for m in members]
        groups: dict[str, list[str]] = {}
        for m in members:
            groups.setdefault(m.group_head, []).append(m.id)
        story["duplicate_groups"] = [g for g in groups.values() if len(g) > 1]
        story["summary"] = ({"length": summary.length, "sentences": summary.sentences} if summary else None)
        # the opening of its first article for now: the learned summary is still to be written
        story["summary_stale"] = bool(row.summary_stale)
        story["facts"] = facts.data if facts else None
        return story

    def story_index_rows(self) -> list[tuple[str, str, list[str], datetime | None]]:
        """(id, title, keywords, last time) of every story: what related stories and series are
        found by (``digest.StoryIndex``)."""
        sqlalchemy = _sqlalchemy()
        t = self.schema.stories
        with self.read() as c:
            return [(r.id, r.title, list(r.keywords), r.last_at)
                    for r in c.execute(sqlalchemy.select(t.c.id, t.c.title, t.c.keywords, t.c.last_at))]

    def story_briefs(self, story_ids: list[str]) -> list[StoryBrief]:
        """The briefs of these stories, in the order given (an id no longer stored is left out)."""
        sqlalchemy = _sqlalchemy()
        t = self.schema.stories
        found = {}
        with self.read() as c:
            for batch in batches(story_ids):
                found.update((r.id, _story_row(r)) for r in c.execute(sqlalchemy.select(t).where(t.c.id.in_(batch))))
        return [found[i] for i in story_ids if i in found]

    def article(self, article_id: str) -> ArticleRecord | None:
        sqlalchemy = _sqlalchemy()
        t = self.schema.articles
        with self.read() as c:
            row = c.execute(sqlalchemy.select(t).where(t.c.id == article_id)).first()
        if row is None:
            return None
        return {
            "id": row.id, "title": row.title, "sapo": row.sapo, "text": row.text, "source": row.source,
            "url": row.url, "published": row.published, "story_id": row.story_id,
            "duplicate_of": None if row.group_head == row.id else row.group_head,
            "published_at": _iso(row.published_at), "opening": (row.sapo or row.text)[:OPENING_CHARS],
            "ingested_at": row.ingested_at.isoformat(timespec="seconds"),
        }

    def articles_of(self, connection, story_ids, pick: Callable[[list], list] | None = None) -> dict[str, list]:
        """Articles (as ``Article``) of each story, in publication order (``times.publication_order``:
        an article of unknown time counts from when it was ingested; ties by id), inside a transaction.

        ``pick``: which of a story's articles (given in that order) to read; the others' text is
        not read (a story of 80 reports whose summary reads 20).
        """
        sqlalchemy = _sqlalchemy()

        t = self.schema.articles
        ordering = (t.c.id, t.c.story_id, t.c.published_at, t.c.ingested_at)  # what the order is made from
        whole = (*ordering, t.c.title, t.c.text, t.c.sapo, t.c.source, t.c.published, t.c.url, t.c.section)
        rows_of: dict[str, list] = {sid: [] for sid in story_ids}
        for batch in batches(rows_of):
            for r in connection.execute(sqlalchemy.select(*(whole if pick is None else ordering))
                                        .where(t.c.story_id.in_(batch)).order_by(t.c.id)):
                rows_of[r.story_id].append(r)
        ordered = {sid: _in_publication_order(rows) for sid, rows in rows_of.items()}
        if pick is not None:
            chosen = {sid: [r.id for r in pick(rows)] for sid, rows in ordered.items()}
            by_id = {}
            for batch in batches([i for ids in chosen.values() for i in ids]):
                by_id.update((r.id, r) for r in connection.execute(sqlalchemy.select(*whole).where(t.c.id.in_(batch))))
            ordered = {sid: [by_id[i] for i in ids] for sid, ids in chosen.items()}
        return {sid: [Article(r.id, r.title, r.text, r.sapo, r.source, r.published, r.url or "", section=r.section or "")
                      for r in rows]
                for sid, rows in ordered.items()}

    def segmented_of(self, connection, article_ids) -> dict[str, dict[str, list[str]]]:
        """The sentences kept word-segmented for each article (``articles.segmented``), by id;
        an article with none kept is left out."""
        sqlalchemy = _sqlalchemy()
        t = self.schema.articles
        found: dict[str, dict[str, list[str]]] = {}
        for batch in batches(list(article_ids)):
            rows = connection.execute(sqlalchemy.select(t.c.id, t.c.segmented)
                                      .where(t.c.id.in_(batch), t.c.segmented.is_not(None)))
            found.update((r.id, json.loads(r.segmented)) for r in rows)
        return found

    def memories_of(self, connection, article_ids) -> dict[str, bytes]:
        """Each article's memory of its sentences (``articles.memory``, ``text.memory``) made by
        this release, by id; an article with none, or another release's, is left out."""
        sqlalchemy = _sqlalchemy()
        t = self.schema.articles
        found: dict[str, bytes] = {}
        for batch in batches(list(article_ids)):
            rows = connection.execute(sqlalchemy.select(t.c.id, t.c.memory)
                                      .where(t.c.id.in_(batch), t.c.memory.is_not(None)))
            found.update((i, memory) for i, memory in ((r.id, bytes(r.memory)) for r in rows) if is_current(memory))
        return found

    def search(self, query: str, fold: bool = False, limit: int = 20) -> SearchResult:
        """Articles and stories whose text holds every word of ``query`` (case-insensitive).

        ``fold=True`` also ignores diacritics: "ha noi" finds "Hà Nội".
        """
        sqlalchemy = _sqlalchemy()
        s = self.schema
        # control characters separate words: a NUL ended SQLite's pattern early, and "%\x00%"
        # matched every article
        text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in query)
        words = (fold_diacritics(text) if fold else text.lower()).split()
        if not words:
            return {"query": query, "fold": fold, "articles": [], "stories": []}

        def matching(table):
            column = table.c.search_folded if fold else table.c.search_text
            return sqlalchemy.and_(*[column.contains(w, autoescape=True) for w in words])

        with self.read() as c:
            found_articles = c.execute(
                sqlalchemy.select(s.articles.c.id, s.articles.c.title, s.articles.c.source, s.articles.c.url,
                                  s.articles.c.published, s.articles.c.published_at, s.articles.c.story_id,
                                  _opening(s.articles))
                .where(matching(s.articles)).order_by(s.articles.c.published_at.desc(), s.articles.c.id)
                .limit(limit)).all()
            found_stories = c.execute(sqlalchemy.select(s.stories).where(matching(s.stories))
                                      .order_by(s.stories.c.last_at.desc(), s.stories.c.id).limit(limit)).all()
        return {
            "query": query, "fold": fold,
            "articles": [{"id": a.id, "title": a.title, "source": a.source, "url": a.url,
                          "published": a.published, "published_at": _iso(a.published_at), "opening": a.opening,
                          "story_id": a.story_id} for a in found_articles],
            "stories": [_story_row(r) for r in found_stories],
        }


def _opening(table):
    """The first characters of an article's lead (or text): what names an untitled article."""
    sqlalchemy = _sqlalchemy()
    return sqlalchemy.func.substr(sqlalchemy.func.coalesce(sqlalchemy.func.nullif(table.c.sapo, ""), table.c.text),
                                  1, OPENING_CHARS).label("opening")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="minutes") if moment else None


def _in_publication_order(rows: list) -> list:
    """A story's article rows (read in id order) in ``times.publication_order``: an article of
    unknown time counts from when it was ingested; ties stay in id order."""
    return [rows[i] for i in publication_order([r.published_at for r in rows], seen=[r.ingested_at for r in rows])]


def _story_row(row) -> StoryBrief:
    return {
        "id": row.id, "title": row.title, "keywords": list(row.keywords), "articles": row.articles,
        "outlets": row.outlets, "first_published": _iso(row.first_at), "last_published": _iso(row.last_at),
        "section": row.section or None,
    }

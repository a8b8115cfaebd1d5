"""The store's tables, and the steps that create and upgrade them.

One schema for SQLite and PostgreSQL (SQLAlchemy Core). ``upgrade`` runs at every open: it
creates missing tables and applies each numbered step past the version recorded in ``meta``,
in one transaction, so a database made by an older diemtin is brought up to date in place.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON, Boolean, Column, DateTime, Integer, LargeBinary, MetaData, String, Table, Text, UniqueConstraint, inspect, select,
)

from diemtin.errors import DiemtinError

SCHEMA_VERSION = 10
# meta["changes"] counts the write transactions (schema 3): readers key their caches by it. It
# replaced counting rows and taking the newest time of three tables on every page, which cost
# 50 ms once the facts table held the whole corpus's facts (2.4 s from a cold cache).
CHANGES = "changes"

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", String(255), primary_key=True),
    # NULL when the source gave none; unique otherwise, so a URL is stored once
    Column("url", String(2048), unique=True, nullable=True),
    # hash of the normalised body syllables: the same text from the same outlet is stored
    # once; another outlet's copy is stored and joins the first one's duplicate group
    Column("text_key", String(32), nullable=False, index=True),
    Column("title", Text, nullable=False, default=""),
    Column("sapo", Text, nullable=False, default=""),
    Column("text", Text, nullable=False),
    Column("source", String(255), nullable=False, default=""),
    Column("published", String(64), nullable=True),  # as the source gave it
    Column("published_at", DateTime, nullable=True, index=True),
    Column("ingested_at", DateTime, nullable=False),
    Column("story_id", String(64), nullable=False, index=True),
    # first article of its duplicate group (itself when it is no copy)
    Column("group_head", String(255), nullable=False, index=True),
    # lower-cased text for search, and the same without diacritics ("ha noi" finds "Hà Nội")
    Column("search_text", Text, nullable=False),
    Column("search_folded", Text, nullable=False),
    # JSON {sentence: [words]}: the title and lead sentences as word-segmented for clustering,
    # so the story's summary does not segment them again (NULL: none kept). Schema 2.
    Column("segmented", Text, nullable=True),
    # the lead image's http(s) URL, when the source named one (schema 5)
    Column("image", String(2048), nullable=True),
    # the outlet's own section for it, as the source named it ("" when none; schema 6)
    Column("section", String(128), nullable=True),
    # what underthesea made of its sentences for its story's summary and facts
    # (``text.memory``; schema 8): NULL until its story is first summarised or given facts
    Column("memory", LargeBinary, nullable=True),
    UniqueConstraint("source", "text_key", name="one_text_per_outlet"),
)

stories = Table(
    "stories", metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text, nullable=False),
    Column("keywords", JSON, nullable=False),
    Column("articles", Integer, nullable=False),
    Column("outlets", Integer, nullable=False),
    Column("first_at", DateTime, nullable=True),
    Column("last_at", DateTime, nullable=True, index=True),
    Column("updated_at", DateTime, nullable=False),
    # set when the story's articles change; cleared when its summary is rewritten
    Column("summary_stale", Boolean, nullable=False, default=True, index=True),
    # the story's news section (``diemtin.sections``); NULL until classified (schema 4), ""
    # for a story with no text to classify
    Column("section", String(64), nullable=True, index=True),
    Column("search_text", Text, nullable=False),
    Column("search_folded", Text, nullable=False),
)

summaries = Table(
    "summaries", metadata,
    Column("story_id", String(64), primary_key=True),
    Column("length", Integer, nullable=False),
    Column("sentences", JSON, nullable=False),  # [{"article_id", "sentence_index", "text"}]
    Column("updated_at", DateTime, nullable=False),
)

facts = Table(
    "facts", metadata,
    Column("story_id", String(64), primary_key=True),
    Column("data", JSON, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # data["rules"] (``facts.RULES_VERSION``; schema 10): finding the stories whose facts are
    # missing or older read every story's facts JSON, 0.48 s per query after 17,000 articles
    Column("rules", Integer, nullable=True),
)

# The story layer's state (document frequencies, duplicate index, the order of the open
# stories): one row, rewritten in the same transaction as the articles it describes, so the
# two never disagree. Until schema 9 it held the open stories' records too.
story_state = Table(
    "story_state", metadata,
    Column("id", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
    Column("articles", Integer, nullable=False),
)

# Each open story's record in the story layer (its vectors, heads, keywords; schema 9), so a
# chunk rewrites the stories it changed: the whole state, rewritten by every chunk, was 61 MB
# after 8,500 articles of a day and took 1.5 s to pickle alone.
story_records = Table(
    "story_records", metadata,
    Column("story_id", String(64), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

# The feeds ``diemtin watch`` polls (schema 7): the validators of each feed's last answer, so
# a restarted watch asks conditionally, its counts for /metrics, and which watch owns it: a
# watch claims its feeds at start and keeps a heartbeat, and a second watch that would poll a
# feed a live one owns refuses to start.
feeds = Table(
    "feeds", metadata,
    Column("url", String(2048), primary_key=True),
    Column("outlet", String(256), nullable=False),
    Column("section", String(128), nullable=False, default=""),
    Column("etag", String(512), nullable=False, default=""),
    Column("last_modified", String(128), nullable=False, default=""),
    Column("fetched", Integer, nullable=False, default=0),
    Column("not_modified", Integer, nullable=False, default=0),
    Column("new", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
    Column("last_success", DateTime),
    Column("last_error", DateTime),
    Column("last_problem", Text, nullable=False, default=""),
    Column("owner", String(256)),  # host:pid of the watch polling it, None when none does
    Column("heartbeat", DateTime),
)

# Upgrade steps: version -> SQL statements (or functions of the connection) that take a database
# of version - 1 to version.
# Version 1 is the first schema (made by create_all).
UPGRADES: dict[int, list] = {
    2: ["ALTER TABLE articles ADD COLUMN segmented TEXT"],
    3: [f"INSERT INTO meta (key, value) VALUES ('{CHANGES}', '0')"],
    4: ["ALTER TABLE stories ADD COLUMN section VARCHAR(64)", "CREATE INDEX ix_stories_section ON stories (section)"],
    5: ["ALTER TABLE articles ADD COLUMN image VARCHAR(2048)"],
    6: ["ALTER TABLE articles ADD COLUMN section VARCHAR(128)"],
    7: [],  # the feeds table, made by create_all
    8: ["ALTER TABLE articles ADD COLUMN memory {binary}"],
    9: [],  # story_records, made by create_all; the state row is split at its next write
    10: ["ALTER TABLE facts ADD COLUMN rules INTEGER",
         lambda connection: connection.execute(facts.update().values(rules=facts.c.data["rules"].as_integer()))],
}


def current_version(connection) -> int:
    if not inspect(connection).has_table("meta"):
        return 0
    row = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version")).first()
    return int(row[0]) if row else 0


def upgrade(connection) -> int:
    """Create or upgrade the schema inside the caller's transaction; returns the version."""
    version = current_version(connection)
    if version > SCHEMA_VERSION:

        raise DiemtinError(f"the database was made by a newer diemtin (schema {version}, this one knows "
                           f"{SCHEMA_VERSION}); upgrade diemtin with  pip install -U diemtin")
    metadata.create_all(connection)
    if version == 0:
        connection.execute(meta.insert().values(key="schema_version", value=str(SCHEMA_VERSION)))
        connection.execute(meta.insert().values(key=CHANGES, value="0"))
        return SCHEMA_VERSION
    if version == SCHEMA_VERSION:  # nothing to write: a read-only database opens too
        return version
    binary = connection.dialect.type_compiler.process(LargeBinary())  # BLOB, BYTEA
    for step in range(version + 1, SCHEMA_VERSION + 1):
        for statement in UPGRADES.get(step, []):
            if callable(statement):
                statement(connection)
            else:
                connection.exec_driver_sql(statement.format(binary=binary))
    connection.execute(meta.update().where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))
    return SCHEMA_VERSION


def count_change(connection) -> None:
    """Count one more write transaction (``CHANGES``), inside it."""
    from sqlalchemy import Integer, String, cast  # noqa: PLC0415

    connection.execute(meta.update().where(meta.c.key == CHANGES)
                       .values(value=cast(cast(meta.c.value, Integer) + 1, String)))

"""Store: the digest service's database (SQLite by default, PostgreSQL by URL)."""

from diemtin.store.database import Store, database_url
from diemtin.store.update import (
    IngestReport, ingest_articles, missing_facts, refresh_facts, refresh_summaries, stale_summaries,
)

__all__ = ["IngestReport", "Store", "database_url", "ingest_articles", "missing_facts", "refresh_facts",
           "refresh_summaries", "stale_summaries"]

"""Store: the digest service's database (SQLite by default, PostgreSQL by URL)."""

from diemtin.store.database import Store, database_url
from diemtin.store.update import IngestReport, ensure_facts, ingest_articles, refresh_summaries, stale_summaries

__all__ = ["IngestReport", "ensure_facts", "Store", "database_url", "ingest_articles", "parse_since", "refresh_summaries", "stale_summaries"]

"""Sources -> Article: readers for text files, folders, article JSONL and cluster JSONL."""

from diemtin.ingest.readers import Batch, read_sources

__all__ = ["Batch", "read_sources"]

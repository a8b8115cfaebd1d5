"""What every route of the app shares: the store, the API token, one writer lock and the read caches.

Requests only read (a POST stores articles under the lock); what they read is cached by the
store's change counter (``Store.version``), so a cached answer is never older than the store.
"""

# No "from __future__ import annotations": FastAPI reads these annotations live.

import json
import threading

from fastapi import HTTPException

from diemtin.digest import StoryIndex, build_digest, digest_entry, related_stories, series_stories
from diemtin.store import Store
from diemtin.times import utcnow
from diemtin.types import Digest, DigestEntry, SearchResult


class Service:
    def __init__(self, store: Store, token: str):
        self.store, self.token = store, token
        self.write_lock = threading.Lock()  # one writer in this process; the database serialises processes
        self._digests: dict = {}  # key -> [digest, its JSON bytes once asked for]
        self._searches: dict = {}
        self._index: tuple | None = None  # (store version, StoryIndex)
        self._index_lock = threading.Lock()

    def story_entry(self, story_id: str) -> DigestEntry:
        story = self.store.story(story_id)
        if story is None:
            raise HTTPException(404, f"no story with id '{story_id}'")
        entry = digest_entry(story, 1, 0.0)
        index = self._story_index()
        entry["related"] = related_stories(self.store, index, entry)
        entry["series"] = series_stories(self.store, index, entry)
        return entry

    def _story_index(self) -> StoryIndex:
        # reading every story's title and keywords takes a fraction of a second on the 35k store:
        # once per store version, and one thread builds it while the others wait (twenty
        # building it at once took seconds each)
        version = self.store.version()
        with self._index_lock:
            if self._index is None or self._index[0] != version:
                self._index = (version, StoryIndex(self.store.story_index_rows()))
            return self._index[1]

    def _digest(self, since: str, at: str | None, limit: int, order: str, offset: int, section: str | None) -> list:
        # Ranking reads every story of the window (700 ms for 12,700 stories); the result only
        # changes when a story, summary or facts change, or as the clock moves: cache it per minute.
        key = (since, at or utcnow().strftime("%Y-%m-%dT%H:%M"), limit, order, offset, section, self.store.version())
        if key not in self._digests:
            made = build_digest(self.store, since=since, at=at, limit=limit, order=order, offset=offset, section=section)
            _bounded_put(self._digests, key, [made, None])
        return self._digests[key]

    def digest(self, since: str, at: str | None, limit: int, order: str = "rank", offset: int = 0,
               section: str | None = None) -> Digest:
        return self._digest(since, at, limit, order, offset, section)[0]

    def digest_json(self, since: str, at: str | None, limit: int, order: str = "rank", offset: int = 0,
                    section: str | None = None) -> bytes:
        # Encoding a 460 kB digest takes 70 ms, most of a request's time: keep the bytes too.
        entry = self._digest(since, at, limit, order, offset, section)
        if entry[1] is None:
            entry[1] = json.dumps(entry[0], ensure_ascii=False, default=str).encode()
        return entry[1]

    def search(self, q: str, fold: bool, limit: int) -> SearchResult:
        # A search scans the text of every article (300-400 ms for 35,000); the same question
        # asked again gets the same answer until the store changes.
        key = (q, fold, limit, self.store.version())
        found = self._searches.get(key)
        if found is None:
            found = _bounded_put(self._searches, key, self.store.search(q, fold=fold, limit=limit), size=256)
        return found


def _bounded_put(cache: dict, key, value, size: int = 64):
    if len(cache) > size:
        cache.clear()
    cache[key] = value
    return value

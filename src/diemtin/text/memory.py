"""What underthesea made of an article's sentences (words, part-of-speech, chunk and entity tags),
kept with the article so that it is never segmented or tagged twice.

Why: a story is summarised and its facts made again from all its articles whenever it gains one.
Late in a day of news most changed stories hold tens of reports, so a poll of ``diemtin watch``
segmented and tagged thousands of sentences it had segmented and tagged the poll before (55 of a
late poll's 75 s, docs/BENCHMARKS.md), and the digest fell behind the news. The store keeps each
article's ``Memory`` (``store.update``); a worker summarising or extracting facts recalls the
memories of the story's articles (``recalling``), and ``text.segment.word_tokenize``,
``text.tagger.pos_tag`` and ``text.tagger.ner`` answer from it. A memory is what those functions
answered, recorded while the article was read alone (``recording``), so recalling it changes no
result; it carries the underthesea release that made it and is ignored under another.

A memory is plain data (JSON, compressed), not a pickle: a store may be shared, and loading it
must not run code.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import version
from typing import TypeVar

T = TypeVar("T")

# Bump with any change to what a memory holds or how it is written.
MEMORY_VERSION = 1

WORDS, TAGS, NAMES = "w", "p", "n"  # word_tokenize, pos_tag, ner


class _State(threading.local):
    """Per thread: ``diemtin watch`` writes summaries on one thread while another clusters."""

    def __init__(self) -> None:
        self.recalled: dict[tuple[str, str], tuple] = {}
        self.recording: dict[tuple[str, str], tuple] | None = None


_state = _State()


def remembered(kind: str, text: str, make: Callable[[str], T]) -> T:
    """``make(text)``, or what a recalled memory holds for it; recorded when a memory is being made."""
    key = (kind, text)
    value = _state.recalled.get(key)
    if value is None:
        value = make(text)
    if _state.recording is not None:
        _state.recording[key] = value
    return value


@contextmanager
def recording() -> Iterator[dict[tuple[str, str], tuple]]:
    """Record every answer given inside the block (``encode`` turns the record into a memory)."""
    outer, _state.recording = _state.recording, {}
    try:
        yield _state.recording
    finally:
        _state.recording = outer


@contextmanager
def recalling(memories: Iterable[bytes | None]) -> Iterator[None]:
    """Answer from these memories inside the block (a memory that does not decode is skipped)."""
    outer = _state.recalled
    _state.recalled = dict(outer)
    for memory in memories:
        _state.recalled.update(decode(memory))
    try:
        yield
    finally:
        _state.recalled = outer


@lru_cache(maxsize=1)
def _made_by() -> bytes:
    return f"diemtin memory {MEMORY_VERSION}, underthesea {version('underthesea')}\n".encode()


def is_current(memory: bytes | None) -> bool:
    """Whether ``memory`` was made by this release (another one's is made again)."""
    return bool(memory) and memory.startswith(_made_by())


def encode(record: dict[tuple[str, str], tuple]) -> bytes:
    """A memory of ``record``. The tags are kept without their words (the words of the same
    text are kept once), so a memory is about a fifth of the article's own text."""
    words = {text: list(value) for (kind, text), value in record.items() if kind == WORDS}
    tags = {text: [tag for _, tag in value] for (kind, text), value in record.items()
            if kind == TAGS and [w for w, _ in value] == words.get(text)}
    names = {text: [[chunk, name] for _, _, chunk, name in value] for (kind, text), value in record.items()
             if kind == NAMES and text in tags and [(w, p) for w, p, _, _ in value] == list(zip(words[text], tags[text]))}
    data = {WORDS: words, TAGS: tags, NAMES: names}
    return _made_by() + zlib.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def decode(memory: bytes | None) -> dict[tuple[str, str], tuple]:
    """The answers a memory holds; nothing for None, a damaged memory or another release's."""
    if not is_current(memory):
        return {}
    try:
        data = json.loads(zlib.decompress(memory[len(_made_by()):]))
        record: dict[tuple[str, str], tuple] = {}
        for text, words in data[WORDS].items():
            record[WORDS, text] = tuple(words)
        for text, tags in data[TAGS].items():
            record[TAGS, text] = tuple(zip(record[WORDS, text], tags))
        for text, labels in data[NAMES].items():
            record[NAMES, text] = tuple((word, pos, chunk, name)
                                        for (word, pos), (chunk, name) in zip(record[TAGS, text], labels))
        return record
    except (zlib.error, ValueError, KeyError, TypeError, AttributeError):
        return {}


__all__ = ["MEMORY_VERSION", "decode", "encode", "is_current", "recalling", "recording", "remembered"]

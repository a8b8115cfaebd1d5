"""Read articles and clusters from plain text files, folders, article JSONL and cluster JSONL.

Readers never raise on bad input: a file or line that cannot be used becomes a
``Problem`` naming the file and line, and reading goes on with the next one.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from diemtin import errors
from diemtin.links import http_url
from diemtin.parallel import Engine
from diemtin.ingest.decode import LEGACY_NAMES, Decoded, NotText, decode_bytes, looks_binary
from diemtin.text.clean import clean_text
from diemtin.text.language import not_vietnamese
from diemtin.text.normalize import normalize_text, syllables
from diemtin.types import MAX_ARTICLE_CHARS, MAX_SECTION_CHARS, Article, Cluster, Problem, article_size

# A text file is one article (``MAX_ARTICLE_CHARS``): one larger than this many bytes (four per
# character, UTF-8's most) is refused by its size before it is read.
MAX_TEXT_FILE_BYTES = 4 * MAX_ARTICLE_CHARS
# A JSONL line longer than this is not one article or one cluster of them; it is skipped in
# pieces, never held whole in memory.
MAX_JSONL_LINE_BYTES = 16 * 1024 * 1024
# A first line is a title only if it is short and does not end like a sentence.
TITLE_MAX_SYLLABLES = 35
TEXT_SUFFIXES = (".txt", ".text")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".json", ".json.gz")
HTML_SUFFIXES = (".html", ".htm")
FEED_SUFFIXES = (".rss", ".atom", ".xml")


@dataclass(slots=True)
class Batch:
    """What a set of paths held: loose articles, whole clusters, what could not be read, and
    notes on what was read in an unusual way (a legacy encoding converted)."""

    articles: list[Article] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


def _looks_like_title(line: str) -> bool:
    return bool(line) and line[-1] not in ".?!:;,…\"”" and len(syllables(line)) <= TITLE_MAX_SYLLABLES


def _paragraphs(text: str, clean: bool) -> list[str]:
    if clean:
        return clean_text(text).paragraphs
    return [line for line in normalize_text(text).split("\n") if line]


def article_from_text(text: str, article_id: str, clean: bool = True) -> Article:
    """Build an Article from plain text: the first line is the title only when it looks like one."""
    paragraphs = _paragraphs(text, clean)
    title = ""
    if len(paragraphs) > 1 and _looks_like_title(paragraphs[0]):
        title = paragraphs.pop(0)
    return Article(id=article_id, title=title, text="\n".join(paragraphs))


def _conversion_note(path: Path, decoded: Decoded, line: int | None = None) -> Problem:
    return Problem(str(path), errors.CONVERTED.format(encoding=LEGACY_NAMES[decoded.encoding]), line)


def read_text_file(path: Path, clean: bool = True, notes: list[Problem] | None = None) -> Article | Problem:
    notes = [] if notes is None else notes
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_FILE_BYTES:
            return Problem(
                str(path),
                f"the file is {size / 1e6:.0f} MB, more than one article can be "
                f"(limit {MAX_ARTICLE_CHARS:,} characters, about 1 MB); split it into its articles or give it as JSONL",
            )
        data = path.read_bytes()
    except OSError as exc:
        return Problem(str(path), f"cannot read the file ({exc.strerror})")
    if not data.strip():
        return Problem(str(path), errors.EMPTY_FILE)
    if looks_binary(data):
        return Problem(str(path), errors.BINARY_FILE)
    try:
        decoded = decode_bytes(data)
    except NotText as exc:
        return Problem(str(path), str(exc))
    if len(decoded.text) > MAX_ARTICLE_CHARS:
        return Problem(str(path), errors.TOO_LARGE.format(size=len(decoded.text), limit=MAX_ARTICLE_CHARS))
    article = article_from_text(decoded.text, article_id=path.stem, clean=clean)
    if not article.text:
        return Problem(str(path), "no article text is left once captions and link rows are removed")
    if reason := not_vietnamese(f"{article.title}\n{article.text}"):
        return Problem(str(path), reason)
    if decoded.converted:
        notes.append(_conversion_note(path, decoded))
    return article


# Bytes read at a time; runs of blank lines are skipped a block at a time, in C.
READ_BYTES = 1 << 20
_CONTENT = re.compile(rb"\S")


def _open_lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` for each line of the file that is not blank; ``None`` for a line
    over ``MAX_JSONL_LINE_BYTES``, which is skipped without ever being held whole in memory.

    Blank lines cost next to nothing: a gzip file of a million newlines (1 MB compressed, 1 GB
    of text) took minutes line by line.
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    number = 0  # lines ended so far
    pieces: list[bytes] = []  # the line being read, when it spans blocks
    size, too_long = 0, False
    with opener(path, "rb") as handle:
        while block := handle.read(READ_BYTES):
            start = 0
            while start < len(block):
                if not pieces and not too_long:  # at a line's start: skip blank lines at once
                    content = _CONTENT.search(block, start)
                    if content is None:
                        number += block.count(b"\n", start)
                        break
                    number += block.count(b"\n", start, content.start())
                    start = max(start, block.rfind(b"\n", start, content.start()) + 1)
                end = block.find(b"\n", start)
                if end < 0:
                    if not too_long:
                        pieces.append(block[start:])
                        size += len(block) - start
                        if size > MAX_JSONL_LINE_BYTES:
                            pieces, size, too_long = [], 0, True
                    break
                number += 1
                if too_long:
                    too_long = False
                    yield number, None
                else:
                    line = b"".join(pieces) + block[start:end + 1] if pieces else block[start:end + 1]
                    pieces, size = [], 0
                    if len(line) > MAX_JSONL_LINE_BYTES + 1:
                        yield number, None
                    elif line.strip():
                        yield number, line
                start = end + 1
        if too_long:
            yield number + 1, None
        elif pieces and (line := b"".join(pieces)).strip():
            yield number + 1, line


def iter_jsonl(path: Path, notes: list[Problem] | None = None,
               lines: tuple[int, int] | None = None) -> Iterator[tuple[int, dict] | Problem]:
    """Yield ``(line number, object)`` for each good line and a Problem for each bad one.

    A line in a legacy Vietnamese encoding is converted, with a note added to ``notes``.
    ``lines``: only lines ``first`` to ``last`` (1-based, inclusive), one partition of the file.
    """
    first, last = lines or (1, None)
    lines_seen = False
    try:
        for number, raw in _open_lines(path):
            lines_seen = True
            if number < first:
                continue
            if last is not None and number > last:
                break
            if raw is None:
                yield Problem(str(path), errors.LINE_TOO_LONG.format(limit=MAX_JSONL_LINE_BYTES // 2**20), number)
                continue
            try:
                decoded = decode_bytes(raw)
                obj = json.loads(decoded.text)
            except NotText as exc:
                yield Problem(str(path), str(exc), number)
                continue
            except json.JSONDecodeError as exc:
                yield Problem(str(path), errors.BAD_JSON.format(detail=exc.msg), number)
                continue
            if not isinstance(obj, dict):
                yield Problem(str(path), errors.NOT_OBJECT.format(kind=type(obj).__name__), number)
                continue
            if decoded.converted and notes is not None:
                notes.append(_conversion_note(path, decoded, number))
            yield number, obj
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield Problem(str(path), f"cannot read the file ({exc}); is it complete?")
        return
    if not lines_seen and lines is None:
        yield Problem(str(path), errors.NO_LINES)


def _string(obj: dict, key: str) -> str:
    value = obj.get(key)
    return normalize_text(value) if isinstance(value, str) else ""


def article_from_json(obj: dict, default_id: str, clean: bool = True, notes: list[str] | None = None) -> Article | str:
    """Build an Article from a JSON object, or return why it cannot be one.

    A url that is not http(s) is dropped, with a note added to ``notes``.
    """
    size = article_size(obj.get("title"), obj.get("sapo"), obj.get("text"))
    if size > MAX_ARTICLE_CHARS:  # checked before any cleaning: that would cost seconds per MB
        return errors.TOO_LARGE.format(size=size, limit=MAX_ARTICLE_CHARS)
    text = "\n".join(_paragraphs(obj["text"], clean)) if isinstance(obj.get("text"), str) else ""
    sapo = "\n".join(_paragraphs(obj["sapo"], clean)) if isinstance(obj.get("sapo"), str) else ""
    if not text and not sapo:
        return errors.NO_TEXT
    if reason := not_vietnamese(f"{sapo}\n{text}"):
        return reason
    published = obj.get("published")
    given_url = _string(obj, "url")
    url = http_url(given_url)
    if given_url and not url and notes is not None:
        notes.append(errors.DROPPED_URL.format(url=given_url[:100]))
    return Article(
        id=str(obj.get("id") or default_id),
        title=_string(obj, "title"),
        text=text,
        sapo=sapo,
        source=_string(obj, "source"),
        published=str(published) if published else None,
        url=url,
        image=http_url(_string(obj, "image")),
        section=(_string(obj, "section") or _string(obj, "category"))[:MAX_SECTION_CHARS],
    )


def cluster_from_json(
    obj: dict, default_id: str, path: str, line: int, clean: bool = True, notes: list[Problem] | None = None,
) -> tuple[Cluster | None, list[Problem]]:
    documents = obj.get("documents")
    if not isinstance(documents, list):
        return None, [Problem(path, errors.NO_DOCUMENTS, line)]
    cluster_id = str(obj.get("id") or default_id)
    problems: list[Problem] = []
    articles: list[Article] = []
    for position, doc in enumerate(documents, start=1):
        if not isinstance(doc, dict):
            problems.append(Problem(path, f"document {position} of cluster {cluster_id} is not an object", line))
            continue
        dropped: list[str] = []
        article = article_from_json(doc, f"{cluster_id}/{position}", clean, dropped)
        if isinstance(article, str):
            problems.append(Problem(path, f"document {position} of cluster {cluster_id}: {article}", line))
        else:
            articles.append(article)
        if notes is not None:
            notes.extend(Problem(path, f"document {position} of cluster {cluster_id}: {n}", line) for n in dropped)
    references = [s for s in obj.get("summaries", []) if isinstance(s, str)]
    return Cluster(cluster_id, articles, references), problems


# Cleaning articles and checking their language is most of reading a large file (28 of 38 s
# for the 35k-article corpus on one core): a file of this many article lines or more is
# cleaned on every core while it is read, in blocks of ``READ_BLOCK`` lines.
PARALLEL_READ_FROM = 2000
READ_BLOCK = 500


def read_jsonl(path: Path, batch: Batch, clean: bool = True, lines: tuple[int, int] | None = None,
               engine: Engine | None = None) -> None:
    """Add the articles and clusters of one JSONL file (article or cluster lines) to ``batch``.

    ``engine``: where a large file's articles are cleaned while it is read (``PARALLEL_READ_FROM``).
    """
    stem = path.name.split(".")[0]
    order: list = []  # per usable line, in file order: its number (an article line), or the item
    blocks: list = []  # article lines, READ_BLOCK at a time: a list, or a Future on the engine
    block: list[tuple[int, dict]] = []
    spread = False  # blocks go to the engine once the file proves large
    for item in iter_jsonl(path, batch.notes, lines):
        if isinstance(item, Problem) or "documents" in item[1]:
            order.append(item)
            continue
        order.append(item[0])
        block.append(item)
        if len(block) == READ_BLOCK:
            blocks.append(block)
            block = []
            if (not spread and engine is not None and engine.workers > 1
                    and len(blocks) * READ_BLOCK >= PARALLEL_READ_FROM):
                spread = True
                blocks = [engine.submit(_articles_from_lines, b, stem, clean) for b in blocks]
            elif spread:
                blocks[-1] = engine.submit(_articles_from_lines, blocks[-1], stem, clean)
    blocks.append(block)
    made: dict[int, tuple[Article | str, list[str]]] = {}
    for value in blocks:
        made.update(_articles_from_lines(value, stem, clean) if isinstance(value, list) else value.result())
    for item in order:
        if isinstance(item, Problem):
            batch.problems.append(item)
        elif not isinstance(item, int):
            number, obj = item
            cluster, problems = cluster_from_json(obj, f"{stem}:{number}", str(path), number, clean, batch.notes)
            batch.problems.extend(problems)
            if cluster is not None:
                batch.clusters.append(cluster)
        else:
            article, dropped = made[item]
            if isinstance(article, str):
                batch.problems.append(Problem(str(path), article, item))
            else:
                batch.articles.append(article)
            batch.notes.extend(Problem(str(path), note, item) for note in dropped)


def _articles_from_lines(block: list[tuple[int, dict]], stem: str,
                         clean: bool) -> list[tuple[int, tuple[Article | str, list[str]]]]:
    """Each line's article (or why it is none) and the notes made reading it."""
    made = []
    for number, obj in block:
        notes: list[str] = []
        made.append((number, (article_from_json(obj, f"{stem}:{number}", clean, notes), notes)))
    return made


def _expand(paths: Iterable[str | os.PathLike]) -> Iterator[Path | Problem]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            if not files:
                yield Problem(str(path), "the folder holds no files")
            yield from files
        elif path.exists():
            yield path
        else:
            yield Problem(str(path), errors.NOT_FOUND)


def _read_page_or_feed(path: Path, batch: Batch) -> None:
    from diemtin.ingest import web  # noqa: PLC0415  (needs the service extra)

    try:
        data = path.read_bytes()
    except OSError as exc:
        batch.problems.append(Problem(str(path), f"cannot read the file ({exc.strerror})"))
        return
    if not data.strip():
        batch.problems.append(Problem(str(path), errors.EMPTY_FILE))
        return
    if web.looks_like_feed(data):
        articles, problems = web.articles_from_feed(data, str(path))
        batch.articles.extend(articles)
        batch.problems.extend(problems)
        return
    article = web.article_from_html(web.decode_page(data), str(path))
    (batch.problems if isinstance(article, Problem) else batch.articles).append(article)


def read_sources(paths: Iterable[str | os.PathLike], clean: bool = True, follow: bool = False,
                 allow_private: tuple | None = (), engine: Engine | None = None) -> Batch:
    """Read text files, folders of them, article JSONL and cluster JSONL (gzip too), HTML pages,
    RSS/Atom feeds, and http(s) URLs of pages or feeds (``follow``: fetch each feed entry's page).

    URLs are fetched under ``ingest.fetch``'s rules; ``allow_private``: the private networks
    they may reach (``()`` none, ``None`` all; ``config.Settings.allow_private``). ``engine``:
    where a large JSONL file is cleaned while it is read.

    ``clean=False`` keeps captions and link rows (only Unicode is normalised): EVALUATION.md's
    baselines are defined on the raw text.

    >>> batch = read_sources(["examples/seeds"])  # from the project's root
    >>> len(batch.articles), batch.problems
    (2, [])
    """
    batch = Batch()
    paths = list(paths)
    urls = [str(p) for p in paths if "://" in str(p)]
    if urls:
        from diemtin.ingest.fetch import Fetcher  # noqa: PLC0415  (needs the service extra)
        from diemtin.ingest.web import read_url  # noqa: PLC0415

        with Fetcher(allow_private) as fetcher:
            for url in urls:
                articles, problems = read_url(url, fetcher, follow=follow)
                batch.articles.extend(articles)
                batch.problems.extend(problems)
    for item in _expand(p for p in paths if "://" not in str(p)):
        if isinstance(item, Problem):
            batch.problems.append(item)
            continue
        name = item.name.lower()
        if name.endswith(JSONL_SUFFIXES):
            read_jsonl(item, batch, clean, engine=engine)
        elif name.endswith(TEXT_SUFFIXES) or "." not in name:
            article = read_text_file(item, clean, batch.notes)
            (batch.problems if isinstance(article, Problem) else batch.articles).append(article)
        elif name.endswith(HTML_SUFFIXES + FEED_SUFFIXES):
            _read_page_or_feed(item, batch)
        else:
            batch.problems.append(Problem(str(item), errors.UNKNOWN_SUFFIX.format(suffix=item.suffix)))
    return batch

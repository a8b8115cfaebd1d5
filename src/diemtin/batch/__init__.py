"""The batch pipeline: files -> Article -> duplicate groups -> Story -> Summary and Facts -> files.

The same steps on this machine's cores (``--engine local``) or on a Dask cluster (``--engine
dask``), with the same stories and summaries either way:

1. Inputs are cut into partitions (line ranges of JSONL files, groups of other files). Each
   partition is read, cleaned, segmented and fingerprinted on a worker and saved under
   ``OUT/_work`` (a rerun skips every partition already done); only each article's id and
   publication time travel back to the driver.
2. The driver takes the articles in windows of ``window`` (publication order when every article
   has a time, else input order), loading each window's articles from the saved partitions:
   copies are found from the fingerprints, TF-IDF vectors built, the neighbour search (and, for
   windows larger than ``ClusterConfig.block``, the merging inside blocks) runs on the workers,
   and the window joins the stories still open (``add_articles``, as a store's ingest does).
3. In publication order, a story whose last article is more than ``max_gap_days`` before the
   next window can take no more: it is closed and leaves the driver's state (``close_stories``).
   So the driver holds one window and the open stories, not the archive.
4. The stories, in the order of their first article, are cut into parts of about
   ``part_articles`` articles; each part reads its articles from the saved partitions, is
   summarised (with facts) on a worker and written as ``OUT/stories-NNNNN.jsonl`` (or
   ``.parquet``). A part already written for the same stories and options is skipped on a rerun.

Workers must see ``OUT`` (a shared filesystem on a multi-machine cluster).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from diemtin import errors
from diemtin.cluster.represent import article_terms
from diemtin.cluster.stories import ClusterConfig, StoryState, add_articles, close_stories, to_story
from diemtin.config import BATCH_WINDOW, DEFAULT_LENGTH
from diemtin.dedup import fingerprint_of
from diemtin.errors import DiemtinError
from diemtin.ingest.readers import JSONL_SUFFIXES, Batch, _expand, _open_lines, read_jsonl, read_sources
from diemtin.pipeline import in_publication_order, story_facts, story_section, story_summaries
from diemtin.summarizer import check_length
from diemtin.times import parse_time
from diemtin.types import Article, Cluster, Problem, Story

PARTITION_LINES = 1000  # JSONL lines (or other files) per partition
PART_ARTICLES = 200  # articles per output part of stories
FORMATS = ("jsonl", "parquet")
# Bump when what a partition or a part holds changes: older saved work is then redone.
WORK_VERSION = "4"  # 2: article terms read the body (REPRESENTATION 2); 3: partitions saved as two pickles;
# 4: a summarised story carries its section


@dataclass(frozen=True, slots=True)
class Partition:
    index: int
    paths: tuple[str, ...]  # one JSONL file with ``lines``, or a group of other files
    lines: tuple[int, int] | None = None


@dataclass(slots=True)
class Prepared:
    """What a worker made of one partition (saved in ``OUT/_work``)."""

    articles: list[Article]
    terms: list[list[str]]
    fingerprints: list
    problems: list[Problem]
    notes: list[Problem]


@dataclass(frozen=True, slots=True)
class PreparedIndex:
    """What the driver receives of a prepared partition: where it is saved, and each article's
    id and publication time (as given), in partition order."""

    path: str
    articles: list[tuple[str, str | None]]
    problems: list[Problem]
    notes: list[Problem]
    reused: bool


@dataclass(slots=True)
class BatchReport:
    articles: int = 0
    stories: int = 0
    partitions: int = 0
    partitions_reused: int = 0
    parts: int = 0
    parts_reused: int = 0
    windows: int = 0
    most_open: int = 0  # the most stories the driver held at once
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "articles": self.articles, "stories": self.stories, "partitions": self.partitions,
            "partitions_reused": self.partitions_reused, "parts": self.parts, "parts_reused": self.parts_reused,
            "windows": self.windows, "most_open": self.most_open,
            "problems": [str(p) for p in self.problems], "seconds": {k: round(v, 1) for k, v in self.seconds.items()},
        }


def plan_partitions(inputs: Sequence[str], size: int = PARTITION_LINES) -> tuple[list[Partition], list[Problem]]:
    """Cut the inputs into partitions of at most ``size`` JSONL lines or files."""
    problems: list[Problem] = []
    partitions: list[Partition] = []
    loose: list[str] = []
    for given in inputs:
        if "://" in str(given):
            problems.append(Problem(str(given), "batch reads files and folders; fetch URLs with  diemtin ingest URL"))
    for item in _expand(p for p in inputs if "://" not in str(p)):
        if isinstance(item, Problem):
            problems.append(item)
        elif item.name.lower().endswith(JSONL_SUFFIXES):
            try:
                count = max((number for number, _ in _open_lines(item)), default=0)
            except Exception:  # noqa: BLE001  (the worker reading it reports what is wrong, with the line)
                count = 1
            for first in range(1, max(count, 1) + 1, size):
                partitions.append(Partition(len(partitions), (str(item),), (first, min(first + size - 1, max(count, 1)))))
        else:
            loose.append(str(item))
    for start in range(0, len(loose), size):
        partitions.append(Partition(len(partitions), tuple(loose[start : start + size])))
    return partitions, problems


def _digest(*parts) -> str:
    return hashlib.blake2b(json.dumps(parts, sort_keys=True, default=str).encode(), digest_size=8).hexdigest()


def _partition_key(partition: Partition) -> str:
    stats = [(p, os.stat(p).st_size, os.stat(p).st_mtime_ns) for p in partition.paths]
    return _digest(WORK_VERSION, stats, partition.lines)


def _save(obj, path: Path) -> None:
    """Write atomically: a worker killed mid-write leaves no half file to be taken as done."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temp, "wb") as file:
        pickle.dump(obj, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temp, path)


def _load(path: str | Path):
    with open(path, "rb") as file:
        return pickle.load(file)  # noqa: S301  (files this pipeline wrote into its own OUT/_work)


def prepare_partition(partition: Partition, work: str) -> PreparedIndex:
    """Read, clean, segment and fingerprint one partition (on a worker) and save it; reuse the
    work saved by an earlier run. Returns the compact index the driver keeps.

    Saved as two plain pickles (about 3.4 and 6.5 MB per 1,000 articles): the articles, which
    the story parts read, and the whole. Unpickling the articles takes about 12 ms, where the
    compressed joblib file of before took 1.7 s, and every part reads a few partitions.
    """
    saved = Path(work) / f"partition-{partition.index:05d}-{_partition_key(partition)}.pickle"
    prepared = None
    if saved.exists() and _articles_path(saved).exists():
        try:
            prepared = _load(saved)
        except Exception:  # noqa: BLE001  (a damaged file is redone, not trusted)
            saved.unlink(missing_ok=True)
    reused = prepared is not None
    if prepared is None:
        if partition.lines is not None:
            batch = Batch()
            read_jsonl(Path(partition.paths[0]), batch, lines=partition.lines)
        else:
            batch = read_sources(partition.paths)
        articles = batch.articles + [a for c in batch.clusters for a in c.articles]
        prepared = Prepared(articles, [article_terms(a) for a in articles], [fingerprint_of(a) for a in articles],
                            batch.problems, batch.notes)
        _save(prepared.articles, _articles_path(saved))
        _save(replace(prepared, articles=[]), saved)  # last: its presence says the partition is done
    return PreparedIndex(str(saved), [(a.id, a.published) for a in prepared.articles or _load(_articles_path(saved))],
                         prepared.problems, prepared.notes, reused)


def _articles_path(saved: str | Path) -> Path:
    saved = Path(saved)
    return saved.with_name(saved.name.replace(".pickle", ".articles.pickle"))


@functools.lru_cache(maxsize=2)
def load_prepared(path: str) -> Prepared:
    """A saved partition, articles, terms and fingerprints; the last two stay loaded, since
    consecutive windows mostly read the same partitions."""
    prepared = _load(path)
    prepared.articles = load_saved_articles(path)
    return prepared


@functools.lru_cache(maxsize=4)
def load_saved_articles(path: str) -> list[Article]:
    """A saved partition's articles (what a story part needs)."""
    return _load(_articles_path(path))


# Where an article of the batch is saved: (partition file, position in it).
Location = tuple[str, int]


def _load_articles(locations: Sequence[Location]) -> list[tuple[Article, list[str], object]]:
    """(article, terms, fingerprint) of each location, in the order given; each partition is
    loaded once, and one at a time."""
    wanted: dict[str, list[tuple[int, int]]] = {}
    for k, (path, position) in enumerate(locations):
        wanted.setdefault(path, []).append((k, position))
    found: list = [None] * len(locations)
    for path, items in wanted.items():
        prepared = load_prepared(path)
        for k, position in items:
            found[k] = (prepared.articles[position], prepared.terms[position], prepared.fingerprints[position])
    return found


def _story_parts(stories: list[Story], part_articles: int) -> list[list[Story]]:
    parts: list[list[Story]] = [[]]
    size = 0
    for story in stories:
        if parts[-1] and size + len(story.article_ids) > part_articles:
            parts.append([])
            size = 0
        parts[-1].append(story)
        size += len(story.article_ids)
    return [p for p in parts if p]


@dataclass(frozen=True, slots=True)
class PartTask:
    index: int
    stories: list[Story]
    locations: dict[str, Location]  # article id -> where its saved partition holds it
    out: str
    format: str
    length: int
    facts: bool
    summaries: bool = True


def part_path(out: str | Path, index: int, fmt: str) -> Path:
    return Path(out) / f"stories-{index:05d}.{fmt}"


def _part_key(task: PartTask) -> str:
    # a saved partition's name holds a key of its input file's size and time: an input edited
    # in place is saved anew, and its parts are redone
    return _digest(WORK_VERSION, task.format, task.length, task.facts, task.summaries,
                   [(s.id, s.title, s.article_ids) for s in task.stories], sorted(task.locations.items()))


def write_part(task: PartTask) -> bool:
    """Summarise the stories of one part (with facts) and write them; skip a part already
    written for the same stories and options. Returns whether it was skipped."""
    path = part_path(task.out, task.index, task.format)
    key_file = path.with_name(f".{path.name}.key")
    key = _part_key(task)
    if path.exists() and key_file.exists() and key_file.read_text() == key:
        return True
    articles = {article_id: load_saved_articles(path)[position] for article_id, (path, position) in task.locations.items()}
    stories = [Cluster(story.id, in_publication_order([articles[a] for a in story.article_ids]))
               for story in task.stories]
    if task.summaries:
        for story, summary in zip(task.stories, story_summaries(stories, [s.texts for s in task.stories], task.length)):
            story.summary = summary
    rows = []
    for story, cluster in zip(task.stories, stories):
        row = story.to_dict()
        if task.summaries:  # the store gives a story its section with its summary, and so does this
            row["section"] = story_section(cluster.articles)
        if task.facts:
            row["facts"] = story_facts(cluster.articles)
        rows.append(row)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if task.format == "parquet":
        _write_parquet(rows, temp)
    else:
        temp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    key_file.unlink(missing_ok=True)
    os.replace(temp, path)
    key_file.write_text(key)
    return False


# Nested fields go into Parquet as JSON text: one flat, stable schema that any reader takes.
PARQUET_JSON_COLUMNS = ("duplicate_groups", "summary", "facts")


def _write_parquet(rows: list[dict], path: Path) -> None:
    pa = errors.require("pyarrow", "pyarrow", "dask")
    import pyarrow.parquet as pq  # noqa: PLC0415

    flat = [{k: (json.dumps(v, ensure_ascii=False) if k in PARQUET_JSON_COLUMNS else v) for k, v in r.items()}
            for r in rows]
    pq.write_table(pa.Table.from_pylist(flat), path)


def read_stories(out: str | Path) -> list[dict]:
    """The stories a batch run wrote to ``out`` (JSONL or Parquet parts), in order."""
    rows: list[dict] = []
    for path in sorted(Path(out).glob("stories-*.*")):
        if path.suffix == ".jsonl":
            rows.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
        elif path.suffix == ".parquet":
            import pyarrow.parquet as pq  # noqa: PLC0415

            for row in pq.read_table(path).to_pylist():
                rows.append({k: (json.loads(v) if k in PARQUET_JSON_COLUMNS and v is not None else v)
                             for k, v in row.items()})
    return rows


def _processing_order(indexes: Sequence[PreparedIndex]) -> tuple[list[tuple[str, Location]], list | None]:
    """Each article once (the first of a repeated id), with where it is saved: in publication
    order when every article has a time (then stories can be closed as the batch moves on),
    else in input order. Returns the articles and, in publication order, their times."""
    seen: set[str] = set()
    order: list[tuple[str, Location]] = []
    times = []
    for index in indexes:
        for position, (article_id, published) in enumerate(index.articles):
            if article_id not in seen:
                seen.add(article_id)
                order.append((article_id, (index.path, position)))
                times.append(parse_time(published))
    if not times or any(t is None for t in times):
        return order, None
    ranked = sorted(range(len(order)), key=lambda k: (times[k], k))
    return [order[k] for k in ranked], [times[k] for k in ranked]


def _cluster_in_windows(
    order: list[tuple[str, Location]], times: list | None, config: ClusterConfig, engine, window: int,
    progress: Callable | None,
) -> tuple[list[Story], int, int]:
    """The stories of the articles in ``order``, clustered a window at a time on the driver;
    with ``times`` (publication order), a story no later article can join is closed after each
    window. Returns the stories in the order of their first article, the windows, and the most
    stories open at once."""
    state = StoryState.new(config)
    closed: list[Story] = []
    most_open = 0
    windows = range(0, len(order), window)
    for start in windows:
        loaded = _load_articles([location for _, location in order[start : start + window]])
        add_articles(state, [article for article, _, _ in loaded], engine=engine,
                     prepared={article.id: (terms, fingerprint) for article, terms, fingerprint in loaded})
        del loaded
        most_open = max(most_open, len(state.stories))
        if times is not None and start + window < len(order):
            closed.extend(to_story(record, config) for record in close_stories(state, times[start + window]))
        if progress:
            progress(1)
    closed.extend(to_story(record, config) for record in state.stories)
    position = {article_id: k for k, (article_id, _) in enumerate(order)}
    closed.sort(key=lambda story: min(position[a] for a in story.article_ids))
    return closed, len(windows), most_open


def run_batch(
    inputs: Sequence[str], out: str | Path, engine, config=None, fmt: str = "jsonl", length: int = DEFAULT_LENGTH,
    facts: bool = True, partition_lines: int = PARTITION_LINES, part_articles: int = PART_ARTICLES,
    progress: Callable[[str, int], Callable | None] | None = None, window: int = BATCH_WINDOW,
    summaries: bool = True,
) -> BatchReport:
    """Run the whole pipeline on ``engine`` (``diemtin.parallel``) and write the stories to ``out``.

    ``summaries`` False writes the stories without summaries (and ``facts`` decides the facts).
    """
    check_length(length)
    if fmt not in FORMATS:
        raise DiemtinError(f"unknown output format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    if fmt == "parquet":
        errors.require("pyarrow", "pyarrow", "dask")
    if partition_lines < 1 or part_articles < 1 or window < 1:
        raise DiemtinError("--partition, --part and --window must be at least 1")
    config = config or ClusterConfig()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise DiemtinError(f"{out}: exists and is not a folder; give --out a folder for the story parts")
    work = out / "_work"
    work.mkdir(parents=True, exist_ok=True)
    report = BatchReport()
    bar = progress or (lambda stage, total: None)

    clock = time.perf_counter()
    partitions, report.problems = plan_partitions(inputs, partition_lines)
    report.partitions = len(partitions)
    indexes = engine.map(prepare_partition, partitions, str(work), progress=bar("partitions", len(partitions)))
    for index in indexes:
        report.partitions_reused += index.reused
        report.problems.extend(index.problems)
        report.notes.extend(index.notes)
    order, times = _processing_order(indexes)
    del indexes
    report.articles = len(order)
    report.seconds["read, clean, segment, fingerprint"] = time.perf_counter() - clock
    if not order:  # say why here: the caller prints the report's problems only after a run
        why = "; ".join(map(str, report.problems[:5])) or "the inputs hold no articles"
        raise DiemtinError(f"no usable articles in {', '.join(map(str, inputs))}: {why}")

    clock = time.perf_counter()
    stories, report.windows, report.most_open = _cluster_in_windows(order, times, config, engine, window,
                                                  bar("story windows", -(-len(order) // window)))
    report.stories = len(stories)
    report.seconds["duplicates and stories"] = time.perf_counter() - clock

    clock = time.perf_counter()
    location = dict(order)
    del order, times
    parts = _story_parts(stories, part_articles)
    tasks = [PartTask(i, p, {a: location[a] for s in p for a in s.article_ids}, str(out), fmt, length, facts,
                      summaries) for i, p in enumerate(parts)]
    skipped = engine.map(write_part, tasks, progress=bar("story parts", len(tasks)))
    report.parts, report.parts_reused = len(tasks), sum(skipped)
    for stale in out.glob("stories-*.*"):  # parts of an earlier, larger run
        number = stale.name.split("-")[1].split(".")[0]
        if number.isdigit() and (int(number) >= len(tasks) or not stale.name.endswith(fmt)):
            stale.unlink()
    report.seconds["summaries and facts" if summaries else "facts" if facts else "story parts"] = \
        time.perf_counter() - clock
    (out / "run.json").write_text(json.dumps({"engine": engine.name, "workers": engine.workers, **report.to_dict()},
                                             ensure_ascii=False, indent=1), encoding="utf-8")
    return report


__all__ = ["BatchReport", "FORMATS", "Partition", "plan_partitions", "read_stories", "run_batch"]

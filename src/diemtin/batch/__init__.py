"""The batch pipeline: files -> Article -> duplicate groups -> Story -> Summary and Facts -> files.

The same steps on this machine's cores (``--engine local``) or on a Dask cluster (``--engine
dask``), with the same stories and summaries either way:

1. Inputs are cut into partitions (line ranges of JSONL files, groups of other files). Each
   partition is read, cleaned, segmented and fingerprinted on a worker; the result is saved
   under ``OUT/_work`` so a rerun skips every partition already done.
2. Duplicates are found from the fingerprints (one dictionary and LSH lookup per article), the
   TF-IDF vectors are built, and the neighbour search runs in row blocks on the workers.
3. New articles are merged inside blocks of ``ClusterConfig.block`` (time order, else input
   order) on the workers, then the blocks' clusters in one final round (``add_articles``).
4. Stories are cut into parts of about ``part_articles`` articles; each part is summarised
   (with facts) on a worker and written as ``OUT/stories-NNNNN.jsonl`` (or ``.parquet``). A
   part already written for the same stories and options is skipped on a rerun.

Workers must see ``OUT`` (a shared filesystem on a multi-machine cluster).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from diemtin import errors
from diemtin.cluster.represent import article_terms
from diemtin.cluster.stories import ClusterConfig, StoryState, add_articles, to_story
from diemtin.config import DEFAULT_LENGTH
from diemtin.dedup import fingerprint_of
from diemtin.errors import DiemtinError
from diemtin.ingest.readers import JSONL_SUFFIXES, Batch, _expand, _open_lines, read_jsonl, read_sources
from diemtin.pipeline import in_publication_order, story_facts, story_summaries
from diemtin.summarizer import check_length
from diemtin.types import Article, Cluster, Problem, Story

PARTITION_LINES = 1000  # JSONL lines (or other files) per partition
PART_ARTICLES = 200  # articles per output part of stories
FORMATS = ("jsonl", "parquet")
# Bump when what a partition or a part holds changes: older saved work is then redone.
WORK_VERSION = "2"  # 2: article terms read the body (cluster.represent.REPRESENTATION 2)


@dataclass(frozen=True, slots=True)
class Partition:
    index: int
    paths: tuple[str, ...]  # one JSONL file with ``lines``, or a group of other files
    lines: tuple[int, int] | None = None


@dataclass(slots=True)
class Prepared:
    """What a worker made of one partition."""

    articles: list[Article]
    terms: list[list[str]]
    fingerprints: list
    problems: list[Problem]
    notes: list[Problem]


@dataclass(slots=True)
class BatchReport:
    articles: int = 0
    stories: int = 0
    partitions: int = 0
    partitions_reused: int = 0
    parts: int = 0
    parts_reused: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return {
            "articles": self.articles, "stories": self.stories, "partitions": self.partitions,
            "partitions_reused": self.partitions_reused, "parts": self.parts, "parts_reused": self.parts_reused,
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
    import joblib  # noqa: PLC0415

    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    joblib.dump(obj, temp, compress=1)
    os.replace(temp, path)


def prepare_partition(partition: Partition, work: str) -> tuple[Prepared, bool]:
    """Read, clean, segment and fingerprint one partition (on a worker); reuse saved work.

    Returns the prepared partition and whether it was reused from an earlier run.
    """
    import joblib  # noqa: PLC0415

    saved = Path(work) / f"partition-{partition.index:05d}-{_partition_key(partition)}.joblib"
    if saved.exists():
        try:
            return joblib.load(saved), True
        except Exception:  # noqa: BLE001  (a damaged file is redone, not trusted)
            saved.unlink(missing_ok=True)
    if partition.lines is not None:
        batch = Batch()
        read_jsonl(Path(partition.paths[0]), batch, lines=partition.lines)
    else:
        batch = read_sources(partition.paths)
    articles = batch.articles + [a for c in batch.clusters for a in c.articles]
    prepared = Prepared(articles, [article_terms(a) for a in articles], [fingerprint_of(a) for a in articles],
                        batch.problems, batch.notes)
    _save(prepared, saved)
    return prepared, False


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
    articles: dict[str, Article]
    out: str
    format: str
    length: int
    facts: bool


def part_path(out: str | Path, index: int, fmt: str) -> Path:
    return Path(out) / f"stories-{index:05d}.{fmt}"


def _part_key(task: PartTask) -> str:
    # the articles' text too: an input edited in place changes its summaries
    return _digest(WORK_VERSION, task.format, task.length, task.facts,
                   [(s.id, s.title, s.article_ids) for s in task.stories],
                   [(a.id, a.title, a.sapo, a.text, a.source, a.published, a.url) for a in task.articles.values()])


def write_part(task: PartTask) -> bool:
    """Summarise the stories of one part (with facts) and write them; skip a part already
    written for the same stories and options. Returns whether it was skipped."""
    path = part_path(task.out, task.index, task.format)
    key_file = path.with_name(f".{path.name}.key")
    key = _part_key(task)
    if path.exists() and key_file.exists() and key_file.read_text() == key:
        return True
    stories = [Cluster(story.id, in_publication_order([task.articles[a] for a in story.article_ids]))
               for story in task.stories]
    summaries = story_summaries(stories, [story.texts for story in task.stories], task.length)
    rows = []
    for story, cluster, summary in zip(task.stories, stories, summaries):
        story.summary = summary
        row = story.to_dict()
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


def run_batch(
    inputs: Sequence[str], out: str | Path, engine, config=None, fmt: str = "jsonl", length: int = DEFAULT_LENGTH,
    facts: bool = True, partition_lines: int = PARTITION_LINES, part_articles: int = PART_ARTICLES,
    progress: Callable[[str, int], Callable | None] | None = None,
) -> BatchReport:
    """Run the whole pipeline on ``engine`` (``diemtin.parallel``) and write the stories to ``out``."""
    check_length(length)
    if fmt not in FORMATS:
        raise DiemtinError(f"unknown output format '{fmt}'; choose one of: {', '.join(FORMATS)}")
    if fmt == "parquet":
        errors.require("pyarrow", "pyarrow", "dask")
    if partition_lines < 1 or part_articles < 1:
        raise DiemtinError("--partition and --part must be at least 1")
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
    results = engine.map(prepare_partition, partitions, str(work), progress=bar("partitions", len(partitions)))
    articles: list[Article] = []
    prepared: dict[str, tuple] = {}
    for part, reused in results:
        report.partitions_reused += reused
        report.problems.extend(part.problems)
        report.notes.extend(part.notes)
        for article, terms, fingerprint in zip(part.articles, part.terms, part.fingerprints):
            articles.append(article)
            prepared.setdefault(article.id, (terms, fingerprint))
    del results
    report.articles = len(articles)
    report.seconds["read, clean, segment, fingerprint"] = time.perf_counter() - clock
    if not articles:  # say why here: the caller prints the report's problems only after a run
        why = "; ".join(map(str, report.problems[:5])) or "the inputs hold no articles"
        raise DiemtinError(f"no usable articles in {', '.join(map(str, inputs))}: {why}")

    clock = time.perf_counter()
    state = StoryState.new(config)
    add_articles(state, articles, prepared=prepared, engine=engine)
    del prepared
    # largest first; equal sizes by first publication, then id: the same order on every engine
    stories = sorted((to_story(r, config) for r in state.stories),
                     key=lambda s: (-len(s.article_ids), s.first_published or "", int(s.id.split("-")[1])))
    report.stories = len(stories)
    report.seconds["duplicates and stories"] = time.perf_counter() - clock

    clock = time.perf_counter()
    by_id: dict[str, Article] = {}
    for article in articles:
        by_id.setdefault(article.id, article)
    parts = _story_parts(stories, part_articles)
    tasks = [PartTask(i, p, {a: by_id[a] for s in p for a in s.article_ids}, str(out), fmt, length, facts)
             for i, p in enumerate(parts)]
    skipped = engine.map(write_part, tasks, progress=bar("story parts", len(tasks)))
    report.parts, report.parts_reused = len(tasks), sum(skipped)
    for stale in out.glob("stories-*.*"):  # parts of an earlier, larger run
        number = stale.name.split("-")[1].split(".")[0]
        if number.isdigit() and (int(number) >= len(tasks) or not stale.name.endswith(fmt)):
            stale.unlink()
    report.seconds["summaries and facts"] = time.perf_counter() - clock
    (out / "run.json").write_text(json.dumps({"engine": engine.name, "workers": engine.workers, **report.to_dict()},
                                             ensure_ascii=False, indent=1), encoding="utf-8")
    return report


__all__ = ["BatchReport", "FORMATS", "Partition", "plan_partitions", "read_stories", "run_batch"]

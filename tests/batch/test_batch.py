"""The batch pipeline on real news: the local engine and a real Dask LocalCluster give the same
stories and summaries, a worker killed mid-run is survived, a rerun skips finished work, and
bad files are reported while the rest goes through."""

from __future__ import annotations

import gzip
import itertools
import json
import os
import signal
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from diemtin.batch import read_stories, run_batch
from diemtin.parallel import DaskEngine, LocalEngine
from diemtin.cli import main
from diemtin.cluster.stories import ClusterConfig
from diemtin.evaluate.clusters import bcubed
from tests.conftest import SEEDS, SHARED, needs_shared

BAOMOI = SHARED / "baomoi-2017.jsonl.gz"
ARTICLES = 2500
# Small blocks and partitions, so this input has several of each: the block merging and the
# neighbour search really run on the workers, in pieces.
CONFIG = ClusterConfig(block=600)
PARTITION = 250
# Windows of 1,000 over ten days of news: the driver closes the stories of the first days
# before the last window, and each window is larger than a block.
WINDOW = 1000
A_DAY = 250


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    """The corpus's first articles, dated A_DAY to a day (baomoi-2017 carries no times)."""
    if not BAOMOI.exists():
        pytest.skip(f"{BAOMOI} is not here (../shared/data missing)")
    path = tmp_path_factory.mktemp("archive") / "baomoi-head.jsonl"
    with gzip.open(BAOMOI, "rt", encoding="utf-8") as source:
        records = [json.loads(line) for line in itertools.islice(source, ARTICLES)]
    start = datetime(2017, 3, 1, 6, 0)
    for position, record in enumerate(records):
        moment = start + timedelta(days=position // A_DAY, minutes=(position % A_DAY) * 4)
        record["published"] = moment.isoformat(timespec="minutes")
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_run(archive, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    engine = LocalEngine(jobs=2)
    try:
        report = run_batch([str(archive)], out, engine, config=CONFIG, facts=False, partition_lines=PARTITION,
                           window=WINDOW)
    finally:
        engine.close()
    return out, report


def _kill_one_worker_when_busy(engine: DaskEngine, work: Path, killed: list) -> None:
    pids = list(engine.client.run(os.getpid).values())
    deadline = time.time() + 300
    while time.time() < deadline and not list(work.glob("partition-*.pickle")):
        time.sleep(0.05)  # the first partition is done: the workers are busy with the others
    os.kill(pids[0], signal.SIGKILL)
    killed.append(pids[0])


@needs_shared(BAOMOI)
def test_dask_gives_the_local_stories_and_summaries_even_when_a_worker_dies(archive, local_run, tmp_path):
    local_out, local_report = local_run
    engine = DaskEngine(workers=2)
    killed: list[int] = []
    killer = threading.Thread(target=_kill_one_worker_when_busy, args=(engine, tmp_path / "_work", killed))
    try:
        killer.start()
        report = run_batch([str(archive)], tmp_path, engine, config=CONFIG, facts=False, partition_lines=PARTITION,
                           window=WINDOW)
        killer.join()
        survivors = set(engine.client.run(os.getpid).values())
    finally:
        engine.close()
    assert killed and killed[0] not in survivors  # a worker really died and was replaced

    local, distributed = read_stories(local_out), read_stories(tmp_path)
    assert report.articles == local_report.articles == ARTICLES
    assert report.partitions == ARTICLES // PARTITION
    assert distributed == local  # same stories, same order, same summaries, field for field
    assert len(local) == report.stories
    grouped = sorted(a for s in local for a in s["article_ids"])
    assert len(grouped) == len(set(grouped)) == ARTICLES  # every article in exactly one story
    several = [s for s in local if len(s["article_ids"]) > 1]
    assert len(several) > 100  # a day of national news has many multi-outlet stories
    for story in local:
        members = set(story["article_ids"])
        sentences = story["summary"]["sentences"]
        assert sentences and all(s["article_id"] in members for s in sentences)
    # the driver clustered three windows and closed the first days' stories on the way
    assert report.windows == local_report.windows == 3
    assert report.most_open == local_report.most_open < 0.7 * report.stories
    # stories come in the order of their first article (the archive is in publication order)
    line = {json.loads(text)["id"]: k for k, text in enumerate(archive.read_text(encoding="utf-8").splitlines())}
    firsts = [min(line[a] for a in s["article_ids"]) for s in local]
    assert firsts == sorted(firsts)


@needs_shared(BAOMOI)
def test_windows_with_closed_stories_find_the_stories_of_one_window(archive, local_run, tmp_path):
    # the same archive in one window (nothing closed) through the CLI, stories only
    assert main(["batch", str(archive), "--out", str(tmp_path), "--window", str(ARTICLES), "--no-summaries",
                 "--no-facts", "--jobs", "2", "--partition", str(PARTITION), "--quiet"]) == 0
    whole = read_stories(tmp_path)
    assert json.loads((tmp_path / "run.json").read_text())["windows"] == 1
    assert whole and not any("summary" in s or "facts" in s for s in whole)
    windowed = read_stories(local_run[0])
    one = {a: s["id"] for s in whole for a in s["article_ids"]}
    many = {a: s["id"] for s in windowed for a in s["article_ids"]}
    assert one.keys() == many.keys()
    # windows of 1,000 added one after another, as a store's ingest adds chunks, against one
    # round over all 2,500: B-cubed F1 0.963 (docs/SCALING.md)
    _, _, f1 = bcubed(many, one)
    assert f1 > 0.95, f1


@needs_shared(BAOMOI)
def test_a_rerun_skips_finished_partitions_and_parts(archive, local_run):
    out, first = local_run
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("stories-*.jsonl")}
    engine = LocalEngine(jobs=2)
    try:
        again = run_batch([str(archive)], out, engine, config=CONFIG, facts=False, partition_lines=PARTITION,
                          window=WINDOW)
    finally:
        engine.close()
    assert again.partitions_reused == again.partitions == first.partitions
    assert again.parts_reused == again.parts == first.parts
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("stories-*.jsonl")} == before  # not rewritten
    assert json.loads((out / "run.json").read_text())["stories"] == first.stories


def test_parquet_parts_carry_summaries_and_facts_with_citations(tmp_path):
    engine = LocalEngine(jobs=1)
    try:
        report = run_batch([str(SEEDS)], tmp_path, engine, fmt="parquet")
    finally:
        engine.close()
    assert list(tmp_path.glob("stories-*.parquet")) and not list(tmp_path.glob("stories-*.jsonl"))
    [story] = read_stories(tmp_path)  # two outlets, one event: NATO's new Secretary General in Kyiv
    assert report.articles == 2 and len(story["article_ids"]) == 2
    assert {s["article_id"] for s in story["summary"]["sentences"]} <= set(story["article_ids"])
    names = {e["name"] for e in story["facts"]["entities"]}
    assert "Mark Rutte" in names, names
    assert any(q["speaker"] == "Mark Rutte" for q in story["facts"]["quotes"])


def test_bad_files_are_reported_by_line_and_the_rest_goes_through(tmp_path, capsys):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    broken = Path(__file__).parents[1] / "data" / "bad" / "broken-lines.jsonl"
    (inputs / "broken-lines.jsonl").write_bytes(broken.read_bytes())
    (inputs / "binary.txt").write_bytes(bytes(range(256)) * 40)
    for seed in SEEDS.glob("*.txt"):
        (inputs / seed.name).write_bytes(seed.read_bytes())
    code = main(["batch", str(inputs), "--out", str(tmp_path / "out"), "--no-facts", "--quiet", "--jobs", "1"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "binary.txt: this looks like a binary file" in err
    assert "broken-lines.jsonl:2: not valid JSON" in err, err
    stories = read_stories(tmp_path / "out")
    ids = {a for s in stories for a in s["article_ids"]}
    assert {p.stem for p in SEEDS.glob("*.txt")} <= ids
    assert "Traceback" not in err


def test_user_mistakes_get_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["batch", str(SEEDS), "--out", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "--scheduler needs --engine dask" in capsys.readouterr().err
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert main(["batch", str(SEEDS), "--out", str(not_a_folder), "--jobs", "1"]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert main(["batch", str(tmp_path / "missing"), "--out", str(tmp_path / "o"), "--jobs", "1"]) == 2
    assert "no such file or folder" in capsys.readouterr().err

"""The batch driver's peak memory as the archive grows: `diemtin batch --engine dask` on a
LocalCluster over the corpus repeated 1, 2 and 4 times.

    python bench/batch_memory.py ../shared/data/baomoi-2017.jsonl.gz --copies 1 4 --work /tmp/bench/batch
    python bench/batch_memory.py ../shared/data/baomoi-2017.jsonl.gz --copies 1 --summaries --work /tmp/bench/batch

Copy c of the corpus gets new ids (``-c<c>``) and publication times. baomoi-2017 carries none,
so the bench dates its articles by input position, ARTICLES_A_DAY to a day (a national
aggregator's share of one day), and shifts copy c by c times the corpus's span: the archive
grows in time as a real one does. Each size runs the CLI in its own process; the driver's and
the workers' resident memory is sampled every 0.2 s (psutil). Prints, per size: articles,
stories, windows, the driver's peak and the largest worker's peak, and the stages' seconds.
Without --summaries the story parts are written without summaries (the summaries take an hour
per 35k articles on 2 cores; the driver only sends the parts their stories and locations).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import psutil

ARTICLES_A_DAY = 1000
START = datetime(2017, 1, 1, 6, 0)


def repeated_corpus(source: Path, copies: int, target: Path) -> int:
    """Write the corpus ``copies`` times, with new ids and shifted dates; the article count."""
    lines = gzip.open(source, "rt", encoding="utf-8").read().splitlines()
    span_days = len(lines) // ARTICLES_A_DAY + 1
    count = 0
    with gzip.open(target, "wt", encoding="utf-8", compresslevel=1) as out:
        for copy in range(copies):
            for position, line in enumerate(lines):
                try:
                    record = json.loads(line)
                except ValueError:
                    out.write(line + "\n")  # a broken line stays broken: the batch reports it
                    continue
                if isinstance(record, dict):
                    record["id"] = f"{record.get('id', position)}-c{copy}"
                    moment = START + timedelta(days=copy * span_days + position // ARTICLES_A_DAY,
                                               seconds=(position % ARTICLES_A_DAY) * 86400 // ARTICLES_A_DAY)
                    record["published"] = moment.isoformat(timespec="minutes")
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
    return count


def run(corpus: Path, out: Path, summaries: bool, window: int | None) -> dict:
    command = [str(Path(sys.executable).parent / "diemtin"), "batch", str(corpus), "--out", str(out), "--engine", "dask",
               "--workers", "2", "--no-facts", "--quiet"]
    if not summaries:
        command.append("--no-summaries")
    if window:
        command += ["--window", str(window)]
    driver = subprocess.Popen(command)
    peaks = {"driver": 0, "worker": 0}
    done = threading.Event()

    def sample() -> None:
        process = psutil.Process(driver.pid)
        while not done.is_set():
            try:
                peaks["driver"] = max(peaks["driver"], process.memory_info().rss)
                for child in process.children(recursive=True):
                    peaks["worker"] = max(peaks["worker"], child.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    start = time.perf_counter()
    sampler.start()
    code = driver.wait()
    done.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"diemtin batch exited with {code}")
    report = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {"seconds": time.perf_counter() - start, "peaks": peaks, "report": report}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--work", default="/tmp/bench/batch", help="folder for the corpora and the story parts")
    parser.add_argument("--summaries", action="store_true", help="write summaries too (an hour per 35k articles)")
    parser.add_argument("--window", type=int, default=None, help="--window for diemtin batch (default: its own)")
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    for copies in args.copies:
        corpus = work / f"corpus-x{copies}.jsonl.gz"
        articles = repeated_corpus(Path(args.corpus), copies, corpus)
        out = work / f"out-x{copies}{'-summaries' if args.summaries else ''}"
        result = run(corpus, out, args.summaries, args.window)
        report, peaks = result["report"], result["peaks"]
        stages = ", ".join(f"{stage} {value:.0f} s" for stage, value in report["seconds"].items())
        print(f"x{copies}: {articles} lines, {report['articles']} articles, {report['stories']} stories, "
              f"{report['windows']} windows; driver peak {peaks['driver'] / 2**20:.0f} MB, largest worker "
              f"{peaks['worker'] / 2**20:.0f} MB; {result['seconds']:.0f} s ({stages})", flush=True)


if __name__ == "__main__":
    main()

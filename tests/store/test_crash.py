"""kill -9 during a large ingest, restart, and check that nothing committed is lost or duplicated."""

from __future__ import annotations

import gzip
import itertools
import os
import resource
import signal
import sqlite3
import subprocess
import sys
import time

from diemtin.store import Store
from tests.conftest import ROOT, SEEDS, SHARED, needs_shared

BAD = ROOT / "tests" / "data" / "bad"
BAOMOI = SHARED / "baomoi-2017.jsonl.gz"
# the 400 lines of the test file are 400 articles; summaries are written once all are in stories
SUMMARY_PHASE_ARTICLES = 400


def _count(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def process_alive(process) -> bool:
    return process.poll() is None


def _summarising(db) -> bool:
    """All articles stored and in stories, and summaries still to write (they are computed, then
    written in batches)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
            stale = c.execute("SELECT count(*) FROM stories WHERE summary_stale").fetchone()[0]
    except sqlite3.OperationalError:
        return False
    return articles >= SUMMARY_PHASE_ARTICLES and stale > 0


def _ingest(path, db, *flags: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "diemtin.cli", "ingest", str(path), "--db", str(db), "--chunk", "40",
                             "--jobs", "1", "--quiet", *flags], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _check_consistent(db, finished: bool) -> None:
    with sqlite3.connect(db) as c:
        articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert c.execute("SELECT count(*) FROM (SELECT id FROM articles GROUP BY id HAVING count(*) > 1)").fetchone()[0] == 0
        # every article is in exactly one story that exists, and each story counts its articles right
        assert c.execute("SELECT count(*) FROM articles WHERE story_id NOT IN (SELECT id FROM stories)").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM stories s WHERE s.articles != "
                         "(SELECT count(*) FROM articles a WHERE a.story_id = s.id)").fetchone()[0] == 0
        # what is committed is readable: every story has a summary, killed or not (one whose
        # learned summary is still to come is marked stale, and the next run writes it); after a
        # finished run none is stale and every story has its facts
        assert c.execute("SELECT count(*) FROM stories WHERE id NOT IN (SELECT story_id FROM summaries)").fetchone()[0] == 0
        if finished:
            assert c.execute("SELECT count(*) FROM stories WHERE summary_stale").fetchone()[0] == 0
            assert c.execute("SELECT count(*) FROM stories WHERE id NOT IN (SELECT story_id FROM facts)").fetchone()[0] == 0
        # the story layer's saved state describes exactly the stored articles
        assert c.execute("SELECT articles FROM story_state").fetchone()[0] == articles


@needs_shared(BAOMOI)
def test_kill_during_ingest_loses_nothing_committed(tmp_path):
    source = tmp_path / "articles.jsonl"
    with gzip.open(BAOMOI, "rb") as f, open(source, "wb") as out:
        out.writelines(itertools.islice(f, 400))
    db = tmp_path / "diemtin.db"
    process = _ingest(source, db)
    deadline = time.monotonic() + 300
    while _count(db) < 80 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.2)
    assert process.poll() is None, "the ingest ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    committed = _count(db)
    assert 80 <= committed < 400
    _check_consistent(db, finished=False)

    # the rerun is killed too, once every article is in a story and summaries are being written
    rerun = _ingest(source, db)
    while process_alive(rerun) and not _summarising(db):
        time.sleep(0.1)
    assert process_alive(rerun), "the rerun ended before its summaries could be interrupted"
    time.sleep(1)  # well inside the summary phase (several seconds on one process)
    os.kill(rerun.pid, signal.SIGKILL)
    rerun.wait()
    _check_consistent(db, finished=False)

    last = _ingest(source, db)
    _, err = last.communicate(timeout=900)
    assert last.returncode == 0, err.decode()
    assert "skipped" in err.decode() and "stored 0" in err.decode()
    _check_consistent(db, finished=True)
    store = Store.open(str(db))
    stored = store.counts()["articles"]
    # the same file into a fresh database: the same articles, none lost, none twice
    fresh = tmp_path / "fresh.db"
    again = _ingest(source, fresh, "--no-facts")  # only the articles are compared
    _, err = again.communicate(timeout=900)
    assert again.returncode == 0, err.decode()
    with sqlite3.connect(db) as a, sqlite3.connect(fresh) as b:
        assert sorted(a.execute("SELECT id FROM articles")) == sorted(b.execute("SELECT id FROM articles"))
    assert stored == _count(fresh)


def test_a_full_disk_is_a_clear_error_and_nothing_is_lost(tmp_path):
    """A write the system refuses (here: over a file-size limit, as on a full disk) stops the
    ingest with a message, keeps what was stored, and the same command later completes."""
    db = tmp_path / "diemtin.db"
    first = subprocess.run([sys.executable, "-m", "diemtin.cli", "ingest", str(SEEDS), "--db", str(db), "--quiet"],
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    limit = db.stat().st_size + 4096

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write is an error, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-m", "diemtin.cli", "ingest", str(BAD), "--db", str(db), "--quiet"]
    full = subprocess.run(command, capture_output=True, text=True, timeout=300, preexec_fn=small_disk)
    assert full.returncode == 2, full.stderr
    assert "could not write to the disk" in full.stderr and "Traceback" not in full.stderr
    with sqlite3.connect(db) as c:
        assert sorted(r[0] for r in c.execute("SELECT id FROM articles")) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    _check_consistent(db, finished=True)
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM articles").fetchone()[0] == 2 + 7  # the seeds and the bad corpus's 7

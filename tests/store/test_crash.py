"""kill -9 during a large ingest, restart, and check that nothing committed is lost or duplicated."""

from __future__ import annotations

import gzip
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time

from diemtin.store import Store
from tests.conftest import SHARED, needs_shared

BAOMOI = SHARED / "baomoi-2017.jsonl.gz"


def _count(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as c:
            return c.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _ingest(path, db) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "diemtin.cli", "ingest", str(path), "--db", str(db), "--chunk", "40",
                             "--jobs", "1", "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _check_consistent(db, finished: bool) -> None:
    with sqlite3.connect(db) as c:
        articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert c.execute("SELECT count(*) FROM (SELECT id FROM articles GROUP BY id HAVING count(*) > 1)").fetchone()[0] == 0
        # every article is in exactly one story that exists, and each story counts its articles right
        assert c.execute("SELECT count(*) FROM articles WHERE story_id NOT IN (SELECT id FROM stories)").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM stories s WHERE s.articles != "
                         "(SELECT count(*) FROM articles a WHERE a.story_id = s.id)").fetchone()[0] == 0
        # a story without a summary is marked stale, so the next run writes it; after a finished
        # run none is stale
        assert c.execute("SELECT count(*) FROM stories WHERE NOT summary_stale AND id NOT IN "
                         "(SELECT story_id FROM summaries)").fetchone()[0] == 0
        if finished:
            assert c.execute("SELECT count(*) FROM stories WHERE summary_stale").fetchone()[0] == 0
            assert c.execute("SELECT count(*) FROM stories WHERE id NOT IN (SELECT story_id FROM summaries)").fetchone()[0] == 0
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

    rerun = _ingest(source, db)
    _, err = rerun.communicate(timeout=900)
    assert rerun.returncode == 0, err.decode()
    assert f"skipped {committed} already stored" in err.decode()
    _check_consistent(db, finished=True)
    store = Store.open(str(db))
    stored = store.counts()["articles"]
    # the same file into a fresh database: the same articles, none lost, none twice
    fresh = tmp_path / "fresh.db"
    again = _ingest(source, fresh)
    _, err = again.communicate(timeout=900)
    assert again.returncode == 0, err.decode()
    with sqlite3.connect(db) as a, sqlite3.connect(fresh) as b:
        assert sorted(a.execute("SELECT id FROM articles")) == sorted(b.execute("SELECT id FROM articles"))
    assert stored == _count(fresh)

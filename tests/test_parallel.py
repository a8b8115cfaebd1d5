"""Worker processes never outlive the command that started them: the parent is killed with
SIGKILL (it can shut nothing down) while its pool works, and every child must exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from diemtin.parallel import default_jobs
from tests.conftest import VIMS, needs_shared


def _descendants(pid: int) -> set[int]:
    """Live processes below ``pid`` (zombies, which are only waiting to be reaped, excluded)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if state != "Z":
                parents[int(entry.name)] = int(ppid)
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        children = {child for child, parent in parents.items() if parent == current}
        todo.extend(children - found)
        found |= children
    return found


def _wait_for(condition, seconds: float):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    return condition()


COMMANDS = {
    "ingest": lambda tmp: ["ingest", str(VIMS), "--db", str(tmp / "news.db"), "--quiet"],
    "summarize": lambda tmp: ["summarize", str(VIMS), "--jobs", "2", "--quiet", "--no-facts", "--out", str(tmp / "s")],
    "batch": lambda tmp: ["batch", str(VIMS), "--out", str(tmp / "out"), "--jobs", "2", "--quiet", "--no-facts"],
    "batch-dask": lambda tmp: ["batch", str(VIMS), "--engine", "dask", "--workers", "2", "--out", str(tmp / "out"),
                               "--quiet", "--no-facts"],
}


@needs_shared(VIMS)
@pytest.mark.skipif(default_jobs() < 2, reason="one core: no worker processes are started")
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_worker_survives_its_killed_parent(command, tmp_path):
    process = subprocess.Popen([sys.executable, "-m", "diemtin.cli", *COMMANDS[command](tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        workers = _wait_for(lambda: _descendants(process.pid) if len(_descendants(process.pid)) >= 2 else None, 180)
        assert workers, f"{command} started no worker processes"
        time.sleep(1.0)  # let them take work
        workers = _descendants(process.pid)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        alive = _wait_for(lambda: not {w for w in workers if Path(f"/proc/{w}").exists()
                                       and Path(f"/proc/{w}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"},
                          30)
        assert alive, f"workers of a killed '{command}' still running: {sorted(workers)}"
    finally:
        if process.poll() is None:
            process.kill()
        for pid in workers | _descendants(process.pid):  # a failed test leaves no orphan behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def test_a_local_engine_of_several_workers_takes_an_empty_batch_with_shared_data():
    # the chunk size of an empty batch with shared data came out 0 and the pool refused it
    # (ValueError): a refresh with nothing to do stopped there
    from diemtin.parallel import LocalEngine
    from diemtin.text.normalize import syllables

    with LocalEngine(2) as engine:
        assert engine.map(syllables, []) == [] and list(engine.imap(max, [], 0)) == []
        assert engine.map(max, [1, 5, 3], 4) == [4, 5, 4]


def test_a_closed_local_engine_starts_no_new_workers():
    # the server's background thread, still in its round as the server stopped, asked the closed
    # engine for work and a fresh pool started that nobody shut down
    from diemtin.parallel import LocalEngine

    engine = LocalEngine(2)
    assert engine.map(max, [1, 5, 3], 4) == [4, 5, 4]
    engine.close()
    with pytest.raises(RuntimeError, match="closed"):
        engine.map(max, [1, 5, 3], 4)
    assert engine._pool is None

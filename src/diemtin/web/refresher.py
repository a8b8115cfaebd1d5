"""The web app's background work: stale summaries and missing facts, never in a request.

Articles posted to the API are stored, clustered and given a readable summary in the request
(bounded work: at most 500 articles); the learned summaries and the facts of the stories they
changed are written here, in a thread that hands the work to one worker process, so requests
keep the server's own process. The same steps as ``diemtin ingest`` (``store.update``).
"""

from __future__ import annotations

import logging
import threading

from diemtin.errors import DiemtinError
from diemtin.parallel import LocalEngine
from diemtin.store import Store, refresh_facts, refresh_summaries
from diemtin.store.update import FACTS_BATCH

log = logging.getLogger("diemtin.refresher")
# Seconds between looks at the store when there was nothing to do.
IDLE_SECONDS = 2.0


class Refresher:
    def __init__(self, store: Store, jobs: int = 1, idle_seconds: float = IDLE_SECONDS):
        self.store, self.jobs, self.idle_seconds = store, jobs, idle_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._engine: LocalEngine | None = None

    def start(self) -> None:
        self._engine = LocalEngine(self.jobs, in_process=False)
        self._thread = threading.Thread(target=self._run, name="diemtin-refresher", daemon=True)
        self._thread.start()

    def stop(self, wait_seconds: float = 60) -> None:
        """Ask the thread to stop; a round still running after ``wait_seconds`` is cancelled
        (its results were not written yet: the next start does that work again)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=wait_seconds)
        if self._engine is not None:
            self._engine.close()
        if self._thread is not None:
            self._thread.join(timeout=wait_seconds)

    def run_once(self) -> int:
        """One round: every stale summary, then facts for up to ``FACTS_BATCH`` stories."""
        done = refresh_summaries(self.store, engine=self._engine)
        return done + refresh_facts(self.store, engine=self._engine, limit=FACTS_BATCH)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                done = self.run_once()
            except DiemtinError as exc:  # a database the operator must fix: say so, try again later
                log.warning("background refresh: %s", exc)
                done = 0
            except Exception as exc:  # noqa: BLE001  (a bug must not stop the server; the log has it)
                if self._stop.is_set():  # the server stopped and cancelled this round's work
                    log.info("background refresh stopped with the server (%s); the rest waits for the next start",
                             type(exc).__name__)
                    return
                log.exception("background refresh failed")
                done = 0
            if not done:
                self._stop.wait(self.idle_seconds)

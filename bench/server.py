"""Start `diemtin serve` over a database on a free loopback port, for the benchmarks."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator


@contextlib.contextmanager
def running_server(db: str, env: dict | None = None) -> Iterator[str]:
    """Yield the base URL of a real server (uvicorn, one process) over ``db``; stop it after."""
    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "diemtin.cli", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.DEVNULL, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/stories?limit=1", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait()

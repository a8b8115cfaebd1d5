"""Screenshots of the reader's pages for docs/screenshots/ (the README shows the home page).

    python tools/screenshots.py [--clusters 60]

Builds a store from the bundled seed articles and the first vims-dev clusters (facts included),
serves it on 127.0.0.1 and photographs the home, a section, a story and a search page at
1280 and 390 px in Debian's Chromium (DIEMTIN_TEST_CHROMIUM or /usr/bin/chromium).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"


def main() -> None:
    import uvicorn
    from playwright.sync_api import sync_playwright

    from diemtin.ingest import read_sources
    from diemtin.store import Store, ingest_articles
    from diemtin.web.app import create_app

    sys.path.insert(0, str(ROOT))  # the browser tests' Chromium flags, kept in one place
    from tests.web.test_browser import CHROMIUM_ARGS, _free_port

    parser = argparse.ArgumentParser()
    parser.add_argument("--clusters", type=int, default=60)
    args = parser.parse_args()
    store = Store.open(str(Path(tempfile.mkdtemp()) / "diemtin.db"))
    articles = read_sources([ROOT / "examples" / "seeds"]).articles
    vims = ROOT.parent / "shared" / "data" / "mds" / "vims-dev.jsonl"
    articles += [a for c in read_sources([vims]).clusters[:args.clusters] for a in c.articles]
    ingest_articles(store, articles)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, token=""), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("DIEMTIN_TEST_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        for width in (1280, 390):
            page = browser.new_context(java_script_enabled=False, locale="vi-VN",
                                       viewport={"width": width, "height": 1000}).new_page()
            page.goto(f"{base}/?since=all")
            story = page.locator("article.card h2 a").first.get_attribute("href")
            section = page.locator("article.card a.section").first.get_attribute("href")
            for name, path in (("home", "/?since=all"), ("section", section + "?since=all"), ("story", story),
                               ("search", "/search?q=máy+bay+Ai+Cập")):
                page.goto(base + path)
                page.screenshot(path=str(OUT / f"{name}-{width}.png"))
                print(OUT / f"{name}-{width}.png")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()

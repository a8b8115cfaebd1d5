"""Peak memory and time of summarising one very large article (issue 20: bounded by design).

    python bench/big_article.py ../shared/data/baomoi-2017.jsonl.gz --sizes 1 10 50

An article of N MB is made by joining real articles of the corpus (their paragraphs kept). Each
size is measured in a fresh process, twice:

- cli: ``diemtin summarize FILE.txt`` as a user runs it (defaults: facts included; an article
  over the readers' limit, MAX_ARTICLE_CHARS, is refused by its size);
- library: ``summarize`` and ``extract_facts`` on the Article itself, past every reader's limit,
  to show that the summariser bounds its own work (the first READ_SENTENCES sentences, candidate
  sentences of at most MAX_CANDIDATE_SYLLABLES, cosines by blocks of rows).

Peak memory is the process's VmHWM (resident high-water mark).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIBRARY = """
import re, sys, time
from diemtin import Article, summarize
from diemtin.facts import extract_facts
text = open(sys.argv[1], encoding="utf-8").read()
title, _, body = text.partition("\\n")
article = Article("big", title, body)
start = time.perf_counter()
summary = summarize([article], length=200)
facts = extract_facts([article])
seconds = time.perf_counter() - start
peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) / 1024
print(len(summary.sentences), len(facts["entities"]), round(seconds, 1), round(peak), "; ".join(summary.notes))
"""


def make_article(corpus: Path, megabytes: int, path: Path) -> None:
    target = megabytes * 10**6
    written = 0
    with gzip.open(corpus, "rt", encoding="utf-8") as source, open(path, "w", encoding="utf-8") as out:
        out.write("Tổng hợp tin tức của năm\n")
        while written < target:
            for line in source:
                text = json.loads(line).get("text") or ""
                out.write(text + "\n")
                written += len(text.encode("utf-8")) + 1
                if written >= target:
                    break
            else:
                source.seek(0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="diemtin-big-"))
    diemtin = Path(sys.executable).with_name("diemtin")
    print("| size | path | wall s | peak MB | outcome |")
    print("|---|---|---|---|---|")
    for megabytes in args.sizes:
        path = folder / f"big-{megabytes}mb.txt"
        make_article(args.corpus, megabytes, path)
        runs = {"cli": [str(diemtin), "summarize", str(path), "--format", "json"],
                "library": [sys.executable, "-c", LIBRARY, str(path)]}
        for name, command in runs.items():
            start = time.perf_counter()
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            out, err = process.stdout.read(), process.stderr.read()
            peak = usage.ru_maxrss / 1024
            if name == "cli":
                lines = [line for line in err.splitlines() if "warning" in line or "note" in line or "error" in line]
                outcome = "; ".join(lines)[:160] or f"summary of {len(json.loads(out)['sentences'])} sentences"
            else:
                sentences, entities, _, _, *notes = out.strip().split(" ", 4) if out else ["?"] * 4
                outcome = (f"{sentences} summary sentences, {entities} entities; " + " ".join(notes))[:160] \
                    if status == 0 else err.strip().splitlines()[-1][:160]
            print(f"| {megabytes} MB | {name} | {seconds:.1f} | {peak:.0f} | {outcome} |", flush=True)
        path.unlink()


if __name__ == "__main__":
    main()

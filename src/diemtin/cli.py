"""The ``diemtin`` command: thin wrappers that parse arguments and call one library function each."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from diemtin.errors import DiemtinError

SUMMARIZE_HELP = """\
Summarise Vietnamese news articles about one event. Every summary sentence is a sentence of
one of the articles and is cited with its article.

Inputs may be plain text files (one article each; the first line is taken as the title when
it looks like one), folders of them, article JSONL (one {"title", "text", ...} per line) or
cluster JSONL (one {"id", "documents": [...]} per line, summarised cluster by cluster).
Loose articles given together are summarised as one story.

examples:
  diemtin summarize examples/seeds/*.txt
  diemtin summarize story/ --format markdown
  diemtin summarize articles.jsonl --length 120
  diemtin summarize clusters.jsonl --format json --out summaries.jsonl
"""

EVAL_HELP = """\
Score summaries of every cluster in a cluster JSONL against its human summaries, with the
syllable-level ROUGE protocol of EVALUATION.md (R1, R2, RL precision/recall/F1, in percent).
The budget is the file's median reference length unless --length is given.

examples:
  diemtin eval ../shared/data/mds/vims-dev.jsonl
  diemtin eval ../shared/data/mds/vims-dev.jsonl --system lead-rr
  diemtin eval clusters.jsonl --summaries summaries.jsonl --json --per-cluster scores.json
"""


def _progress(disable: bool):
    def wrap(iterable, total=None):
        from tqdm import tqdm  # noqa: PLC0415

        return tqdm(iterable, total=total, disable=disable or None, file=sys.stderr, unit="cluster")

    return wrap


def _warn(problems) -> None:
    for problem in problems:
        print(f"diemtin: warning: {problem}", file=sys.stderr)


def cmd_summarize(args: argparse.Namespace) -> int:
    from diemtin.ingest import read_sources  # noqa: PLC0415
    from diemtin.render import render  # noqa: PLC0415
    from diemtin.summarizer import check_length, summarize_clusters  # noqa: PLC0415
    from diemtin.types import Cluster  # noqa: PLC0415

    check_length(args.length)
    batch = read_sources(args.inputs)
    _warn(batch.problems)
    clusters = list(batch.clusters)
    if batch.articles:
        story_id = Path(args.inputs[0]).stem if len(args.inputs) == 1 else "story"
        clusters.insert(0, Cluster(story_id, batch.articles))
    if not clusters:
        raise DiemtinError("no usable articles in " + ", ".join(args.inputs) + "; see the warnings above")
    for cluster in clusters:
        if len(cluster.articles) == 1:
            print(f"diemtin: note: {cluster.id} has one article; its summary comes from that article alone",
                  file=sys.stderr)
    summaries = summarize_clusters(clusters, length=args.length, method=args.method, jobs=args.jobs)
    if len(clusters) > 1:
        summaries = _progress(args.quiet)(summaries, total=len(clusters))
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        for i, summary in enumerate(summaries):
            if i and args.format != "json":
                out.write("\n")
            out.write(render(summary, args.format, heading=len(clusters) > 1) + "\n")
    finally:
        if args.out:
            out.close()
    if args.out:
        print(f"diemtin: wrote {len(clusters)} summaries to {args.out}", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from diemtin.evaluate.summaries import evaluate_file  # noqa: PLC0415

    if args.length is not None and args.length <= 0:
        raise DiemtinError(f"--length must be a positive number of syllables (got {args.length})")
    if not Path(args.file).exists():
        raise DiemtinError(f"{args.file}: no such file")
    report = evaluate_file(args.file, system=args.system, summaries_path=args.summaries, length=args.length,
                           jobs=args.jobs, progress=_progress(args.quiet))
    _warn(report.problems)
    if args.per_cluster:
        Path(args.per_cluster).write_text(json.dumps(report.per_cluster, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else report.table())
    return 0


def build_parser() -> argparse.ArgumentParser:
    from diemtin.render import FORMATS  # noqa: PLC0415
    from diemtin.summarizer.summarizers import SUMMARIZERS  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="diemtin", description="diemtin: faithful summaries of Vietnamese news.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fmt = argparse.RawDescriptionHelpFormatter

    s = sub.add_parser("summarize", help="summarise articles about one event", description=SUMMARIZE_HELP, formatter_class=fmt)
    s.add_argument("inputs", nargs="+", metavar="PATH", help="text files, folders, article JSONL or cluster JSONL (.gz too)")
    s.add_argument("--length", type=int, default=200, help="budget in syllables (default: 200, a typical news summary)")
    s.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    s.add_argument("--out", help="write here instead of standard output (json: one summary per line)")
    s.add_argument("--method", choices=list(SUMMARIZERS), default="diemtin", help="summariser (default: diemtin)")
    s.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.set_defaults(func=cmd_summarize)

    e = sub.add_parser("eval", help="score summaries against human summaries (ROUGE)", description=EVAL_HELP, formatter_class=fmt)
    e.add_argument("file", help="cluster JSONL with human summaries")
    e.add_argument("--system", choices=list(SUMMARIZERS), default="diemtin", help="summariser to score (default: diemtin)")
    e.add_argument("--summaries", help="score these summaries instead (JSONL of {\"id\", \"summary\"})")
    e.add_argument("--length", type=int, default=None, help="budget in syllables (default: the file's median reference length)")
    e.add_argument("--json", action="store_true", help="print the report as JSON")
    e.add_argument("--per-cluster", metavar="FILE", help="also write each cluster's F1 scores to FILE (JSON)")
    e.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    e.add_argument("--quiet", action="store_true", help="no progress bar")
    e.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except DiemtinError as exc:
        print(f"diemtin: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("diemtin: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())

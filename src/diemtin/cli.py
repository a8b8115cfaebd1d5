"""The ``diemtin`` command: thin wrappers that parse arguments and call one library function each.

Each command imports the stages it runs inside its own function, so ``diemtin --help`` or a
mistyped option answers in a second instead of loading underthesea, scikit-learn and
SQLAlchemy first; tests/test_layers.py checks those imports like any other.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from diemtin.config import BATCH_WINDOW, CHUNK, DEFAULT_LENGTH, DIGEST_ORDERS
from diemtin.errors import DiemtinError
from diemtin.parallel import LocalEngine

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


def _warn(problems, notes=()) -> None:
    for note in notes:
        print(f"diemtin: note: {note}", file=sys.stderr)
    for problem in problems:
        print(f"diemtin: warning: {problem}", file=sys.stderr)


def _allow_private(args: argparse.Namespace):
    """The private networks URLs may reach: ``--allow-private-urls``, else DIEMTIN_ALLOW_PRIVATE_URLS."""
    from diemtin.config import Settings, private_networks  # noqa: PLC0415

    if args.allow_private_urls is not None:
        return private_networks(args.allow_private_urls)
    return Settings.from_env().allow_private


def cmd_summarize(args: argparse.Namespace) -> int:
    from diemtin.summarizer import check_length  # noqa: PLC0415

    check_length(args.length)
    with LocalEngine(args.jobs) as engine:
        return _summarize(args, engine)


def _summarize(args: argparse.Namespace, engine) -> int:
    from diemtin.ingest import read_sources  # noqa: PLC0415
    from diemtin.render import render  # noqa: PLC0415
    from diemtin.summarizer import summarize_clusters  # noqa: PLC0415
    from diemtin.types import Cluster  # noqa: PLC0415

    batch = read_sources(args.inputs, allow_private=_allow_private(args), engine=engine)
    _warn(batch.problems, batch.notes)
    if args.published:
        from diemtin.times import parse_time  # noqa: PLC0415

        if parse_time(args.published) is None:
            raise DiemtinError(f"cannot read --published '{args.published}'; give a date like 2024-10-04")
        for article in batch.articles + [a for c in batch.clusters for a in c.articles]:
            article.published = article.published or args.published
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
    summaries = summarize_clusters(clusters, length=args.length, method=args.method, engine=engine)
    if not args.no_facts:
        from diemtin.facts import extract_facts  # noqa: PLC0415

        facts = engine.imap(extract_facts, [c.articles for c in clusters])
        summaries = (_with(summary, made) for summary, made in zip(summaries, facts))
    if len(clusters) > 1:
        summaries = _progress(args.quiet)(summaries, total=len(clusters))
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        for i, summary in enumerate(summaries):
            _warn([], summary.notes)
            if i and args.format != "json":
                out.write("\n")
            out.write(render(summary, args.format, heading=len(clusters) > 1) + "\n")
    finally:
        if args.out:
            out.close()
    if args.out:
        print(f"diemtin: wrote {len(clusters)} summaries to {args.out}", file=sys.stderr)
    return 0


def _with(summary, facts):
    summary.facts = facts
    return summary


def cmd_eval(args: argparse.Namespace) -> int:
    from diemtin.evaluate.summaries import evaluate_file  # noqa: PLC0415

    if args.length is not None and args.length <= 0:
        raise DiemtinError(f"--length must be a positive number of syllables (got {args.length})")
    if not Path(args.file).exists():
        raise DiemtinError(f"{args.file}: no such file")
    with LocalEngine(args.jobs) as engine:
        report = evaluate_file(args.file, system=args.system, summaries_path=args.summaries, length=args.length,
                               engine=engine, progress=_progress(args.quiet))
    _warn(report.problems)
    if args.per_cluster:
        Path(args.per_cluster).write_text(json.dumps(report.per_cluster, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else report.table())
    return 0


CLUSTER_HELP = """\
Group articles that report the same event into stories, without being told how many there
are. Copies and near-copies are grouped first (each group is listed once in its story, with
every outlet that carried it). With --state, earlier stories are loaded, new articles join
them or start new stories, and the state is saved again for the next run.

examples:
  diemtin cluster ../shared/data/baomoi-2017.jsonl.gz --out stories.jsonl
  diemtin cluster new-articles.jsonl --state stories.state --out stories.jsonl
  diemtin cluster examples/seeds/ --summarize
"""

EVAL_CLUSTERS_HELP = """\
Pool every article of a cluster JSONL, shuffle, cluster, and score against the cluster ids
(B-cubed precision/recall/F1 and adjusted Rand index, in percent; EVALUATION.md).

examples:
  diemtin eval-clusters ../shared/data/mds/vims-dev.jsonl
  diemtin eval-clusters ../shared/data/mds/vims-dev.jsonl --distractors ../shared/data/baomoi-2017.jsonl.gz
  diemtin eval-clusters ../shared/data/mds/abmusu-train.jsonl --batches 5   # incremental, 5 runs
"""


def _cluster_config(args):
    """The settings the options ask for; None when they ask for none (a saved state keeps its own)."""
    from diemtin.cluster.stories import ClusterConfig  # noqa: PLC0415

    return None if args.threshold is None else ClusterConfig(threshold=args.threshold)


def cmd_cluster(args: argparse.Namespace) -> int:
    from diemtin.cluster.stories import (  # noqa: PLC0415
        ClusterConfig, StoryState, add_articles, load_state, save_state, to_story,
    )
    from diemtin.ingest import read_sources  # noqa: PLC0415

    with LocalEngine(args.jobs) as engine:
        batch = read_sources(args.inputs, allow_private=_allow_private(args), engine=engine)
        _warn(batch.problems, batch.notes)
        articles = batch.articles + [a for c in batch.clusters for a in c.articles]
        if not articles:
            raise DiemtinError("no usable articles in " + ", ".join(args.inputs) + "; see the warnings above")
        config = _cluster_config(args)
        state = load_state(Path(args.state), config) if args.state else StoryState.new(config or ClusterConfig())
        changes = add_articles(state, articles, progress=_progress(args.quiet), engine=engine)
        stories = sorted((to_story(r, state.config) for r in state.stories), key=lambda s: -len(s.article_ids))
        if args.summarize:
            from diemtin.pipeline import in_publication_order, story_summaries  # noqa: PLC0415
            from diemtin.types import Cluster  # noqa: PLC0415

            by_id = {a.id: a for a in articles}
            # a story continued from --state holds earlier articles this run has not read
            todo = [s for s in stories if all(a in by_id for a in s.article_ids)]
            made = story_summaries([Cluster(s.id, in_publication_order([by_id[a] for a in s.article_ids])) for s in todo],
                                   [s.texts for s in todo], engine=engine)
            for story, summary in zip(todo, made):
                story.summary = summary
    if args.state:
        save_state(state, Path(args.state))
    out = open(args.out, "w", encoding="utf-8") if args.out else sys.stdout
    try:
        for story in stories:
            out.write(json.dumps(story.to_dict(), ensure_ascii=False) + "\n")
    finally:
        if args.out:
            out.close()
    print(f"diemtin: {len(articles)} articles, {len(stories)} stories ({len(changes.changed)} new or changed, "
          f"{len(changes.removed)} regrouped into others)", file=sys.stderr)
    return 0


def cmd_eval_clusters(args: argparse.Namespace) -> int:
    from diemtin.evaluate.clusters import evaluate_clustering  # noqa: PLC0415

    if not Path(args.file).exists():
        raise DiemtinError(f"{args.file}: no such file")
    if args.batches < 1:
        raise DiemtinError(f"--batches must be at least 1 (got {args.batches})")
    with LocalEngine() as engine:
        report = evaluate_clustering(args.file, distractors=args.distractors or (), batches=args.batches,
                                     config=_cluster_config(args), seed=args.seed,
                                     progress=_progress(args.quiet), engine=engine)
    _warn(report.problems)
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) if args.json else report.table())
    return 0


INGEST_HELP = """\
Add articles to the store (SQLite diemtin.db by default; --db or DIEMTIN_DATABASE_URL for
another file or postgresql://...). New articles join earlier stories or start new ones, and
the summaries of the stories they change are rewritten. An article already stored (same URL,
or same text from the same outlet) is skipped, so running the same input twice is safe; each
chunk of articles is one transaction, so an interrupted run loses nothing committed.

Inputs: text files, folders, article JSONL (.gz too), cluster JSONL, HTML pages, RSS/Atom
feeds, and http(s) URLs of pages or feeds.

examples:
  diemtin ingest examples/seeds/
  diemtin ingest ../shared/data/baomoi-2017.jsonl.gz --db news.db
  diemtin ingest https://vnexpress.net/rss/tin-moi-nhat.rss --follow
"""

DIGEST_HELP = """\
The stories of a time window ranked by how many outlets carry them, how many articles they
have and how recent they are; each with its headline, the summary with citations, the
outlets and links.

examples:
  diemtin digest                                   # last 24 hours, Markdown
  diemtin digest --since 7d --format html --out digest.html
  diemtin digest --format email --base-url https://tin.example.vn --out email.html
  diemtin digest --since all --at 2017-02-07 --format json
"""


def cmd_ingest(args: argparse.Namespace) -> int:
    from diemtin.ingest import read_sources  # noqa: PLC0415
    from diemtin.store import (  # noqa: PLC0415
        Store, ingest_articles, missing_facts, refresh_facts, refresh_summaries, stale_summaries,
    )

    from tqdm import tqdm  # noqa: PLC0415

    if args.chunk < 1:
        raise DiemtinError(f"--chunk must be at least 1 (got {args.chunk})")
    store = Store.open(args.db)
    with LocalEngine(args.jobs) as engine:
        batch = read_sources(args.inputs, follow=args.follow, allow_private=_allow_private(args), engine=engine)
        _warn(batch.problems, batch.notes)
        articles = batch.articles + [a for c in batch.clusters for a in c.articles]
        if not articles:
            raise DiemtinError("no usable articles in " + ", ".join(args.inputs) + "; see the warnings above")
        with tqdm(total=len(articles), unit="article", file=sys.stderr, disable=args.quiet or None) as bar:
            report = ingest_articles(store, articles, summarize=False, facts=False, chunk=args.chunk,
                                     progress=bar.update, engine=engine)
        # both also finish what an interrupted run left: stale summaries, stories without facts
        if not args.no_summaries:
            with tqdm(total=stale_summaries(store), unit="summary", file=sys.stderr,
                      disable=args.quiet or None) as bar:
                refresh_summaries(store, progress=bar.update, engine=engine)
        if not args.no_facts:
            with tqdm(total=missing_facts(store), unit="facts", file=sys.stderr, disable=args.quiet or None) as bar:
                refresh_facts(store, progress=bar.update, engine=engine)
    counts = store.counts()
    print(f"diemtin: read {report.read} articles: stored {report.stored} ({report.duplicates} copies of others), "
          f"skipped {report.already_stored} already stored; {len(report.stories_changed)} stories changed. "
          f"The store holds {counts['articles']} articles in {counts['stories']} stories.", file=sys.stderr)
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    from diemtin.digest import FORMATS, build_digest, render_digest  # noqa: PLC0415
    from diemtin.store import Store  # noqa: PLC0415

    if args.limit < 1:
        raise DiemtinError(f"--limit must be at least 1 (got {args.limit})")
    store = Store.open(args.db)
    digest = build_digest(store, since=args.since, at=args.at, limit=args.limit, facts=not args.no_facts,
                          order=args.order)
    if args.format in FORMATS:
        text = render_digest(digest, args.format)
    elif args.format == "email":
        from diemtin.web.pages import digest_email  # noqa: PLC0415

        text = digest_email(digest, args.base_url)
    else:
        from diemtin.web.pages import digest_html  # noqa: PLC0415

        text = digest_html(digest)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"diemtin: wrote {len(digest['stories'])} stories to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from diemtin.web.app import serve  # noqa: PLC0415

    serve(args.db, host=args.host, port=args.port, watch=_watcher_factory(args) if args.watch else None)
    return 0


def _watcher_factory(args: argparse.Namespace):
    """What ``diemtin watch`` runs, as a function of the store: checked here, before anything
    starts, and made by the caller (``watch`` itself, or ``serve --watch``'s app)."""
    from diemtin.ingest.fetch import Fetcher  # noqa: PLC0415
    from diemtin.ingest.outlets import BUNDLED, load_outlets, poll_interval  # noqa: PLC0415
    from diemtin.watch import Watcher, json_log  # noqa: PLC0415

    outlets = load_outlets(Path(args.sources) if args.sources else BUNDLED)
    try:
        every = poll_interval(args.every) if args.every else None
    except DiemtinError as exc:
        raise DiemtinError(f"--every: {exc}") from None
    allow = _allow_private(args)

    def make(store):
        engine, fetcher = LocalEngine(args.jobs), Fetcher(allow_private=allow)
        try:  # refuses the feeds another watch owns
            return Watcher(store, outlets, fetcher, every=every, follow=not args.no_follow, facts=not args.no_facts,
                           engine=engine, log=json_log(sys.stderr), closing=(fetcher, engine))
        except BaseException:
            fetcher.close()
            engine.close()
            raise

    return make


BATCH_HELP = """\
Run the whole pipeline on an archive: read, clean and segment the articles partition by
partition, find copies and stories, and write each story with its cited summary and facts as
partitioned JSONL (or Parquet) in DIR. The same input gives the same stories on this machine's
cores (--engine local) and on a Dask cluster (--engine dask). A rerun into the same DIR skips
the partitions and story parts already done.

examples:
  diemtin batch ../shared/data/baomoi-2017.jsonl.gz --out stories/
  diemtin batch archive/*.jsonl.gz --engine dask --scheduler tcp://host:8786 --out /shared/stories
  diemtin batch archive/ --engine dask --workers 2 --out stories/ --format parquet
"""


def cmd_batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm  # noqa: PLC0415

    from diemtin.batch import run_batch  # noqa: PLC0415
    from diemtin.parallel import open_engine  # noqa: PLC0415

    bars = []

    def progress(stage: str, total: int):
        bar = tqdm(total=total, desc=stage, unit="task", file=sys.stderr, disable=args.quiet or None)
        bars.append(bar)
        return bar.update

    engine = open_engine(args.engine, jobs=args.jobs, scheduler=args.scheduler, workers=args.workers)
    try:
        report = run_batch(args.inputs, args.out, engine, config=_cluster_config(args),
                           fmt=args.format, length=args.length, facts=not args.no_facts,
                           partition_lines=args.partition, progress=progress, window=args.window,
                           summaries=not args.no_summaries)
    finally:
        for bar in bars:
            bar.close()
        engine.close()
    _warn(report.problems, report.notes)
    seconds = ", ".join(f"{stage} {value:.0f} s" for stage, value in report.seconds.items())
    print(f"diemtin: {report.articles} articles in {report.stories} stories, written to {args.out} as "
          f"{report.parts} {args.format} parts ({report.partitions_reused} of {report.partitions} partitions and "
          f"{report.parts_reused} parts reused from an earlier run); {seconds}", file=sys.stderr)
    return 0


SOURCES_HELP = """\
The outlets diemtin follows and their RSS/Atom feeds: the bundled list of major national
Vietnamese outlets, or your own TOML file. --check fetches each feed once (one request at a
time per outlet) and reports whether it answered, its entries and its newest entry's time;
the exit status is 1 when a feed did not answer.

A sources file:
  [[outlet]]
  name = "VnExpress"
  home = "https://vnexpress.net"
  every = "10m"                       # optional, 1m or more (default 10m)
  text_selector = "article.fck_detail"  # optional
  feeds = [
    { url = "https://vnexpress.net/rss/thoi-su.rss", section = "Thời sự" },
    { url = "https://vnexpress.net/rss/tin-moi-nhat.rss" },
  ]

examples:
  diemtin sources
  diemtin sources --check
  diemtin sources --sources my-sources.toml --check --json
"""


def cmd_sources(args: argparse.Namespace) -> int:
    from diemtin.ingest.fetch import Fetcher  # noqa: PLC0415
    from diemtin.ingest.outlets import BUNDLED, check_feeds, load_outlets  # noqa: PLC0415
    from diemtin.times import vietnam_time  # noqa: PLC0415

    path = Path(args.sources) if args.sources else BUNDLED
    outlets = load_outlets(path)
    if not args.check:
        if args.json:
            print(json.dumps([{"name": o.name, "home": o.home, "every_seconds": o.every_seconds,
                               "text_selector": o.text_selector,
                               "feeds": [{"url": f.url, "section": f.section} for f in o.feeds]} for o in outlets],
                             ensure_ascii=False, indent=2))
            return 0
        print(f"{len(outlets)} outlets, {sum(len(o.feeds) for o in outlets)} feeds ({path})")
        for outlet in outlets:
            sections = ", ".join(f.section or "(mới nhất)" for f in outlet.feeds)
            print(f"{outlet.name}  {outlet.home}  every {outlet.every_seconds // 60} min, {len(outlet.feeds)} feeds: "
                  f"{sections}")
        return 0

    def line(check) -> str:
        what = f"{check.outlet} / {check.feed.section or '(mới nhất)'}"
        if not check.ok:
            return f"FAIL  {what}  {check.feed.url}: {check.problem}"
        newest = f", newest {vietnam_time(check.newest)} (Vietnam time)" if check.newest else ", entries undated"
        return f"ok    {what}  {check.feed.url}: {check.entries} entries{newest}"

    with Fetcher(allow_private=_allow_private(args)) as fetcher:
        checks = check_feeds(outlets, fetcher, None if args.json else lambda c: print(line(c), flush=True))
    failed = [c for c in checks if not c.ok]
    if args.json:
        print(json.dumps([{"outlet": c.outlet, "url": c.feed.url, "section": c.feed.section, "ok": c.ok,
                           "problem": c.problem, "title": c.title, "entries": c.entries,
                           "newest": c.newest.isoformat() if c.newest else None} for c in checks],
                         ensure_ascii=False, indent=2))
    else:
        print(f"{len(checks) - len(failed)} of {len(checks)} feeds answered")
    return 1 if failed else 0


WATCH_HELP = """\
Follow outlets: poll their feeds (the bundled list, or --sources) and put every new article in
the store, where it joins or starts a story and gets its summary and facts, as with diemtin
ingest. A feed is asked with the validators of its last answer, so an unchanged feed costs a
304; entries already stored are skipped before their page is fetched. Runs until Ctrl-C or
SIGTERM (the poll under way finishes its writes first), or for --polls polls. One JSON line per
feed asked and per poll goes to standard error.

examples:
  diemtin watch
  diemtin watch --sources my-sources.toml --every 5m --db postgresql://diemtin@db/diemtin
  diemtin watch --polls 1 --no-facts        # one round, as from cron
"""


def cmd_watch(args: argparse.Namespace) -> int:
    import signal  # noqa: PLC0415

    from diemtin.store import Store  # noqa: PLC0415

    if args.polls is not None and args.polls < 1:
        raise DiemtinError(f"--polls must be at least 1 (got {args.polls})")
    make = _watcher_factory(args)
    store = Store.open(args.db)
    watcher = make(store)

    def stop(signum, _frame):
        print(f"diemtin: {signal.Signals(signum).name}: stopping after this poll's writes", file=sys.stderr)
        watcher.stop.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        reports = watcher.run(args.polls)
    finally:
        watcher.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    counts = store.counts()
    print(f"diemtin: {len(reports)} polls: {sum(r.stored for r in reports)} articles stored; the store holds "
          f"{counts['articles']} articles in {counts['stories']} stories.", file=sys.stderr)
    return 0


def _watch_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--sources", metavar="FILE", help="a sources TOML file (default: the bundled list)")
    parser.add_argument("--every", help="poll every feed this often (90s, 5m, 1h; default: each outlet's own)")
    parser.add_argument("--no-follow", action="store_true", help="store the feeds' own text; do not fetch the pages")
    parser.add_argument("--no-facts", action="store_true", help="leave the facts for a later ingest or diemtin serve")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    _private_flag(parser)


def _private_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-private-urls", nargs="?", const="all", metavar="NETWORKS",
        help="let URLs reach private, loopback and link-local addresses (refused by default): all of them, "
             "or only these networks (10.0.0.0/8,192.168.1.20); default: DIEMTIN_ALLOW_PRIVATE_URLS")


def build_parser() -> argparse.ArgumentParser:
    from diemtin.render import FORMATS  # noqa: PLC0415
    from diemtin.summarizer.summarizers import SUMMARIZERS  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="diemtin", description="diemtin: faithful summaries of Vietnamese news.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fmt = argparse.RawDescriptionHelpFormatter

    s = sub.add_parser("summarize", help="summarise articles about one event", description=SUMMARIZE_HELP, formatter_class=fmt)
    s.add_argument("inputs", nargs="+", metavar="PATH", help="text files, folders, article JSONL or cluster JSONL (.gz too)")
    s.add_argument("--length", type=int, default=DEFAULT_LENGTH,
                   help=f"budget in syllables (default: {DEFAULT_LENGTH}, a typical news summary)")
    s.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    s.add_argument("--out", help="write here instead of standard output (json: one summary per line)")
    s.add_argument("--method", choices=list(SUMMARIZERS), default="diemtin", help="summariser (default: diemtin)")
    s.add_argument("--jobs", type=int, default=None, help="worker processes (default: one per core)")
    s.add_argument("--quiet", action="store_true", help="no progress bar")
    s.add_argument("--published", metavar="DATE",
                   help="publication time for articles that carry none (dates like 'hôm 3/10' get their year from it)")
    s.add_argument("--no-facts", action="store_true",
                   help="leave out the story's facts (people, quotes, dates, what each outlet adds)")
    _private_flag(s)
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

    threshold_help = "average cosine needed to merge (default: the setting tuned in docs/BENCHMARKS.md)"
    c = sub.add_parser("cluster", help="group articles into stories", description=CLUSTER_HELP, formatter_class=fmt)
    c.add_argument("inputs", nargs="+", metavar="PATH", help="text files, folders, article or cluster JSONL (.gz too)")
    c.add_argument("--out", help="write stories here as JSONL (default: standard output)")
    c.add_argument("--state", help="story state file to continue from and save to")
    c.add_argument("--summarize", action="store_true", help="add each story's summary")
    c.add_argument("--threshold", type=float, default=None, help=threshold_help)
    c.add_argument("--jobs", type=int, default=None, help="worker processes for summaries")
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    _private_flag(c)
    c.set_defaults(func=cmd_cluster)

    v = sub.add_parser("eval-clusters", help="score story clustering (B-cubed, ARI)", description=EVAL_CLUSTERS_HELP,
                       formatter_class=fmt)
    v.add_argument("file", help="cluster JSONL: the gold story of an article is its cluster id")
    v.add_argument("--distractors", nargs="+", metavar="PATH", help="unlabelled articles to mix in (not scored)")
    v.add_argument("--batches", type=int, default=1, help="feed the articles in this many incremental runs")
    v.add_argument("--threshold", type=float, default=None, help=threshold_help)
    v.add_argument("--seed", type=int, default=0, help="shuffle seed")
    v.add_argument("--json", action="store_true", help="print the report as JSON")
    v.add_argument("--quiet", action="store_true", help="no progress bar")
    v.set_defaults(func=cmd_eval_clusters)

    b = sub.add_parser("batch", help="the whole pipeline on an archive, here or on a Dask cluster",
                       description=BATCH_HELP, formatter_class=fmt)
    b.add_argument("inputs", nargs="+", metavar="PATH", help="article JSONL (.gz too), text files, folders")
    b.add_argument("--out", required=True, metavar="DIR", help="folder for the story parts (made if missing)")
    b.add_argument("--engine", choices=("local", "dask"), default="local", help="where to run (default: local)")
    b.add_argument("--scheduler", metavar="URL", help="address of a running Dask scheduler (tcp://host:8786)")
    b.add_argument("--workers", type=int, help="without --scheduler: start a local Dask cluster of N workers")
    b.add_argument("--jobs", type=int, default=None, help="local engine: worker processes (default: one per core)")
    b.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl", help="story parts (default: jsonl)")
    b.add_argument("--length", type=int, default=DEFAULT_LENGTH,
                   help=f"summary budget in syllables (default: {DEFAULT_LENGTH})")
    b.add_argument("--no-summaries", action="store_true", help="stories without summaries (faster)")
    b.add_argument("--no-facts", action="store_true", help="summaries only, without each story's facts")
    b.add_argument("--partition", type=int, default=1000, help="JSONL lines or files per partition (default: 1000)")
    b.add_argument("--window", type=int, default=BATCH_WINDOW,
                   help=f"articles clustered at a time; the driver's memory follows it, not the archive "
                        f"(default: {BATCH_WINDOW})")
    b.add_argument("--threshold", type=float, default=None, help=threshold_help)
    b.add_argument("--quiet", action="store_true", help="no progress bars")
    b.set_defaults(func=cmd_batch)

    db_help = "database: a SQLite file or postgresql://... (default: DIEMTIN_DATABASE_URL, else diemtin.db)"
    i = sub.add_parser("ingest", help="add articles to the store; stories and summaries follow",
                       description=INGEST_HELP, formatter_class=fmt)
    i.add_argument("inputs", nargs="+", metavar="PATH|URL", help="files, folders, JSONL (.gz), HTML, feeds, URLs")
    i.add_argument("--db", help=db_help)
    i.add_argument("--follow", action="store_true", help="for feeds: fetch each entry's page for the full text")
    i.add_argument("--no-summaries", action="store_true",
                   help="store and cluster only (each story still gets its first article's opening as a summary)")
    i.add_argument("--no-facts", action="store_true",
                   help="do not extract the stories' facts now (the next ingest, or diemtin serve, does)")
    i.add_argument("--chunk", type=int, default=CHUNK, help=f"articles per transaction (default: {CHUNK})")
    i.add_argument("--jobs", type=int, default=None, help="worker processes for summaries (default: one per core)")
    i.add_argument("--quiet", action="store_true", help="no progress bar")
    _private_flag(i)
    i.set_defaults(func=cmd_ingest)

    d = sub.add_parser("digest", help="ranked stories with cited summaries", description=DIGEST_HELP,
                       formatter_class=fmt)
    d.add_argument("--since", default="24h", help="24h, 7d, 90m, an ISO date, or all (default: 24h)")
    d.add_argument("--at", help="make the digest as of this time (default: now)")
    d.add_argument("--limit", type=int, default=20, help="stories to show (default: 20)")
    d.add_argument("--order", choices=DIGEST_ORDERS, default="rank",
                   help="rank (outlets, articles and freshness; the default), newest news first, or most outlets first")
    d.add_argument("--format", choices=("markdown", "html", "email", "json"), default="markdown",
                   help="email: one HTML file with inline styles and no script, for a mail client")
    d.add_argument("--base-url", help="with --format email: the web page's address, so headlines link to it")
    d.add_argument("--out", help="write here instead of standard output")
    d.add_argument("--db", help=db_help)
    d.add_argument("--no-facts", action="store_true", help="leave the stories' facts out")
    d.set_defaults(func=cmd_digest)

    o = sub.add_parser("sources", help="the outlets and feeds to follow; --check fetches each feed once",
                       description=SOURCES_HELP, formatter_class=fmt)
    o.add_argument("--sources", metavar="FILE", help="a sources TOML file (default: the bundled list)")
    o.add_argument("--check", action="store_true", help="fetch each feed once and report what it holds")
    o.add_argument("--json", action="store_true", help="JSON instead of lines")
    _private_flag(o)
    o.set_defaults(func=cmd_sources)

    w = sub.add_parser("watch", help="poll the outlets' feeds into the store, for ever", description=WATCH_HELP,
                       formatter_class=fmt)
    w.add_argument("--db", help=db_help)
    w.add_argument("--polls", type=int, default=None, help="stop after this many polls (default: never)")
    _watch_flags(w)
    w.set_defaults(func=cmd_watch)

    r = sub.add_parser("serve", help="the HTTP API and the web page on 127.0.0.1",
                       description="Serve the digest page (/), story and article pages, search, and the JSON "
                                   "API (/api, OpenAPI at /docs). Set DIEMTIN_API_TOKEN to allow POST "
                                   "/api/articles.\n\nexample:\n  diemtin serve --port 8000",
                       formatter_class=fmt)
    r.add_argument("--db", help=db_help)
    r.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    r.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    r.add_argument("--watch", action="store_true", help="follow the outlets in this process too (as diemtin watch)")
    _watch_flags(r)
    r.set_defaults(func=cmd_serve)
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

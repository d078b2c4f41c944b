"""The `steppewatch` command: run, serve, status, releases, rollback, docs, report, bench."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from flows.paths import DEFAULT_HOME, PUBLISHED_NAME, SAMPLE_CORPUS

EXIT_GATE_FAILED = 2
EXIT_LOCKED = 3
EXIT_INTERRUPTED = 4  # stopped cleanly by SIGTERM or SIGINT: lock released, run marked interrupted
EXIT_ERROR = 1


def _prefect_env() -> None:
    # The ephemeral Prefect server needs more than its default 20 s on a busy 2-core machine.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    # No network but the package registries here: the server's telemetry would only log failures.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Nothing listens beyond this machine unless the user says so (set these to another address).
    os.environ.setdefault("PREFECT_SERVER_API_HOST", "127.0.0.1")
    os.environ.setdefault("PREFECT_RUNNER_SERVER_HOST", "127.0.0.1")


def _print_run_summary(summary) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=f"Steppewatch run {summary.run_id}: {summary.status}")
    table.add_column("what")
    table.add_column("value", justify="right")
    for label, value in (
        ("documents landed (new)", summary.documents_landed),
        ("documents unchanged", summary.documents_unchanged),
        ("documents quarantined", summary.documents_quarantined),
        ("articles (current)", summary.articles),
        ("new articles", summary.articles_new),
        ("article bodies extracted", summary.articles_extracted),
    ):
        table.add_row(label, str(value))
    for name, rows in summary.table_rows.items():
        table.add_row(name, str(rows))
    for stage, seconds in summary.stage_s.items():
        table.add_row(f"time: {stage}", f"{seconds:.1f} s")
    console.print(table)
    console.print(f"gates: {summary.gate_summary}")
    if summary.data_docs:
        console.print(f"data docs: {summary.data_docs}")
    console.print(f"published: {summary.published}")


def cmd_run(args: argparse.Namespace) -> int:
    _prefect_env()
    from flows.diskfull import DiskFull
    from flows.interrupt import RunInterrupted
    from flows.lock import RunLocked
    from flows.pipeline import GateFailed, run_here
    from flows.releases import RETENTION_ENV
    from flows.state import StateDatabaseDamaged

    if args.keep_releases:
        os.environ[RETENTION_ENV] = str(args.keep_releases)

    try:
        summary = run_here(
            inbox=str(args.inbox),
            home=str(args.home),
            allow_shrink=args.allow_shrink,
            n_process=_n_process(args.n_process),
            runner=args.runner,
            full_refresh=args.full_refresh,
        )
    except GateFailed as failure:
        print(f"GATE FAILED, nothing published: {failure}", file=sys.stderr)
        return EXIT_GATE_FAILED
    except RunLocked as locked:
        print(f"not started: {locked}", file=sys.stderr)
        return EXIT_LOCKED
    except RunInterrupted as stop:
        print(
            f"INTERRUPTED, nothing published: {stop}. The published file is unchanged, the lock is "
            "released and the next run continues from what this one committed.",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except DiskFull as full:
        print(f"DISK FULL during {full.stage}: {full}", file=sys.stderr)
        return EXIT_ERROR
    except StateDatabaseDamaged as damaged:
        print(f"STATE DATABASE DAMAGED, nothing done: {damaged}", file=sys.stderr)
        return EXIT_ERROR
    _print_run_summary(summary)
    return 0


def _n_process(value: int) -> int:
    from flows.extract.runner import auto_processes

    return value if value > 0 else auto_processes()


def cmd_bench(args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    _prefect_env()
    from flows.bench import run_bench

    result = run_bench(
        args.articles,
        json_path=args.json,
        n_process=args.n_process or None,
        work_dir=args.work_dir,
        russian_share=args.russian_share,
        reference=not args.no_reference,
        fixed_incremental=args.fixed_incremental,
    )
    print(json.dumps(asdict(result), indent=2))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _prefect_env()
    from flows.pipeline import steppewatch_run

    steppewatch_run.serve(
        name="steppewatch-scheduled",
        cron=args.cron,
        parameters={"inbox": str(args.inbox), "home": str(args.home)},
    )
    return 0


def cmd_rebuild_state(args: argparse.Namespace) -> int:
    from flows.lock import RunLocked
    from flows.rebuild import rebuild_state

    try:
        done = rebuild_state(Path(args.inbox), Path(args.home))
    except RunLocked as locked:
        print(f"not started: {locked}", file=sys.stderr)
        return EXIT_LOCKED
    if done.moved_aside:
        print(f"previous state database moved aside: {done.moved_aside}")
    print(
        f"new state database: {done.documents_landed} documents, {done.articles} articles landed from "
        f"{args.inbox}, {done.quarantined} quarantined; {done.runs_carried_over} earlier runs carried over"
    )
    print(f"next: steppewatch run --inbox {args.inbox} --home {args.home} (extracts, builds and publishes)")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from flows.status import print_status

    return print_status(Path(args.home))


def cmd_releases(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from flows.releases import list_releases

    releases = list_releases(Path(args.home))
    if not releases:
        print(f"No releases under {Path(args.home) / 'releases'} yet: run `steppewatch run`.")
        return 0
    table = Table(title=f"Releases under {Path(args.home)} (newest first; * = published now)")
    for column in ("", "run_id", "published", "articles", "actors", "detentions", "cases", "gates"):
        table.add_column(column, overflow="fold")
    for r in releases:
        table.add_row(
            "*" if r.is_current else "",
            r.run_id,
            f"{r.published_at:%Y-%m-%d %H:%M:%S}" if r.published_at else "",
            *(
                str(r.row_counts.get(t, ""))
                for t in ("dim_article", "dim_actor", "fct_detention", "fct_detention_case")
            ),
            r.gate_summary or "",
        )
    Console(width=None if sys.stdout.isatty() else 200).print(table)
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    from flows.lock import RunLocked
    from flows.publish import PublishError
    from flows.releases import ReleaseError, rollback

    try:
        release = rollback(Path(args.home), args.run_id)
    except (ReleaseError, PublishError) as error:
        print(f"not rolled back: {error}", file=sys.stderr)
        return EXIT_ERROR
    except RunLocked as locked:
        print(f"not rolled back: {locked}", file=sys.stderr)
        return EXIT_LOCKED
    print(f"published release {release.run_id} again (of {release.published_at:%Y-%m-%d %H:%M:%S})")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from flows.evaluate import run

    return run(args.warehouse, args.gold, verbose=args.verbose, json_out=args.json)


def cmd_docs(args: argparse.Namespace) -> int:
    from flows.docs import DocsError, build_docs

    try:
        outcome = build_docs(Path(args.home))
    except DocsError as error:
        print(f"docs not built: {error}", file=sys.stderr)
        return EXIT_ERROR
    for note in outcome.notes:
        print(f"note: {note}")
    print(f"dbt docs: {outcome.dbt_index}")
    print(f"  serve it: python3 -m http.server -b 127.0.0.1 -d {outcome.dbt_index.parent} 8080")
    print(f"dbt docs, one self-contained page: {outcome.dbt_static}")
    if outcome.data_docs:
        print(f"Great Expectations Data Docs (gate results): {outcome.data_docs}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from flows.report import ReportError, build_site

    try:
        outcome = build_site(Path(args.home), Path(args.out) if args.out else None)
    except ReportError as error:
        print(f"site not built: {error}", file=sys.stderr)
        return EXIT_ERROR
    print(
        f"site: {outcome.pages} pages, {outcome.size_bytes / 1e6:.1f} MB, built in {outcome.seconds:.1f} s",
        file=sys.stderr,
    )
    # stdout carries only the path, so `xdg-open "$(steppewatch report)"` works.
    print(outcome.index)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="steppewatch", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser(
        "run", help="one pipeline run (a Prefect flow): land, extract, build, audit, publish"
    )
    run.add_argument(
        "--inbox", type=Path, default=SAMPLE_CORPUS, help="folder of raw files (default: samples)"
    )
    run.add_argument("--home", type=Path, default=DEFAULT_HOME, help=f"where {PUBLISHED_NAME} lives")
    run.add_argument(
        "--allow-shrink", action="store_true", help="publish even if a table loses over half its rows"
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="build every article from nothing, not from the last audited build (same rows and ids)",
    )
    run.add_argument(
        "--n-process",
        type=int,
        default=0,
        help="local extraction processes (default 0: one per core, at most 4; 1: in the flow process)",
    )
    run.add_argument(
        "--runner",
        default=None,
        metavar="URL",
        help="extract on a cluster: dask://HOST:PORT (prefect-dask) or ray://HOST:PORT (needs prefect-ray)",
    )
    run.add_argument(
        "--keep-releases",
        type=int,
        default=0,
        metavar="N",
        help="releases to keep under <home>/releases (default 10, or STEPPEWATCH_RELEASE_RETENTION)",
    )
    run.set_defaults(handler=cmd_run)

    bench = sub.add_parser(
        "bench", help="benchmark the full pipeline against bare spaCy on a synthetic corpus"
    )
    bench.add_argument("--articles", type=int, default=1000, help="synthetic articles (default 1000)")
    bench.add_argument("--json", type=Path, default=None, help="also write the figures to this JSON file")
    bench.add_argument(
        "--n-process", type=int, default=0, help="spaCy processes (default: 2 for 200+ articles)"
    )
    bench.add_argument(
        "--work-dir", type=Path, default=None, help="keep the inbox and home here (default: temp)"
    )
    bench.add_argument(
        "--russian-share",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of Russian articles, 0..1 (made from corpus/ru/; the reference adds bare natasha)",
    )
    bench.add_argument(
        "--no-reference", action="store_true", help="skip the bare-spaCy reference (incremental figures only)"
    )
    bench.add_argument(
        "--fixed-incremental",
        type=int,
        default=20,
        metavar="K",
        help="new articles in the last incremental run, the same at every N (default 20)",
    )
    bench.set_defaults(handler=cmd_bench)

    serve = sub.add_parser("serve", help="run the flow on a schedule as a Prefect deployment")
    serve.add_argument("--cron", default="0 2 * * *", help="cron schedule (default: nightly at 02:00)")
    serve.add_argument("--inbox", type=Path, default=SAMPLE_CORPUS)
    serve.add_argument("--home", type=Path, default=DEFAULT_HOME)
    serve.set_defaults(handler=cmd_serve)

    rebuild = sub.add_parser(
        "rebuild-state",
        help="move a corrupt state database aside and land everything again from the inbox",
    )
    rebuild.add_argument(
        "--inbox", type=Path, default=SAMPLE_CORPUS, help="the inbox the home was built from"
    )
    rebuild.add_argument("--home", type=Path, default=DEFAULT_HOME)
    rebuild.set_defaults(handler=cmd_rebuild_state)

    status = sub.add_parser("status", help="last runs, published tables, gates and quarantine")
    status.add_argument("--home", type=Path, default=DEFAULT_HOME)
    status.set_defaults(handler=cmd_status)

    releases = sub.add_parser("releases", help="the kept releases: run id, time, row counts, gates")
    releases.add_argument("--home", type=Path, default=DEFAULT_HOME)
    releases.set_defaults(handler=cmd_releases)

    rollback = sub.add_parser("rollback", help="publish a kept release again, after re-checking it")
    rollback.add_argument("run_id", help="the release's run id (see `steppewatch releases`)")
    rollback.add_argument("--home", type=Path, default=DEFAULT_HOME)
    rollback.set_defaults(handler=cmd_rollback)

    evaluate = sub.add_parser(
        "evaluate", help="score a published warehouse against a gold file (P/R/F1 per area)"
    )
    evaluate.add_argument("--warehouse", type=Path, required=True, help=f"a published {PUBLISHED_NAME}")
    evaluate.add_argument("--gold", type=Path, required=True, help="gold YAML, e.g. evaluation/gold.yaml")
    evaluate.add_argument("--verbose", action="store_true", help="list every miss and extra")
    evaluate.add_argument("--json", default=None, help="also write the figures to this JSON file")
    evaluate.set_defaults(handler=cmd_evaluate)

    docs = sub.add_parser(
        "docs", help="build the dbt docs and Great Expectations Data Docs; print where they are"
    )
    docs.add_argument("--home", type=Path, default=DEFAULT_HOME)
    docs.set_defaults(handler=cmd_docs)

    report = sub.add_parser(
        "report", help="build the analysts' static site from the published warehouse; print its index.html"
    )
    report.add_argument("--home", type=Path, default=DEFAULT_HOME, help=f"where {PUBLISHED_NAME} lives")
    report.add_argument("--out", type=Path, default=None, help="the site's folder (default: <home>/site)")
    report.set_defaults(handler=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())

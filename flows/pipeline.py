"""The Steppewatch run as a Prefect flow: land -> gate -> extract -> gate -> transform -> gate -> publish.

The flow is thin: each task (flows/tasks.py) opens what it needs, does one stage and closes
it, so the state database is never held open across dbt (which attaches it read-only).
"""

from __future__ import annotations

import errno
import gc
import signal
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger

from flows.audit import DataDocsRenderer, GxContext
from flows.diskfull import DiskFull, is_disk_full
from flows.extract.runner import early_workers
from flows.interrupt import (
    RunInterrupted,
    raise_if_interrupted,
    signals_deferred,
    stop_on_signals,
    stop_signal_received,
)
from flows.paths import DEFAULT_HOME, PUBLISHED_NAME, SAMPLE_CORPUS
from flows.publish import Candidate, CandidatePreparer
from flows.state import connect_state, state_path
from flows.tasks import extract_task, gate_task, land_task, publish_task, transform_task
from flows.transform import (
    build_path,
    data_tests_path,
    has_base,
    incremental_base,
    keep_as_base,
)

# The cyclic garbage collector's thresholds in a run's process. That process holds every library
# a run imports (Great Expectations, dbt, Prefect, pandas, spaCy and its model): about 700,000
# objects after a first run of 2,000 articles. With CPython's defaults (700, 10, 10) it scanned
# the young objects every 700 net allocations and, whenever a quarter more had survived, the
# whole heap: one full collection took 0.67 s of a 14 s incremental run, ten took 4.5 s of a
# first run. Reference counting frees nearly all of a run's garbage; the collector is only for
# cycles, and finds them as well a little later.
GC_THRESHOLDS = (50_000, 20, 20)


class GateFailed(RuntimeError):
    """A data-quality gate failed: nothing was published."""


@dataclass
class RunSummary:
    run_id: str
    status: str = "running"
    documents_landed: int = 0
    documents_unchanged: int = 0
    documents_quarantined: int = 0
    articles: int = 0
    articles_new: int = 0
    articles_extracted: int = 0
    gate_summary: str = ""
    message: str = ""
    published: str | None = None
    table_rows: dict[str, int] = field(default_factory=dict)
    stage_s: dict[str, float] = field(default_factory=dict)
    data_docs: str | None = None


def _timed(summary: RunSummary, stage: str, started: float) -> None:
    summary.stage_s[stage] = round(time.perf_counter() - started, 2)


def _prune_validation_results(home: Path) -> None:
    """Keep GX's stored results (and Data Docs pages) of the kept releases' runs and later ones:
    the Data Docs index is rebuilt over every stored result, so it would grow with every run."""
    from flows.audit import prune_validation_results
    from flows.releases import oldest_kept_run_start

    oldest = oldest_kept_run_start(home)
    if oldest is not None:
        prune_validation_results(home, before=oldest)


def _prepared_candidate(preparer: CandidatePreparer) -> Candidate | None:
    """The candidate written beside the marts gate; None (publish writes it again, as its retry
    would) when that failed other than for a full disk."""
    try:
        return preparer.take()
    except Exception as error:
        if is_disk_full(error):
            raise
        get_run_logger().warning("writing the publish candidate failed (%s); writing it again", error)
        return None


def _record_run(
    home: Path, summary: RunSummary, started_at: datetime, finished: bool, write: bool = True
) -> dict:
    """The run's ops.run_log row, written to the state database unless `write` is False."""
    row = {
        "run_id": summary.run_id,
        "started_at": started_at,
        "finished_at": datetime.now() if finished else None,
        "status": summary.status,
        "documents_landed": summary.documents_landed,
        "documents_quarantined": summary.documents_quarantined,
        "articles": summary.articles,
        "articles_extracted": summary.articles_extracted,
        "gate_summary": summary.gate_summary,
        "message": summary.message,
    }
    if not write:
        return row
    con = connect_state(home)
    try:
        con.execute("DELETE FROM ops.run_log WHERE run_id = ?", [summary.run_id])
        con.execute(
            f"INSERT INTO ops.run_log ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )
    finally:
        con.close()
    return row


def _recover_from_killed_runs(home: Path, published: Path) -> None:
    """Under the lock: drop a killed run's build and candidate files and close its run_log row."""
    from flows.publish import remove_leftovers

    removed = remove_leftovers(home, published)
    con = connect_state(home)
    try:
        con.execute(
            """UPDATE ops.run_log SET status = 'failed',
                   message = 'interrupted: the process ended before the run finished'
               WHERE status = 'running'"""
        )
    finally:
        con.close()
    if removed:
        get_run_logger().warning("removed files left by an interrupted run: %s", [p.name for p in removed])


def _record_failure(home: Path, summary: RunSummary, started_at: datetime) -> None:
    """Record a run that stopped; best effort, as the cause (a full disk) may refuse this write too."""
    try:
        _record_run(home, summary, started_at, finished=True)
    except Exception as error:  # the run's own error is the one to report
        get_run_logger().error("could not record the run's end in the run log: %s", error)


def _mark_interrupted(
    home: Path, summary: RunSummary, started_at: datetime, stop: RunInterrupted, stage: str
) -> None:
    stop.stage = stage
    summary.status = "interrupted"
    summary.message = f"{stop}: nothing published, the published file is unchanged"
    get_run_logger().warning(summary.message)
    _record_failure(home, summary, started_at)


def _remove_temporary_files(home: Path, published: Path) -> None:
    from flows.publish import remove_leftovers

    try:
        removed = remove_leftovers(home, published)
    except OSError as error:
        get_run_logger().error("could not remove this run's temporary files: %s", error)
        return
    if removed:
        get_run_logger().info("removed this run's temporary files: %s", [p.name for p in removed])


def _build_inputs(home: Path, extractor_version: str) -> dict[str, str]:
    from flows.freshness import build_inputs

    con = connect_state(home)
    try:
        return build_inputs(con, extractor_version)
    finally:
        con.close()


def _skip_unchanged(
    home: Path, published: Path, inputs: dict, summary: RunSummary, started_at: datetime
) -> bool:
    """Nothing changed since the last publish: record the run as current and skip build, gates, publish."""
    from flows.freshness import published_table_rows, unchanged_since_publish

    previous, why = unchanged_since_publish(home, published, inputs)
    if previous is None:
        summary.message = f"build needed: {why}"
        get_run_logger().info(summary.message)
        return False
    t = time.perf_counter()
    summary.status = "unchanged"  # the published file is current; this run wrote nothing new to it
    summary.message = f"unchanged since run {previous}: build, gates and publish skipped"
    summary.gate_summary = f"not rerun: run {previous} audited and published these exact inputs"
    summary.published = str(published)
    summary.table_rows = published_table_rows(published)
    _record_run(home, summary, started_at, finished=True)
    _timed(summary, "skip_unchanged", t)
    get_run_logger().info("nothing changed since run %s: the published warehouse is current", previous)
    return True


def _remember_publish(home: Path, published: Path, inputs: dict, run_id: str) -> None:
    from flows.freshness import record_publish
    from flows.publish import parquet_files

    record_publish(home, published, inputs, run_id, parquet_files(published))


def _settle_landing_gate(
    future, home: Path, summary: RunSummary, data_docs, started: float, started_at: datetime
):
    """The landing gate's result, recorded; a failed gate fails the run here."""
    gate = future.result()
    data_docs.add(gate)
    summary.gate_summary = gate.summary()
    _timed(summary, "gate_landing", started)
    raise_if_interrupted()
    if not gate.success:
        _fail_gate(home, summary, started_at, gate.summary())
    return gate


def _fail_gate(home: Path, summary: RunSummary, started_at: datetime, gate_text: str) -> None:
    summary.status = "failed_gate"
    summary.message = gate_text
    _record_run(home, summary, started_at, finished=True)
    raise GateFailed(gate_text)


@flow(name="steppewatch-run", log_prints=True)
def steppewatch_run(
    inbox: str | None = None,
    home: str | None = None,
    allow_shrink: bool = False,
    n_process: int = 1,
    runner: str | None = None,
    full_refresh: bool = False,
) -> RunSummary:
    """One run: land the inbox, extract, build, audit and publish `<home>/steppewatch.duckdb`.

    `n_process` local extraction processes, or `runner` = 'dask://HOST:PORT' / 'ray://HOST:PORT'
    to extract on a cluster. When nothing the build reads has changed since the last publish,
    the run stops after extraction: the published warehouse is already what a build would give.
    Otherwise the build starts from the last audited build and rebuilds only the articles that
    changed, unless `full_refresh` (or a change of code or extractor) asks for a build from nothing.
    """
    from flows.extract import EXTRACTOR_VERSION
    from flows.lock import run_lock
    from flows.publish import pause_point

    gc.set_threshold(*GC_THRESHOLDS)
    inbox_path = Path(inbox) if inbox else SAMPLE_CORPUS
    home_path = Path(home) if home else DEFAULT_HOME
    if not inbox_path.is_dir():
        raise FileNotFoundError(f"inbox {inbox_path} is not a directory")
    run_id = datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    summary = RunSummary(run_id=run_id)
    started_at = datetime.now()
    published = home_path / PUBLISHED_NAME
    state_db = state_path(home_path)
    build_db = build_path(home_path)
    gx = GxContext(home_path)  # one GX context for both gates and the Data Docs
    data_docs = DataDocsRenderer(home_path, gx)

    stage = "start"
    preparer: CandidatePreparer | None = None
    # The extraction workers load the model while the run lands its inbox (flows.extract.runner):
    # in the small runs that follow a publish. A first run starts them once it knows its bodies:
    # it lands a whole inbox, on landing workers that would hold memory beside them, for minutes.
    early_start = early_workers(runner, n_process, wanted=has_base(home_path))
    with run_lock(home_path, run_id), stop_on_signals(), early_start as early:
        _recover_from_killed_runs(home_path, published)
        _record_run(home_path, summary, started_at, finished=False)
        try:
            stage = "land"
            t = time.perf_counter()
            landed = land_task(inbox_path, home_path, run_id)
            for key, value in landed.items():
                setattr(summary, key, value)
            _timed(summary, "land", t)

            stage = "extract"
            t = time.perf_counter()
            summary.articles_extracted = extract_task(
                home_path, EXTRACTOR_VERSION, n_process, run_id, runner, early
            )
            _timed(summary, "extract", t)
            build_inputs = _build_inputs(home_path, EXTRACTOR_VERSION)
            if not full_refresh and _skip_unchanged(home_path, published, build_inputs, summary, started_at):
                return summary

            base, build_kind = incremental_base(home_path, build_inputs, full_refresh)
            summary.message = build_kind if base is not None else f"full build: {build_kind}"
            get_run_logger().info(summary.message)

            # An incremental run's landing gate audits what was landed or extracted after its
            # base's landing gate read the state (under the run lock, this run is the only writer).
            # From the base run's start instead, the first incremental run after a full build
            # audited every article again, beside dbt.
            since = base.gated_until if base is not None else datetime(1970, 1, 1)
            params = {"extractor_version": EXTRACTOR_VERSION, "since": since}
            gated_until = datetime.now()  # this run has landed and extracted all it will
            t_landing = time.perf_counter()
            # An incremental build's gates read few rows: each queries its next suite ahead.
            incremental = base is not None
            landing_future = gate_task.submit(
                "landing", state_db, home_path, params, None, allow_shrink, query_ahead=incremental, gx=gx
            )
            landing_gate = None
            if base is None:
                # A full build's gate reads every article: it ends before the build starts (beside
                # dbt, the two Python-heavy threads slowed each other down), and a failure stops
                # the run before any build.
                stage = "landing gate"
                landing_gate = _settle_landing_gate(
                    landing_future, home_path, summary, data_docs, t_landing, started_at
                )
            # Otherwise the gate audits the few new rows while dbt builds from the state: both only
            # read it. A failed gate discards the build: nothing it did not pass is published.

            stage = "transform (dbt build)"
            t = time.perf_counter()
            build_db.parent.mkdir(parents=True, exist_ok=True)
            try:
                dbt_outcome = transform_task(state_db, build_db, home_path / "dbt", EXTRACTOR_VERSION, base)
                _timed(summary, "transform", t)
            finally:
                # Whatever happened, the gate ends first: while it holds the state database open,
                # nothing in this process may open it for writing (not even to record a failure).
                landing_future.wait()
            raise_if_interrupted()  # dbt reports a stop signal as a failed build
            if not dbt_outcome.success and dbt_outcome.disk_full:
                raise OSError(errno.ENOSPC, f"No space left on device for the build: {dbt_outcome.summary()}")
            if landing_gate is None:
                stage = "landing gate"
                landing_gate = _settle_landing_gate(
                    landing_future, home_path, summary, data_docs, t_landing, started_at
                )
            if not dbt_outcome.success:
                _fail_gate(
                    home_path, summary, started_at, f"{landing_gate.summary()} | {dbt_outcome.summary()}"
                )

            stage = "marts gate"
            t = time.perf_counter()
            pause_point("gate_marts", home_path)
            # An incremental build's data tests run here, beside the suites (a full build ran them).
            data_tests = (data_tests_path(build_db), state_db) if base is not None else None
            base_run_id = base.run_id if base is not None else None
            if base is not None:
                # The candidate's marts, changelog and Parquet files need no verdict: they are
                # written while the gate validates (DuckDB work beside GX's Python). A failed gate
                # discards them. Not beside a full build's gate: it holds every mart in pandas
                # frames, and both at once took the first run at N = 10,000 past 2 GB.
                preparer = CandidatePreparer(build_db, published, run_id, base_run_id)
            marts_gate = gate_task(
                "marts",
                build_db,
                home_path,
                {},
                published,
                allow_shrink,
                data_tests,
                query_ahead=incremental,
                gx=gx,
            )
            data_docs.add(marts_gate)
            if marts_gate.success:
                _prune_validation_results(home_path)
                data_docs.start()
            summary.data_docs = str(marts_gate.data_docs)
            summary.gate_summary = " | ".join(
                [landing_gate.summary(), dbt_outcome.summary(), marts_gate.summary()]
            )
            _timed(summary, "gate_marts", t)
            raise_if_interrupted()
            if not marts_gate.success:
                _fail_gate(home_path, summary, started_at, summary.gate_summary)

            stage = "publish"
            t = time.perf_counter()
            # A stop signal now waits for the end of the publish: the run never stops between
            # the swap and the run log that records it.
            with signals_deferred():
                summary.status = "published"
                # The state says "published" only once the swap is done: a run killed while
                # publishing stays "running" there, and the next run marks it interrupted.
                run_row = _record_run(home_path, summary, started_at, finished=True, write=False)
                prepared = _prepared_candidate(preparer) if preparer is not None else None
                summary.table_rows = publish_task(
                    build_db, state_db, published, run_row, base_run_id, prepared
                )
                _record_run(home_path, summary, started_at, finished=True)
                _remember_publish(home_path, published, build_inputs, run_id)
                keep_as_base(build_db, home_path, run_id, gated_until, build_inputs)
            summary.published = str(published)
            _timed(summary, "publish", t)
        except GateFailed:
            raise
        except KeyboardInterrupt as stop:  # ours, or Ctrl-C coming back from a worker process
            interrupted = stop if isinstance(stop, RunInterrupted) else RunInterrupted(signal.SIGINT)
            _mark_interrupted(home_path, summary, started_at, interrupted, stage)
            if interrupted is stop:
                raise
            raise interrupted from stop
        except Exception as error:
            received = stop_signal_received()
            if received is not None:  # the signal broke something first (Ctrl-C reaches child processes too)
                interrupted = RunInterrupted(received)
                _mark_interrupted(home_path, summary, started_at, interrupted, stage)
                raise interrupted from error
            summary.status = "failed"
            if is_disk_full(error):
                summary.message = (
                    f"disk full during {stage}: {error}. Nothing was published: the published file and "
                    "the state database are as before, and this run's temporary files are removed"
                )
                _record_failure(home_path, summary, started_at)
                raise DiskFull(stage, summary.message) from error
            summary.message = f"{type(error).__name__}: {error}"
            _record_failure(home_path, summary, started_at)
            raise
        finally:
            if preparer is not None:
                preparer.wait()  # it writes beside the build: it ends before anything is removed
            build_db.unlink(missing_ok=True)
            if summary.status not in ("published", "unchanged"):
                _remove_temporary_files(home_path, published)
            docs_error = data_docs.finish(render_pending=summary.status != "interrupted")
            if docs_error is not None:
                get_run_logger().error("Data Docs were not rendered: %s", docs_error)
    return summary


def run_here(**parameters) -> RunSummary:
    """One `steppewatch_run` in this process (the CLI's `run`, the bench), without Prefect's
    flow-run heartbeats.

    Prefect 3.8 sends heartbeats from a thread that sleeps in one-second steps and joins that
    thread when the flow run ends: every run waited up to a second for it (about 1 s of a
    14 s incremental run; a no-op run took 1.2 s instead of 0.2 s). The heartbeats only let a
    Prefect automation mark a silent run as crashed; a run started here ends with this process,
    and the next run marks it interrupted in `ops.run_log` (under the run lock). Runs of the
    served deployment keep Prefect's heartbeats: its runner starts each one in a process of its own.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return steppewatch_run(**parameters)

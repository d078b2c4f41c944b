"""The Steppewatch run as a Prefect flow: land -> gate -> extract -> gate -> transform -> gate -> publish.

The flow is thin: each task opens what it needs, does one stage and closes it, so the
state database is never held open across dbt (which attaches it read-only).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prefect import flow, get_run_logger, task

from flows.paths import DEFAULT_HOME, PUBLISHED_NAME, SAMPLE_CORPUS
from flows.state import connect_state, state_path

EXTRACT_CHUNK = 256


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


@task(retries=2, retry_delay_seconds=2)
def land_task(inbox: Path, home: Path, run_id: str) -> dict[str, int]:
    from flows.land import land_inbox

    con = connect_state(home)
    try:
        summary = land_inbox(inbox, con, run_id, datetime.now())
        articles = con.execute(
            "SELECT count(*) FROM raw.articles a JOIN (SELECT arg_max(document_id, landed_at) AS document_id "
            "FROM raw.documents GROUP BY source_uri) USING (document_id)"
        ).fetchone()[0]
    finally:
        con.close()
    return {
        "documents_landed": summary.documents_new,
        "documents_unchanged": summary.documents_unchanged,
        "documents_quarantined": summary.quarantined,
        "articles_new": summary.articles_new,
        "articles": articles,
    }


@task
def extract_task(home: Path, extractor_version: str, n_process: int = 1) -> int:
    """Run NLP on every current article body not yet extracted by this version."""
    from flows.extract import extract_articles
    from flows.extract.store import chunked, pending_articles, write_chunk

    logger = get_run_logger()
    con = connect_state(home)
    try:
        pending = pending_articles(con, extractor_version)
        logger.info("extract: %d article bodies to process (%s)", len(pending), extractor_version)
        done = 0
        for chunk in chunked(pending, EXTRACT_CHUNK):
            results = list(extract_articles(chunk, n_process=n_process))
            write_chunk(con, extractor_version, results, datetime.now())
            done += len(chunk)
            logger.info("extract: %d/%d", done, len(pending))
    finally:
        con.close()
    return done


@task
def gate_task(gate: str, database: Path, home: Path, parameters: dict, published: Path | None, allow_shrink: bool):
    from flows.audit import run_gate

    return run_gate(gate, database, home, parameters, published=published, allow_shrink=allow_shrink)


@task
def transform_task(state_db: Path, build_db: Path, work_dir: Path, extractor_version: str):
    from flows.transform import build_warehouse

    return build_warehouse(state_db, build_db, work_dir, extractor_version)


@task(retries=1, retry_delay_seconds=2)
def publish_task(build_db: Path, state_db: Path, published: Path, run_row: dict) -> dict[str, int]:
    from flows.publish import publish

    return publish(build_db, state_db, published, run_row)


def _record_run(home: Path, summary: RunSummary, started_at: datetime, finished: bool) -> dict:
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


def _fail_gate(home: Path, summary: RunSummary, started_at: datetime, gate_text: str) -> None:
    summary.status = "failed_gate"
    summary.message = gate_text
    _record_run(home, summary, started_at, finished=True)
    raise GateFailed(gate_text)


@flow(name="steppewatch-run", log_prints=True)
def steppewatch_run(
    inbox: str | None = None, home: str | None = None, allow_shrink: bool = False, n_process: int = 1
) -> RunSummary:
    """One run: land the inbox, extract, build, audit and publish `<home>/steppewatch.duckdb`."""
    from flows.extract import EXTRACTOR_VERSION
    from flows.lock import run_lock

    inbox_path = Path(inbox) if inbox else SAMPLE_CORPUS
    home_path = Path(home) if home else DEFAULT_HOME
    if not inbox_path.is_dir():
        raise FileNotFoundError(f"inbox {inbox_path} is not a directory")
    run_id = datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    summary = RunSummary(run_id=run_id)
    started_at = datetime.now()
    published = home_path / PUBLISHED_NAME
    state_db = state_path(home_path)
    build_dir = home_path / "build"
    build_db = build_dir / f"{run_id}.duckdb"

    with run_lock(home_path, run_id):
        _record_run(home_path, summary, started_at, finished=False)
        try:
            t = time.perf_counter()
            landed = land_task(inbox_path, home_path, run_id)
            for key, value in landed.items():
                setattr(summary, key, value)
            _timed(summary, "land", t)

            t = time.perf_counter()
            summary.articles_extracted = extract_task(home_path, EXTRACTOR_VERSION, n_process)
            _timed(summary, "extract", t)

            t = time.perf_counter()
            params = {"extractor_version": EXTRACTOR_VERSION}
            landing_gate = gate_task("landing", state_db, home_path, params, None, allow_shrink)
            summary.gate_summary = landing_gate.summary()
            _timed(summary, "gate_landing", t)
            if not landing_gate.success:
                _fail_gate(home_path, summary, started_at, landing_gate.summary())

            t = time.perf_counter()
            build_dir.mkdir(parents=True, exist_ok=True)
            dbt_outcome = transform_task(state_db, build_db, home_path / "dbt", EXTRACTOR_VERSION)
            _timed(summary, "transform", t)
            if not dbt_outcome.success:
                _fail_gate(home_path, summary, started_at, f"{landing_gate.summary()} | {dbt_outcome.summary()}")

            t = time.perf_counter()
            marts_gate = gate_task("marts", build_db, home_path, {}, published, allow_shrink)
            summary.data_docs = str(marts_gate.data_docs)
            summary.gate_summary = " | ".join(
                [landing_gate.summary(), dbt_outcome.summary(), marts_gate.summary()]
            )
            _timed(summary, "gate_marts", t)
            if not marts_gate.success:
                _fail_gate(home_path, summary, started_at, summary.gate_summary)

            t = time.perf_counter()
            summary.status = "published"
            run_row = _record_run(home_path, summary, started_at, finished=True)
            summary.table_rows = publish_task(build_db, state_db, published, run_row)
            summary.published = str(published)
            _timed(summary, "publish", t)
        except GateFailed:
            raise
        except Exception as error:
            summary.status = "failed"
            summary.message = f"{type(error).__name__}: {error}"
            _record_run(home_path, summary, started_at, finished=True)
            raise
        finally:
            if build_db.exists():
                build_db.unlink()
    return summary

"""The Prefect tasks of a run (flows/pipeline.py): one stage each, small, opening what they need.

Each task opens the files it needs and closes them, so the state database is never held open
across dbt (which attaches it read-only). Tasks that do I/O are retried, except on a full disk.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.audit import GxContext, run_gate
from flows.diskfull import retry_unless_disk_full
from flows.extract.runner import EarlyWorkers, chunk_size, make_runner
from flows.publish import Candidate, pause_point, publish
from flows.state import connect_state
from flows.transform import BaseBuild, build_warehouse

# Bodies per extraction transaction; a killed run keeps every finished chunk.
# Small enough that worker processes stay evenly busy up to the end of a run.
EXTRACT_CHUNK = int(os.environ.get("STEPPEWATCH_EXTRACT_CHUNK", "64"))


@task(retries=2, retry_delay_seconds=2, retry_condition_fn=retry_unless_disk_full)
def land_task(inbox: Path, home: Path, run_id: str) -> dict[str, int]:
    from flows.land import CURRENT_DOCUMENTS_SQL, land_inbox

    con = connect_state(home)
    try:
        summary = land_inbox(inbox, con, run_id, datetime.now())
        articles = con.execute(
            f"SELECT count(*) FROM raw.articles JOIN ({CURRENT_DOCUMENTS_SQL}) USING (document_id)"
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


# No cache key: `early` holds worker processes, which cannot be hashed (and a run must extract anyway).
@task(cache_policy=NO_CACHE)
def extract_task(
    home: Path,
    extractor_version: str,
    n_process: int = 1,
    run_id: str = "",
    runner: str | None = None,
    early: EarlyWorkers | None = None,
) -> int:
    """Run NLP on every current article body not yet extracted by this version.

    Chunks run where `runner` says (see flows.extract.runner), on the `early` workers the run
    started when it began, if any; this process writes every result, so the state database
    keeps a single writer.
    """
    from flows.extract.store import chunked, pending_articles, write_chunk
    from flows.progress import progress_bar

    logger = get_run_logger()
    con = connect_state(home)
    try:
        pending = pending_articles(con, extractor_version)
        logger.info("extract: %d article bodies to process (%s)", len(pending), extractor_version)
        chunk_runner = make_runner(runner, n_process, len(pending), early)
        done = 0
        with progress_bar("extract", total=len(pending)) as advance:
            size = chunk_size(chunk_runner, len(pending), EXTRACT_CHUNK)
            for chunk, results, error in chunk_runner.run(chunked(pending, size)):
                if error is not None:
                    results = _extract_one_by_one(con, chunk, error, run_id)
                write_chunk(con, extractor_version, results, datetime.now())
                done += len(results)
                advance(len(chunk))
                logger.info("extract: %d/%d", done, len(pending))
                pause_point("extract", home)
    finally:
        con.close()
    return done


def _extract_one_by_one(con, chunk: list, error: BaseException, run_id: str) -> list:
    """A chunk failed: retry it article by article here and quarantine the ones that still fail.

    A quarantined body is not marked as extracted, so every run retries it (and a fixed extractor
    picks it up); its article stays in the warehouse, without facts, and ops.quarantine says why.
    """
    from flows.extract import extract_articles

    get_run_logger().warning(
        "extract: a chunk of %d failed (%s); retrying article by article", len(chunk), type(error).__name__
    )
    results = []
    for article in chunk:
        try:
            results.extend(extract_articles([article], n_process=1))
        except Exception as error:
            _quarantine_body(
                con, article.content_sha256, f"extraction failed: {type(error).__name__}: {error}", run_id
            )
    return results


def _quarantine_body(con, content_sha256: str, reason: str, run_id: str) -> None:
    """One ops.quarantine row (stage 'extract') per current article with this body, once per body."""
    from flows.extract.store import CURRENT_ARTICLES_SQL

    get_run_logger().warning("extract: quarantined body %s: %s", content_sha256[:12], reason[:300])
    con.execute(
        f"""INSERT INTO ops.quarantine
            SELECT a.source_uri, a.content_sha256, 'extract', $reason, d.raw_path, $at, $run_id
            FROM ({CURRENT_ARTICLES_SQL}) a JOIN raw.documents d USING (document_id)
            WHERE a.content_sha256 = $sha AND NOT EXISTS (
                SELECT 1 FROM ops.quarantine q WHERE q.stage = 'extract'
                AND q.source_uri = a.source_uri AND q.content_sha256 = a.content_sha256)""",
        {"reason": reason[:1000], "at": datetime.now(), "run_id": run_id, "sha": content_sha256},
    )


# No cache key: `gx` holds the run's GX context, which cannot be hashed (and a gate must run anyway).
@task(cache_policy=NO_CACHE)
def gate_task(
    gate: str,
    database: Path,
    home: Path,
    parameters: dict,
    published: Path | None,
    allow_shrink: bool,
    data_tests: tuple[Path, Path] | None = None,
    query_ahead: bool = False,
    gx: GxContext | None = None,
):
    # The run renders both gates' Data Docs pages at once, while it publishes (DataDocsRenderer).
    return run_gate(
        gate,
        database,
        home,
        parameters,
        published=published,
        allow_shrink=allow_shrink,
        render_docs=False,
        data_tests=data_tests,
        query_ahead=query_ahead,
        gx=gx,
    )


@task
def transform_task(
    state_db: Path, build_db: Path, work_dir: Path, extractor_version: str, base: BaseBuild | None
):
    return build_warehouse(state_db, build_db, work_dir, extractor_version, base)


@task(retries=1, retry_delay_seconds=2, retry_condition_fn=retry_unless_disk_full)
def publish_task(
    build_db: Path,
    state_db: Path,
    published: Path,
    run_row: dict,
    base_run_id: str | None = None,
    prepared: Candidate | None = None,
) -> dict[str, int]:
    return publish(build_db, state_db, published, run_row, base_run_id, prepared)

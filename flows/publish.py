"""Publish: copy the audited marts and the ops log into a new file, check it, swap it in.

Readers only ever see a whole, audited warehouse: the candidate is written beside the
published file in DuckDB 1.4 storage format (what BI drivers embed), re-opened and
checked against the build, and only then moved over the published file with one atomic
`os.replace`. A reader holding the old file open keeps reading the old inode. Every publish is
kept as a release with its changelog (`flows.releases`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from flows.audit import CONTRACT_TABLES
from flows.diskfull import write_fault_point
from flows.paths import PROJECT_ROOT
from flows.releases import (
    RELEASE_TABLES,
    apply_release_changes,
    release_run_id,
    releases_written_as_changes,
    write_release_changes,
    write_release_row,
)
from flows.releases import keep as keep_release
from flows.releases import prune as prune_releases

STORAGE_VERSION = "v1.4.0"
DUCKDB_LTS_PATH = PROJECT_ROOT / ".venv" / "duckdb14"


PAUSE_ENV = "STEPPEWATCH_PAUSE_AT"
PAUSE_LIMIT_S = 600


class PublishError(RuntimeError):
    pass


def pause_point(stage: str, home: Path) -> None:
    """Fault-test hook, a no-op unless STEPPEWATCH_PAUSE_AT names `stage`.

    Then it writes `<home>/.paused-at-<stage>` and sleeps (at most PAUSE_LIMIT_S), so a test can
    kill -9 a real run at a known point: `extract` (the first extraction chunk is committed),
    `gate_marts` (the build exists, the marts gate has not run) and `swap` (the candidate is
    written and checked, the published file not yet replaced).
    """
    if os.environ.get(PAUSE_ENV) != stage:
        return
    (Path(home) / f".paused-at-{stage}").write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + PAUSE_LIMIT_S
    while time.monotonic() < deadline:
        time.sleep(0.5)


# A file written as changes keeps the deleted rows' space and the dropped tables' free blocks
# until it is written whole again: after this many releases in a row written as changes, the
# next one copies every table (about the cost of one first-run publish, once in that many runs).
MAX_RELEASES_AS_CHANGES = 20

# The articles an incremental build rebuilt (every article on a full build): see REBUILT_BY_ARTICLE.
REBUILT_ARTICLES_SQL = "SELECT article_id FROM build.intermediate.int_articles_to_reresolve"


@dataclass
class Candidate:
    """A publish candidate whose marts, changelog and Parquet files are written; its ops tables
    wait for the gates' verdict (`write_candidate_ops`)."""

    path: Path
    run_id: str
    counts: dict[str, int]  # "marts.<table>" -> rows, of every published table
    changed_tables: list[str]  # the contract tables whose rows differ from the previous release
    from_previous: bool  # written as the previous release plus this release's changes
    previous_run_id: str | None
    written_as_changes: int  # see ops.release
    parquet: Path | None = None  # the staging folder of the Parquet files to replace


def candidate_path(published: Path, run_id: str) -> Path:
    return published.with_name(f".{published.name}.{run_id}.candidate")


def staging_path(published: Path, run_id: str) -> Path:
    return published.with_name(f".parquet.{run_id}.staging")


def write_candidate_marts(
    build_db: Path,
    candidate: Path,
    run_id: str,
    previous: Path | None = None,
    base_run_id: str | None = None,
) -> Candidate:
    """Write the build's marts into `candidate`, and ops.release_changes: what they change since
    `previous` (the file published now).

    When the build started from the build of that same release (`base_run_id`), the candidate is
    a copy of it with those changes applied: a run costs what it changed, not a copy of every
    table. Otherwise every mart is copied from the build.
    """
    for leftover in (candidate, candidate.with_name(candidate.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS build (READ_ONLY)", [str(build_db)])
        chain = _changes_chain(con, previous, base_run_id)
        from_previous = chain is not None and chain < MAX_RELEASES_AS_CHANGES
        if from_previous:
            shutil.copyfile(previous, candidate)  # a v1.4.0 file stays one when written to
            con.execute("ATTACH ? AS candidate", [str(candidate)])
            # the run log and quarantine are replaced once the gates pass (write_candidate_ops)
            for table in RELEASE_TABLES:
                con.execute(f"DROP TABLE IF EXISTS candidate.ops.{table}")
        else:
            con.execute(f"ATTACH ? AS candidate (STORAGE_VERSION '{STORAGE_VERSION}')", [str(candidate)])
            con.execute("CREATE SCHEMA candidate.marts")
            con.execute("CREATE SCHEMA candidate.ops")
            for table in CONTRACT_TABLES:
                con.execute(f"CREATE TABLE candidate.marts.{table} AS SELECT * FROM build.marts.{table}")
        counts = {
            f"marts.{t}": con.execute(f"SELECT count(*) FROM build.marts.{t}").fetchone()[0]
            for t in CONTRACT_TABLES
        }
        rebuilt_articles = REBUILT_ARTICLES_SQL if from_previous else None
        previous_run_id = write_release_changes(con, run_id, previous, "build", rebuilt_articles)
        if from_previous:
            changed_tables = apply_release_changes(con, "build", rebuilt_articles)
        else:
            changed_tables = list(CONTRACT_TABLES)
        con.execute("DETACH candidate")
    finally:
        con.close()
    return Candidate(
        candidate,
        run_id,
        counts,
        changed_tables,
        from_previous,
        previous_run_id,
        (chain or 0) + 1 if from_previous else 0,
    )


def write_candidate_ops(candidate: Candidate, state_db: Path, run_row: dict[str, object]) -> None:
    """The candidate's ops tables: the quarantine, the run log with this run recorded as
    published, and ops.release (its row counts and gate summary)."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS state (READ_ONLY)", [str(state_db)])
        con.execute("ATTACH ? AS candidate", [str(candidate.path)])
        con.execute("CREATE OR REPLACE TABLE candidate.ops.quarantine AS SELECT * FROM state.ops.quarantine")
        con.execute(
            """CREATE OR REPLACE TABLE candidate.ops.run_log AS
               SELECT * FROM state.ops.run_log WHERE run_id <> $run_id""",
            {"run_id": run_row["run_id"]},
        )
        columns = list(run_row)
        placeholders = ", ".join(f"${c}" for c in columns)
        con.execute(
            f"INSERT INTO candidate.ops.run_log ({', '.join(columns)}) VALUES ({placeholders})", run_row
        )
        con.execute("DELETE FROM candidate.ops.release")
        write_release_row(
            con,
            candidate.run_id,
            datetime.now(),
            candidate.previous_run_id,
            {t.removeprefix("marts."): n for t, n in candidate.counts.items()},
            run_row.get("gate_summary"),  # type: ignore[arg-type]
            candidate.written_as_changes,
        )
        write_fault_point("publish")
        con.execute("DETACH candidate")
    finally:
        con.close()


def prepare_candidate(
    build_db: Path, published: Path, run_id: str, base_run_id: str | None = None
) -> Candidate:
    """All of a publish that needs no verdict: the candidate's marts and changelog, and the
    Parquet files of the tables that changed (all of them unless the Parquet folder holds the
    previous release). The flow runs this while the marts gate validates the same build."""
    candidate = write_candidate_marts(
        build_db, candidate_path(published, run_id), run_id, published, base_run_id
    )
    exported = parquet_release(parquet_dir(published))
    reuse = candidate.from_previous and exported is not None and exported == candidate.previous_run_id
    candidate.parquet = write_parquet(
        build_db, staging_path(published, run_id), candidate.changed_tables if reuse else CONTRACT_TABLES
    )
    return candidate


class CandidatePreparer:
    """`prepare_candidate` in a thread (DuckDB work beside the marts gate's Python)."""

    def __init__(self, build_db: Path, published: Path, run_id: str, base_run_id: str | None) -> None:
        import threading

        self._outcome: Candidate | BaseException | None = None
        self._args = (build_db, published, run_id, base_run_id)
        self._thread = threading.Thread(target=self._run, name="publish-candidate", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._outcome = prepare_candidate(*self._args)
        except BaseException as error:  # handed to the caller by take()
            self._outcome = error

    def take(self) -> Candidate:
        """The prepared candidate, or the error that stopped it."""
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        assert self._outcome is not None
        return self._outcome

    def wait(self) -> None:
        """Let the thread end (before a failed run removes its temporary files)."""
        self._thread.join()


def _changes_chain(con: duckdb.DuckDBPyConnection, previous: Path | None, run_id: str | None) -> int | None:
    """When `previous` is the release published by run `run_id` (whose build this build started
    from): how many releases in a row were written as changes up to it. None otherwise."""
    if previous is None or run_id is None or not previous.exists():
        return None
    try:
        con.execute("ATTACH ? AS previous (READ_ONLY)", [str(previous)])
    except duckdb.Error:
        return None
    try:
        if release_run_id(con, "previous") != run_id:
            return None
        return releases_written_as_changes(con, "previous") or 0
    finally:
        con.execute("DETACH previous")


def check_candidate(candidate: Path, expected_counts: dict[str, int]) -> None:
    """Re-open the candidate read-only, as a reader will, and compare it with the build; and
    prove it opens with DuckDB 1.4 LTS."""
    probe = start_lts_probe(candidate)
    check_counts(candidate, expected_counts)
    finish_lts_probe(probe)


def check_counts(candidate: Path, expected_counts: dict[str, int]) -> None:
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        for table, expected in expected_counts.items():
            got = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if got != expected:
                raise PublishError(f"candidate {table} has {got} rows, the build has {expected}")
    finally:
        con.close()


def start_lts_probe(candidate: Path) -> subprocess.Popen | None:
    """Open the candidate with DuckDB 1.4 LTS, the version BI drivers embed, in another process
    (it runs while this one checks the counts and writes the Parquet files)."""
    if not DUCKDB_LTS_PATH.exists():
        return None
    probe = (
        "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True);"
        "print(duckdb.__version__, con.execute('SELECT count(*) FROM marts.dim_article').fetchone()[0])"
    )
    env = {**os.environ, "PYTHONPATH": str(DUCKDB_LTS_PATH)}
    return subprocess.Popen(
        [sys.executable, "-c", probe, str(candidate)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop_lts_probe(probe: subprocess.Popen | None) -> None:
    if probe is not None and probe.poll() is None:
        probe.kill()
        probe.communicate()


def finish_lts_probe(probe: subprocess.Popen | None) -> None:
    """Wait for the probe; PublishError unless it opened the candidate with DuckDB 1.4."""
    if probe is None:
        return
    try:
        stdout, stderr = probe.communicate(timeout=120)
    except BaseException:
        stop_lts_probe(probe)
        raise
    if probe.returncode != 0 or not stdout.startswith("1.4"):
        raise PublishError(f"candidate does not open with DuckDB 1.4: {stderr.strip()[-300:]}")


def swap_in(candidate: Path, published: Path) -> None:
    """Atomically replace the published file with the checked candidate."""
    with open(candidate, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(candidate, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def publish(
    build_db: Path,
    state_db: Path,
    published: Path,
    run_row: dict[str, object],
    base_run_id: str | None = None,
    prepared: Candidate | None = None,
) -> dict[str, int]:
    """Write (or finish the `prepared`), check and swap in the candidate; keep it as a release;
    put its Parquet files in place.

    `base_run_id`: the run whose audited build this build started from (an incremental build).
    When that run's release is the published one, the candidate is that release plus this
    build's changes, and only the changed tables' Parquet files are written again.
    """
    run_id = str(run_row["run_id"])
    try:
        if prepared is None or not prepared.path.exists():  # a retry starts again
            prepared = prepare_candidate(build_db, published, run_id, base_run_id)
        write_candidate_ops(prepared, state_db, run_row)
        probe = start_lts_probe(prepared.path)
        try:
            check_counts(prepared.path, prepared.counts)
        except BaseException:
            stop_lts_probe(probe)
            raise
        finish_lts_probe(probe)
        pause_point("swap", published.parent)
        swap_in(prepared.path, published)
        # kept once published, so that no release was never published (a kill between the two
        # leaves a published file without its kept copy: the next release still diffs against it)
        keep_release(published, published.parent, run_id)
        assert prepared.parquet is not None
        move_parquet(prepared.parquet, parquet_dir(published), run_id)
        prune_releases(published.parent)
    finally:
        discard_candidate(published, run_id)
    return prepared.counts


def discard_candidate(published: Path, run_id: str) -> None:
    """Remove what is left of a run's candidate and Parquet staging folder (a failed write leaves
    part of them)."""
    candidate = candidate_path(published, run_id)
    for leftover in (candidate, candidate.with_name(candidate.name + ".wal")):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(staging_path(published, run_id), ignore_errors=True)


def parquet_dir(published: Path) -> Path:
    """`<home>/parquet/`: one file per contract table, for Spark, Trino or any Parquet reader."""
    return published.parent / "parquet"


def parquet_files(published: Path) -> list[Path]:
    return [parquet_dir(published) / f"{table}.parquet" for table in CONTRACT_TABLES]


PARQUET_RELEASE_NAME = ".release"  # in the Parquet folder: the release all its files are from


def parquet_release(folder: Path) -> str | None:
    """The run id of the release every Parquet file in `folder` was exported from, if known."""
    try:
        return (folder / PARQUET_RELEASE_NAME).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def write_parquet(database: Path, staging: Path, tables: Iterable[str] = CONTRACT_TABLES) -> Path:
    """Export marts (`tables` of them) of a build or a candidate to Parquet files in a staging
    folder beside the home."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    con = duckdb.connect(str(database), read_only=True)
    try:
        for table in tables:  # fixed table names; the path is quoted (COPY takes no parameter)
            if table not in CONTRACT_TABLES:
                raise ValueError(f"{table} is not a contract table")
            target = str(staging / f"{table}.parquet").replace("'", "''")
            con.execute(f"COPY marts.{table} TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()
    return staging


def move_parquet(staging: Path, target_dir: Path, release: str) -> None:
    """After the DuckDB swap: each Parquet file replaces its predecessor atomically (one rename each).

    A reader opening a file sees a whole file; between the renames it may briefly find old and
    new tables side by side, never a half-written one. The files not in `staging` are unchanged
    in `release`; once every file is in place, the folder's `.release` says so (it is removed
    first, so a stop in between leaves no claim the next publish would trust).
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    marker = target_dir / PARQUET_RELEASE_NAME
    marker.unlink(missing_ok=True)
    for path in sorted(staging.glob("*.parquet")):
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(path, target_dir / path.name)
    partial = marker.with_name(marker.name + ".partial")
    partial.write_text(release, encoding="utf-8")
    os.replace(partial, marker)
    directory = os.open(target_dir, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    shutil.rmtree(staging, ignore_errors=True)


def remove_leftovers(home: Path, published: Path) -> list[Path]:
    """Delete build files and publish candidates a killed run left behind; call under the run lock."""
    leftovers = [
        *sorted((home / "build").glob("*.duckdb*")),
        *sorted((home / "build").glob("data_tests.*")),  # a build's record of its data tests
        *sorted(home.glob(f".{published.name}.*.candidate*")),
        *sorted(home.glob(".paused-at-*")),
        *sorted((home / "releases").glob(".*.partial")),
    ]
    for path in leftovers:
        path.unlink(missing_ok=True)
    staged_parquet = sorted(home.glob(".parquet.*.staging"))
    for folder in staged_parquet:
        shutil.rmtree(folder, ignore_errors=True)
    return leftovers + staged_parquet


def published_at(published: Path) -> datetime | None:
    return datetime.fromtimestamp(published.stat().st_mtime) if published.exists() else None

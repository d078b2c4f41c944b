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
from datetime import datetime
from pathlib import Path

import duckdb

from flows.audit import CONTRACT_TABLES
from flows.diskfull import write_fault_point
from flows.paths import PROJECT_ROOT
from flows.releases import keep as keep_release
from flows.releases import prune as prune_releases
from flows.releases import write_release_tables

STORAGE_VERSION = "v1.4.0"
OPS_TABLES = ("run_log", "quarantine")
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


def write_candidate(
    build_db: Path,
    state_db: Path,
    candidate: Path,
    run_row: dict[str, object],
    previous: Path | None = None,
) -> dict[str, int]:
    """Write marts + ops into `candidate`; return the row count of every published table.

    With `previous` (the file published now), ops.release_changes says what this release changes."""
    if candidate.exists():
        candidate.unlink()
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS build (READ_ONLY)", [str(build_db)])
        con.execute("ATTACH ? AS state (READ_ONLY)", [str(state_db)])
        con.execute(f"ATTACH ? AS candidate (STORAGE_VERSION '{STORAGE_VERSION}')", [str(candidate)])
        con.execute("CREATE SCHEMA candidate.marts")
        con.execute("CREATE SCHEMA candidate.ops")
        for table in CONTRACT_TABLES:
            con.execute(f"CREATE TABLE candidate.marts.{table} AS SELECT * FROM build.marts.{table}")
        con.execute("CREATE TABLE candidate.ops.quarantine AS SELECT * FROM state.ops.quarantine")
        # The run log as of this publish: this run is recorded as published.
        con.execute(
            "CREATE TABLE candidate.ops.run_log AS SELECT * FROM state.ops.run_log WHERE run_id <> $run_id",
            {"run_id": run_row["run_id"]},
        )
        columns = list(run_row)
        placeholders = ", ".join(f"${c}" for c in columns)
        con.execute(
            f"INSERT INTO candidate.ops.run_log ({', '.join(columns)}) VALUES ({placeholders})", run_row
        )
        counts = {
            f"marts.{t}": con.execute(f"SELECT count(*) FROM build.marts.{t}").fetchone()[0]
            for t in CONTRACT_TABLES
        }
        write_release_tables(
            con,
            str(run_row["run_id"]),
            datetime.now(),
            {t.removeprefix("marts."): n for t, n in counts.items()},
            run_row.get("gate_summary"),  # type: ignore[arg-type]
            previous,
        )
        write_fault_point("publish")
        con.execute("DETACH candidate")
    finally:
        con.close()
    return counts


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


def publish(build_db: Path, state_db: Path, published: Path, run_row: dict[str, object]) -> dict[str, int]:
    candidate = published.with_name(f".{published.name}.{run_row['run_id']}.candidate")
    staging = published.with_name(f".parquet.{run_row['run_id']}.staging")
    try:
        counts = write_candidate(build_db, state_db, candidate, run_row, previous=published)
        probe = start_lts_probe(candidate)
        try:
            check_counts(candidate, counts)
            write_parquet(candidate, staging)
        except BaseException:
            stop_lts_probe(probe)
            raise
        finish_lts_probe(probe)
        pause_point("swap", published.parent)
        swap_in(candidate, published)
        # kept once published, so that no release was never published (a kill between the two
        # leaves a published file without its kept copy: the next release still diffs against it)
        keep_release(published, published.parent, str(run_row["run_id"]))
        move_parquet(staging, parquet_dir(published))
        prune_releases(published.parent)
    finally:
        for leftover in (candidate, candidate.with_name(candidate.name + ".wal")):
            leftover.unlink(missing_ok=True)
        shutil.rmtree(staging, ignore_errors=True)  # a failed write leaves part of the Parquet files
    return counts


def parquet_dir(published: Path) -> Path:
    """`<home>/parquet/`: one file per contract table, for Spark, Trino or any Parquet reader."""
    return published.parent / "parquet"


def parquet_files(published: Path) -> list[Path]:
    return [parquet_dir(published) / f"{table}.parquet" for table in CONTRACT_TABLES]


def write_parquet(candidate: Path, staging: Path) -> Path:
    """Export the checked candidate's marts to Parquet files in a staging folder beside the home."""
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        for table in CONTRACT_TABLES:  # fixed table names; the path is quoted (COPY takes no parameter)
            target = str(staging / f"{table}.parquet").replace("'", "''")
            con.execute(f"COPY marts.{table} TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
    finally:
        con.close()
    return staging


def move_parquet(staging: Path, target_dir: Path) -> None:
    """After the DuckDB swap: each Parquet file replaces its predecessor atomically (one rename each).

    A reader opening a file sees a whole file; between the renames it may briefly find old and
    new tables side by side, never a half-written one.
    """
    target_dir.mkdir(parents=True, exist_ok=True)
    for path in sorted(staging.glob("*.parquet")):
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(path, target_dir / path.name)
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

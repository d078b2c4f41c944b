"""Publish: copy the audited marts and the ops log into a new file, check it, swap it in.

Readers only ever see a whole, audited warehouse: the candidate is written beside the
published file in DuckDB 1.4 storage format (what BI drivers embed), re-opened and
checked against the build, and only then moved over the published file with one atomic
`os.replace`. A reader holding the old file open keeps reading the old inode.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb

from flows.audit import CONTRACT_TABLES
from flows.paths import PROJECT_ROOT

STORAGE_VERSION = "v1.4.0"
OPS_TABLES = ("run_log", "quarantine")
DUCKDB_LTS_PATH = PROJECT_ROOT / ".venv" / "duckdb14"


class PublishError(RuntimeError):
    pass


def write_candidate(build_db: Path, state_db: Path, candidate: Path, run_row: dict[str, object]) -> dict[str, int]:
    """Write marts + ops into `candidate`; return the row count of every published table."""
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
        con.execute("DETACH candidate")
    finally:
        con.close()
    return counts


def check_candidate(candidate: Path, expected_counts: dict[str, int]) -> None:
    """Re-open the candidate read-only, as a reader will, and compare it with the build."""
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        for table, expected in expected_counts.items():
            got = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            if got != expected:
                raise PublishError(f"candidate {table} has {got} rows, the build has {expected}")
    finally:
        con.close()
    if DUCKDB_LTS_PATH.exists():
        # Prove the file opens with DuckDB 1.4 LTS, the version BI drivers embed.
        probe = (
            "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True);"
            "print(duckdb.__version__, con.execute('SELECT count(*) FROM marts.dim_article').fetchone()[0])"
        )
        env = {**os.environ, "PYTHONPATH": str(DUCKDB_LTS_PATH)}
        done = subprocess.run(
            [sys.executable, "-c", probe, str(candidate)], env=env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0 or not done.stdout.startswith("1.4"):
            raise PublishError(f"candidate does not open with DuckDB 1.4: {done.stderr.strip()[-300:]}")


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
    try:
        counts = write_candidate(build_db, state_db, candidate, run_row)
        check_candidate(candidate, counts)
        swap_in(candidate, published)
    finally:
        if candidate.exists():
            candidate.unlink()
    return counts


def published_at(published: Path) -> datetime | None:
    return datetime.fromtimestamp(published.stat().st_mtime) if published.exists() else None

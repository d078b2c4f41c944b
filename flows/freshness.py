"""Is the published warehouse already what a build would give? Then a run can stop after extraction.

A build is a pure function of (the state database's contents, the extractor version, the dbt
project, the expectation suites, the build/audit/publish code). After each publish the run writes a
fingerprint of those inputs, together with the identity (inode, size, mtime) of the file it
published, to `<home>/.published-inputs.json`. A later run that lands nothing new and
extracts nothing new computes the same fingerprint and, if the published file is still the
one recorded, skips dbt, the gates and publish: the cheapest correct no-op.

The fingerprint reads every state table the build reads (an order-independent sum of row
hashes, plus row counts), so any change, even one made by hand, forces a full rebuild.
ops.run_log is left out: every run adds to it, and the published copy is a log "as of the
publish". A crash between publishing and writing the record only costs one full rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.audit import CONTRACT_TABLES
from flows.paths import DBT_PROJECT_DIR, EXPECTATIONS_DIR, PROJECT_ROOT
from flows.state import NLP_TABLES

RECORD_NAME = ".published-inputs.json"
STATE_TABLES = (
    "raw.documents",
    "raw.articles",
    "nlp.extractions",
    *(f"nlp.{t}" for t in NLP_TABLES),
    "ops.quarantine",
)
_BUILD_OUTPUT_DIRS = {"target", "logs", "dbt_packages", "__pycache__"}
# What turns the state into the published files. Extraction code is not here: its results
# are keyed by EXTRACTOR_VERSION, which is part of the fingerprint.
BUILD_INPUTS = (
    DBT_PROJECT_DIR,
    EXPECTATIONS_DIR,
    *(PROJECT_ROOT / "flows" / name for name in ("state.py", "transform.py", "audit.py", "publish.py")),
)


@dataclass(frozen=True)
class PublishedRecord:
    inputs: dict[str, str]  # what the build read: see build_inputs()
    run_id: str
    published_identity: list[int]
    parquet: list[str]


def _files(directory: Path) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if d not in _BUILD_OUTPUT_DIRS and not d.startswith("."))
        out.extend(Path(root) / f for f in sorted(files) if not f.startswith(".") and not f.endswith(".pyc"))
    return out


def code_fingerprint() -> str:
    """sha256 over the dbt project, the expectation suites and the build, audit and publish code."""
    digest = hashlib.sha256()
    for entry in BUILD_INPUTS:
        for path in _files(entry) if entry.is_dir() else [entry]:
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def state_fingerprint(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Per state table: row count and the sum of its row hashes (order-independent)."""
    out = {}
    for table in STATE_TABLES:  # fixed names, never input
        count, total = con.execute(
            f"SELECT count(*), coalesce(sum(hash(t)), 0)::VARCHAR FROM {table} t"
        ).fetchone()
        out[table] = f"{count}:{total}"
    return out


def build_inputs(con: duckdb.DuckDBPyConnection, extractor_version: str) -> dict[str, str]:
    """Everything a build depends on, part by part (so a rebuild can say what changed)."""
    return {"extractor_version": extractor_version, "code": code_fingerprint(), **state_fingerprint(con)}


def file_identity(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def record_publish(
    home: Path, published: Path, inputs: dict[str, str], run_id: str, parquet: list[Path]
) -> None:
    """After a successful publish: remember what it was built from (atomically)."""
    record = PublishedRecord(inputs, run_id, file_identity(published), sorted(p.name for p in parquet))
    path = Path(home) / RECORD_NAME
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(record.__dict__), encoding="utf-8")
    os.replace(temporary, path)


def published_table_rows(published: Path) -> dict[str, int]:
    """Row counts of the published marts (for the summary of a run that skipped publishing)."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        return {
            f"marts.{t}": con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0]
            for t in CONTRACT_TABLES
        }
    finally:
        con.close()


def unchanged_since_publish(home: Path, published: Path, inputs: dict[str, str]) -> tuple[str | None, str]:
    """(run id of the publish built from exactly these inputs, if its files are still in place; why not)."""
    path = Path(home) / RECORD_NAME
    try:
        record = PublishedRecord(**json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None, "no record of a previous publish"
    except (OSError, ValueError, TypeError) as error:
        return None, f"unreadable publish record: {error}"
    changed = sorted(k for k in inputs.keys() | record.inputs.keys() if inputs.get(k) != record.inputs.get(k))
    if changed:
        return None, "changed since the last publish: " + ", ".join(changed)
    if not published.exists() or file_identity(published) != record.published_identity:
        return None, "the published file is not the one the last run published"
    expected = sorted(f"{t}.parquet" for t in CONTRACT_TABLES)
    parquet_dir = Path(home) / "parquet"
    if sorted(record.parquet) != expected or not all((parquet_dir / name).exists() for name in expected):
        return None, "Parquet export missing or incomplete"
    return record.run_id, "unchanged"

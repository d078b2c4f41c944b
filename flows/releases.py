"""Releases: every publish is kept, says what it changed, and can be put back.

Analysts cite the warehouse, so a publish is a release:

- `<home>/releases/<run_id>.duckdb` keeps the file each publish swapped in (a hard link to the
  published inode when the file system allows it, so keeping it costs no copy; published files
  are never written after the swap). The newest `retention()` releases are kept (10 by default,
  `STEPPEWATCH_RELEASE_RETENTION` or `steppewatch run --keep-releases N`).
- `ops.release` in each published file: its run id, when, the release before it, the row count of
  every contract table and the gate summary.
- `ops.release_changes`: per contract table, the stable ids added, removed and changed since the
  release before, with the columns that changed. The first release lists every row as added.
- `rollback` re-checks a kept release (row counts against its own `ops.release`, the DuckDB 1.4
  probe) and swaps it in as atomically as a publish.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from flows.audit import CONTRACT_TABLES
from flows.paths import PUBLISHED_NAME

RELEASES_DIR = "releases"
DEFAULT_RETENTION = 10
RETENTION_ENV = "STEPPEWATCH_RELEASE_RETENTION"

# The stable id of a row of each contract table (several columns are joined with '|').
TABLE_KEYS: dict[str, tuple[str, ...]] = {
    "dim_country": ("country_id",),
    "dim_party": ("party_id",),
    "dim_actor": ("actor_id",),
    "dim_article": ("article_id",),
    "fct_mention": ("mention_id",),
    "fct_event": ("event_id",),
    "bridge_event_participant": ("event_id", "entity_type", "entity_id", "role"),
    "fct_detention": ("detention_id",),
    "fct_detention_case": ("case_id",),
    "bridge_detention_case_report": ("case_id", "detention_id"),
    "fct_election": ("election_id",),
    "bridge_election_article": ("election_id", "article_id", "char_start", "char_end", "is_snap"),
    "fct_election_result": ("election_result_id",),
}
assert set(TABLE_KEYS) == set(CONTRACT_TABLES), "every contract table needs its stable id"

# The contract tables dbt builds incrementally by article (dbt_project/macros/incremental.sql):
# a build from a base keeps the base's rows of every article outside int_articles_to_reresolve
# (tests/test_releases.py checks this list against the dbt project).
REBUILT_BY_ARTICLE = frozenset({"dim_article", "fct_mention", "fct_event", "fct_detention"})

RELEASE_TABLES = ("release", "release_changes")  # in the ops schema of each published file
RELEASE_DDL = """
CREATE TABLE {db}.ops.release (
    run_id          VARCHAR NOT NULL,
    published_at    TIMESTAMP NOT NULL,
    previous_run_id VARCHAR,
    row_counts      VARCHAR NOT NULL,  -- JSON: contract table -> rows
    gate_summary    VARCHAR,
    -- how many releases in a row, this one included, were written as the one before plus their
    -- changes (flows/publish.py); 0 when every table was copied from the build
    written_as_changes INTEGER
);
CREATE TABLE {db}.ops.release_changes (
    table_name      VARCHAR NOT NULL,
    row_key         VARCHAR NOT NULL,  -- the row's stable id (TABLE_KEYS, joined with '|')
    change          VARCHAR NOT NULL,  -- added | removed | changed
    changed_columns VARCHAR[],         -- for 'changed': the columns whose values differ
    run_id          VARCHAR NOT NULL,
    previous_run_id VARCHAR
);
"""


class ReleaseError(RuntimeError):
    pass


@dataclass(frozen=True)
class Release:
    run_id: str
    path: Path
    published_at: datetime | None
    previous_run_id: str | None
    row_counts: dict[str, int]
    gate_summary: str | None
    is_current: bool


def releases_dir(home: Path) -> Path:
    return Path(home) / RELEASES_DIR


def retention() -> int:
    value = os.environ.get(RETENTION_ENV, "")
    return max(1, int(value)) if value.strip().isdigit() else DEFAULT_RETENTION


def release_run_id(con: duckdb.DuckDBPyConnection, db: str) -> str | None:
    """The run id of the release attached as `db`: its ops.release, else (a file published before
    releases existed) its latest published run."""
    try:
        return con.execute(f"SELECT run_id FROM {db}.ops.release").fetchone()[0]
    except duckdb.Error:
        pass
    try:
        row = con.execute(
            f"""SELECT run_id FROM {db}.ops.run_log WHERE status = 'published'
                ORDER BY finished_at DESC NULLS LAST LIMIT 1"""
        ).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _columns(con: duckdb.DuckDBPyConnection, db: str, table: str) -> list[str]:
    try:
        return [r[0] for r in con.execute(f"DESCRIBE {db}.marts.{table}").fetchall()]
    except duckdb.Error:
        return []


def _key_sql(alias: str, table: str) -> str:
    prefix = f"{alias}." if alias else ""
    return " || '|' || ".join(f"coalesce(CAST({prefix}{c} AS VARCHAR), '')" for c in TABLE_KEYS[table])


def write_release_changes(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    previous: Path | None,
    current: str = "candidate",
    rebuilt_articles: str | None = None,
) -> str | None:
    """Create ops.release and ops.release_changes in the candidate attached as `candidate` and
    fill ops.release_changes, comparing the marts attached as `current` with the previous
    published file, if any. Returns the previous release's run id (ops.release is written by
    `write_release_row` once the run's gates have passed).

    `rebuilt_articles` (a query of article ids) narrows the comparison of the tables rebuilt by
    article (REBUILT_BY_ARTICLE) to those articles: the caller vouches that their other rows are
    the previous release's (flows/publish.py: the build started from that release's build)."""
    con.execute(RELEASE_DDL.format(db="candidate"))
    previous_run_id = None
    attached = False
    if previous is not None and previous.exists():
        try:
            con.execute("ATTACH ? AS previous (READ_ONLY)", [str(previous)])
            attached = True
            previous_run_id = release_run_id(con, "previous")
        except duckdb.Error:
            attached = False  # an unreadable previous file: every row is reported as added
    for table in CONTRACT_TABLES:  # fixed names, never input
        current_columns = _columns(con, current, table)
        previous_columns = _columns(con, "previous", table) if attached else []
        if not previous_columns:
            con.execute(
                f"""INSERT INTO candidate.ops.release_changes
                    SELECT '{table}', {_key_sql("c", table)}, 'added', NULL, $run_id, $previous
                    FROM {current}.marts.{table} c""",
                {"run_id": run_id, "previous": previous_run_id},
            )
            continue
        scope = (
            f"WHERE t.article_id IN ({rebuilt_articles})"
            if rebuilt_articles is not None and table in REBUILT_BY_ARTICLE
            else ""
        )
        # columns added or dropped between releases are not compared; their tables still are
        shared = [c for c in current_columns if c in previous_columns]
        differs = [f'c."{c}" IS DISTINCT FROM p."{c}"' for c in shared]
        named = ", ".join(f'CASE WHEN c."{c}" IS DISTINCT FROM p."{c}" THEN \'{c}\' END' for c in shared)
        con.execute(
            f"""INSERT INTO candidate.ops.release_changes
                WITH c AS (SELECT {_key_sql("t", table)} AS row_key, * FROM {current}.marts.{table} t {scope}),
                     p AS (SELECT {_key_sql("t", table)} AS row_key, * FROM previous.marts.{table} t {scope})
                SELECT '{table}',
                       coalesce(c.row_key, p.row_key),
                       CASE WHEN p.row_key IS NULL THEN 'added'
                            WHEN c.row_key IS NULL THEN 'removed' ELSE 'changed' END,
                       CASE WHEN c.row_key IS NOT NULL AND p.row_key IS NOT NULL
                            THEN list_filter([{named}], lambda x: x IS NOT NULL) END,
                       $run_id, $previous
                FROM c FULL OUTER JOIN p ON c.row_key = p.row_key
                WHERE c.row_key IS NULL OR p.row_key IS NULL OR {" OR ".join(differs) or "false"}""",
            {"run_id": run_id, "previous": previous_run_id},
        )
    if attached:
        con.execute("DETACH previous")
    return previous_run_id


def write_release_row(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    published_at: datetime,
    previous_run_id: str | None,
    counts: dict[str, int],
    gate_summary: str | None,
    written_as_changes: int = 0,
) -> None:
    """ops.release of the candidate attached as `candidate` (after write_release_changes)."""
    con.execute(
        "INSERT INTO candidate.ops.release VALUES (?, ?, ?, ?, ?, ?)",
        [
            run_id,
            published_at,
            previous_run_id,
            json.dumps(counts, sort_keys=True),
            gate_summary,
            written_as_changes,
        ],
    )


def releases_written_as_changes(con: duckdb.DuckDBPyConnection, db: str) -> int | None:
    """`written_as_changes` of the release attached as `db`; None when it does not say."""
    try:
        row = con.execute(f"SELECT written_as_changes FROM {db}.ops.release").fetchone()
    except duckdb.Error:
        return None
    return None if row is None or row[0] is None else int(row[0])


def apply_release_changes(
    con: duckdb.DuckDBPyConnection, current: str, rebuilt_articles: str | None = None
) -> list[str]:
    """Make the candidate's marts (a copy of the previous release) equal to `current`'s marts
    by applying ops.release_changes: the rows removed or changed go, the rows added or changed
    come from `current`. Returns the tables that changed."""
    changed_tables = [
        row[0]
        for row in con.execute("SELECT DISTINCT table_name FROM candidate.ops.release_changes").fetchall()
    ]
    for table in CONTRACT_TABLES:  # fixed names, never input
        if table not in changed_tables:
            continue
        scope = (
            f"article_id IN ({rebuilt_articles}) AND "
            if rebuilt_articles is not None and table in REBUILT_BY_ARTICLE
            else ""
        )
        changes = f"SELECT row_key FROM candidate.ops.release_changes WHERE table_name = '{table}'"
        con.execute(
            f"""DELETE FROM candidate.marts.{table}
                WHERE {scope}{_key_sql("", table)} IN ({changes} AND change <> 'added')"""
        )
        con.execute(
            f"""INSERT INTO candidate.marts.{table} BY NAME
                SELECT * FROM {current}.marts.{table}
                WHERE {scope}{_key_sql("", table)} IN ({changes} AND change <> 'removed')"""
        )
    return changed_tables


def keep(published: Path, home: Path, run_id: str) -> Path:
    """Keep the file just published as `releases/<run_id>.duckdb`: a hard link, else a copy."""
    folder = releases_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{run_id}.duckdb"
    partial = folder / f".{run_id}.duckdb.partial"
    partial.unlink(missing_ok=True)
    try:
        os.link(published, partial)
    except OSError:
        shutil.copy2(published, partial)  # another file system: a copy
    os.replace(partial, target)
    return target


def prune(home: Path, keep_count: int | None = None) -> list[Path]:
    """Drop the oldest releases beyond the retention; the published one is never dropped."""
    keep_count = keep_count or retention()
    published_inode = _inode(Path(home) / PUBLISHED_NAME)
    kept = sorted(releases_dir(home).glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    dropped = [p for p in kept[keep_count:] if _inode(p) != published_inode]
    for path in dropped:
        path.unlink(missing_ok=True)
    return dropped


def oldest_kept_run_start(home: Path) -> float | None:
    """When the run of the oldest kept release started (epoch seconds; run ids begin with the
    local start time), or None when no release is kept."""
    starts = []
    for path in releases_dir(home).glob("*.duckdb"):
        try:
            starts.append(datetime.strptime(path.stem[:15], "%Y%m%dT%H%M%S").timestamp())
        except ValueError:
            continue  # not named by a run id
    return min(starts) if starts else None


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def read_release(path: Path, published_inode: int | None = None) -> Release:
    con = duckdb.connect(str(path), read_only=True)
    try:
        try:
            run_id, at, previous, counts, gates = con.execute(
                "SELECT run_id, published_at, previous_run_id, row_counts, gate_summary FROM ops.release"
            ).fetchone()
            row_counts = json.loads(counts)
        except duckdb.Error:
            run_id, at, previous, row_counts, gates = path.stem, None, None, {}, None
    finally:
        con.close()
    return Release(run_id, path, at, previous, row_counts, gates, _inode(path) == published_inode)


def list_releases(home: Path) -> list[Release]:
    """The kept releases, newest first."""
    published_inode = _inode(Path(home) / PUBLISHED_NAME)
    paths = sorted(releases_dir(home).glob("*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    return [read_release(p, published_inode) for p in paths]


def rollback(home: Path, run_id: str) -> Release:
    """Republish a kept release: re-check it, then swap it in (under the run lock)."""
    from flows.lock import run_lock
    from flows.publish import check_candidate, move_parquet, parquet_dir, swap_in, write_parquet
    from flows.state import connect_state, state_path

    home = Path(home)
    source = releases_dir(home) / f"{run_id}.duckdb"
    if not source.exists():
        known = ", ".join(r.run_id for r in list_releases(home)) or "none"
        raise ReleaseError(f"no release {run_id} under {releases_dir(home)} (kept: {known})")
    release = read_release(source)
    if not release.row_counts:
        raise ReleaseError(f"release {run_id} has no ops.release record: it cannot be re-checked")
    published = home / PUBLISHED_NAME
    rollback_id = datetime.now().strftime("%Y%m%dT%H%M%S") + f"-rollback-{run_id}"[:60]
    with run_lock(home, rollback_id):
        candidate = published.with_name(f".{published.name}.{rollback_id}.candidate")
        candidate.unlink(missing_ok=True)
        try:
            try:
                os.link(source, candidate)
            except OSError:
                shutil.copy2(source, candidate)
            check_candidate(candidate, {f"marts.{t}": n for t, n in release.row_counts.items()})
            staging = write_parquet(candidate, published.with_name(f".parquet.{rollback_id}.staging"))
            swap_in(candidate, published)
            move_parquet(staging, parquet_dir(published), release.run_id)
        finally:
            candidate.unlink(missing_ok=True)
        if state_path(home).exists():
            con = connect_state(home)
            try:
                now = datetime.now()
                con.execute(
                    """INSERT INTO ops.run_log (run_id, started_at, finished_at, status, gate_summary, message)
                       VALUES (?, ?, ?, 'rolled_back', ?, ?)""",
                    [rollback_id, now, now, release.gate_summary, f"republished release {run_id}"],
                )
            finally:
                con.close()
    return read_release(source, _inode(published))


def change_summary(published: Path) -> list[tuple[str, int, int, int]]:
    """(table, added, removed, changed) of the published release, for `status`."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        return con.execute(
            """SELECT table_name, count(*) FILTER (WHERE change = 'added'),
                      count(*) FILTER (WHERE change = 'removed'), count(*) FILTER (WHERE change = 'changed')
               FROM ops.release_changes GROUP BY 1 ORDER BY 1"""
        ).fetchall()
    except duckdb.Error:
        return []
    finally:
        con.close()

"""`steppewatch rebuild-state`: a new state database, landed again from the inbox.

For a state database that is corrupt or truncated (or that one wants to start afresh). Under
the run lock, the old file (and its WAL) is moved aside as `state.duckdb.corrupt-<time>` (or
`.old-<time>` when it still opens), the run log is carried over from the published copy, and
every file of the inbox is landed into a fresh state database. The next `steppewatch run`
extracts and publishes. Every published id is a hash of what landing reads (the source path, the
ordinal of an article in its file, the body), so the rebuilt warehouse has the same ids; the one
exception is a file reverted to an earlier content, whose document_id was keyed by the revert's run.
The published file is not touched until that next run's audited publish.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from flows.land import land_inbox
from flows.lock import run_lock
from flows.paths import PUBLISHED_NAME
from flows.state import StateDatabaseDamaged, connect_state, state_path

RUN_LOG_COLUMNS = (
    "run_id, started_at, finished_at, status, documents_landed, documents_quarantined, articles, "
    "articles_extracted, gate_summary, message"
)


@dataclass
class RebuildSummary:
    run_id: str
    moved_aside: Path | None
    runs_carried_over: int
    documents_landed: int
    articles: int
    quarantined: int


def _state_opens(path: Path) -> bool:
    try:
        connect_state(path.parent).close()
    except (StateDatabaseDamaged, duckdb.Error):
        return False
    return True


def move_aside(path: Path, stamp: str) -> Path | None:
    """Rename the state database (and its WAL) out of the way; None when there is none."""
    if not path.exists():
        return None
    kind = "old" if _state_opens(path) else "corrupt"
    target = path.with_name(f"{path.name}.{kind}-{stamp}")
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        os.replace(wal, target.with_name(target.name + ".wal"))
    os.replace(path, target)
    return target


def _carry_run_log(con: duckdb.DuckDBPyConnection, published: Path) -> int:
    """The run history as of the last publish, from the published copy (the old state is unreadable)."""
    if not published.exists():
        return 0
    con.execute("ATTACH ? AS published (READ_ONLY)", [str(published)])
    try:
        con.execute(
            f"INSERT INTO ops.run_log ({RUN_LOG_COLUMNS}) SELECT {RUN_LOG_COLUMNS} FROM published.ops.run_log"
        )
        return con.execute("SELECT count(*) FROM ops.run_log").fetchone()[0]
    finally:
        con.execute("DETACH published")


def rebuild_state(inbox: Path, home: Path) -> RebuildSummary:
    if not Path(inbox).is_dir():
        raise FileNotFoundError(f"inbox {inbox} is not a directory")
    run_id = datetime.now().strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    started_at = datetime.now()
    with run_lock(home, run_id):
        moved = move_aside(state_path(home), started_at.strftime("%Y%m%dT%H%M%S"))
        con = connect_state(home)
        try:
            carried = _carry_run_log(con, home / PUBLISHED_NAME)
            landed = land_inbox(inbox, con, run_id, started_at)
            articles = con.execute("SELECT count(*) FROM raw.articles").fetchone()[0]
            message = "state database rebuilt from the inbox" + (
                f"; the previous one is kept at {moved}" if moved else ""
            )
            con.execute(
                f"INSERT INTO ops.run_log ({RUN_LOG_COLUMNS}) VALUES (?, ?, ?, 'rebuilt_state', ?, ?, ?, 0, '', ?)",
                [
                    run_id,
                    started_at,
                    datetime.now(),
                    landed.documents_new,
                    landed.quarantined,
                    articles,
                    message,
                ],
            )
        finally:
            con.close()
    return RebuildSummary(run_id, moved, carried, landed.documents_new, articles, landed.quarantined)

"""`steppewatch status`: the last runs, published tables, gate results and quarantine."""

from __future__ import annotations

from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from flows.audit import CONTRACT_TABLES
from flows.paths import PUBLISHED_NAME
from flows.publish import published_at
from flows.state import state_path


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection | None:
    if not path.exists():
        return None
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None  # a run holds it read-write right now


def print_status(home: Path) -> int:
    console = Console()
    published = home / PUBLISHED_NAME
    state = _open_read_only(state_path(home))
    pub = _open_read_only(published)
    # The state database knows about failed runs too; the published file only up to its publish.
    source = state or pub
    if source is None:
        console.print(f"No warehouse under {home} yet: run `steppewatch run`.")
        return 1
    if state is None and state_path(home).exists():
        console.print("[yellow]A run is in progress (state database locked); showing the published copy.[/]")

    runs = Table(title="Last runs")
    for column in ("run_id", "status", "started", "finished", "landed", "quarantined", "articles", "gates"):
        runs.add_column(column, overflow="fold")
    for row in source.execute(
        """SELECT run_id, status, started_at, finished_at, documents_landed, documents_quarantined,
                  articles, gate_summary FROM ops.run_log ORDER BY started_at DESC LIMIT 10"""
    ).fetchall():
        runs.add_row(*[("" if v is None else str(v)) for v in row])
    console.print(runs)

    if pub is not None:
        tables = Table(title=f"Published: {published} (as of {published_at(published):%Y-%m-%d %H:%M:%S})")
        tables.add_column("table")
        tables.add_column("rows", justify="right")
        for name in CONTRACT_TABLES:
            try:
                count = pub.execute(f"SELECT count(*) FROM marts.{name}").fetchone()[0]
            except duckdb.Error:
                count = "missing"
            tables.add_row(f"marts.{name}", str(count))
        console.print(tables)
    else:
        console.print(f"Nothing published yet at {published}.")

    quarantine = Table(title="Quarantine")
    for column in ("source_uri", "stage", "reason", "quarantined_at", "raw_path"):
        quarantine.add_column(column, overflow="fold")
    rows = source.execute(
        "SELECT source_uri, stage, reason, quarantined_at, raw_path FROM ops.quarantine ORDER BY quarantined_at DESC"
    ).fetchall()
    for row in rows:
        quarantine.add_row(*[("" if v is None else str(v)) for v in row])
    console.print(quarantine if rows else "Quarantine: empty")

    docs = home / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    if docs.exists():
        console.print(f"Data Docs (gate results): {docs}")
    for con in (state, pub):
        if con is not None:
            con.close()
    return 0

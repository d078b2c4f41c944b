"""`steppewatch status`: the last runs, published tables, gate results and quarantine."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from flows.audit import CONTRACT_TABLES
from flows.paths import PUBLISHED_NAME
from flows.publish import published_at
from flows.state import state_path

# Shared with `steppewatch report` (flows/report/), which shows the same runs, gates and quarantine.
RUN_LOG_SQL = """SELECT run_id, status, started_at, finished_at, documents_landed, documents_quarantined,
                        articles, gate_summary, message FROM ops.run_log ORDER BY started_at DESC"""
QUARANTINE_SQL = """SELECT source_uri, stage, reason, quarantined_at, raw_path
                    FROM ops.quarantine ORDER BY quarantined_at DESC"""


def gate_parts(gate_summary: str | None) -> list[str]:
    """One line per gate of a run ('landing: 18/18 checks passed', ...), or 'not reached'."""
    return (gate_summary or "not reached").split(" | ")


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection | None:
    if not path.exists():
        return None
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None  # a run holds it read-write right now, or it is damaged (see _state_problem)


def _state_problem(path: Path) -> str | None:
    """Why the state database cannot be read: damaged (with the way out), or locked by a run."""
    from flows.state import damaged_message, looks_damaged

    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.Error as error:
        return damaged_message(path, error) if looks_damaged(error) else None
    return None


def _print_languages(console: Console, source: duckdb.DuckDBPyConnection) -> None:
    """Current articles per language, and how many no extractor reads (Kazakh, Kyrgyz, Uzbek, ...)."""
    from flows.extract import EXTRACTED_LANGUAGES
    from flows.extract.store import CURRENT_ARTICLES_SQL

    try:
        rows = source.execute(
            f"""WITH current_articles AS ({CURRENT_ARTICLES_SQL})
                SELECT coalesce(language, 'und'), count(*) FROM current_articles GROUP BY 1 ORDER BY 2 DESC, 1"""
        ).fetchall()
    except duckdb.Error:
        return
    if not rows:
        return
    skipped = sum(n for language, n in rows if language not in EXTRACTED_LANGUAGES)
    listed = ", ".join(f"{language} {n}" for language, n in rows)
    console.print(f"Articles by language: {listed}")
    console.print(
        f"Skipped for their language (landed, marked, not extracted): {skipped}"
        if skipped
        else "Skipped for their language: none"
    )


def _print_release_changes(console: Console, published: Path) -> None:
    """What the published release changed since the one before (ops.release_changes)."""
    from flows.releases import change_summary, read_release

    try:
        release = read_release(published)
    except duckdb.Error:
        return
    changes = change_summary(published)
    if not changes:
        return
    since = f"since release {release.previous_run_id}" if release.previous_run_id else "(the first release)"
    listed = "; ".join(
        f"{table} +{added} -{removed} ~{changed}"
        for table, added, removed, changed in changes
        if added or removed or changed
    )
    console.print(f"Release {release.run_id} changes {since}: {listed or 'none'}")


def _print_damaged_documents(console: Console, source: duckdb.DuckDBPyConnection) -> None:
    """A warning line per current document that landed with undecodable bytes replaced."""
    from flows.land import CURRENT_DOCUMENTS_SQL

    try:
        rows = source.execute(
            f"""SELECT d.source_uri, d.decode_replacements FROM raw.documents d
                JOIN ({CURRENT_DOCUMENTS_SQL}) USING (document_id)
                WHERE d.decode_replacements > 0 ORDER BY d.source_uri"""
        ).fetchall()
    except duckdb.Error:
        return  # the published copy has no raw tables
    for source_uri, replaced in rows:
        console.print(
            f"[yellow]Warning:[/] {escape(source_uri)}: {replaced} undecodable bytes replaced by U+FFFD "
            "(damaged UTF-8); the rest of its text is landed",
            markup=True,
            highlight=False,
        )


def print_status(home: Path) -> int:
    # Wide enough for paths and run ids when printed to a pipe or a log.
    console = Console(width=None if sys.stdout.isatty() else 160)
    published = home / PUBLISHED_NAME
    state = _open_read_only(state_path(home))
    pub = _open_read_only(published)
    # The state database knows about failed runs too; the published file only up to its publish.
    source = state or pub
    if source is None:
        damage = _state_problem(state_path(home)) if state_path(home).exists() else None
        console.print(
            f"[red]STATE DATABASE DAMAGED:[/] {escape(damage)}"
            if damage
            else f"No warehouse under {home} yet: run `steppewatch run`."
        )
        return 1
    if state is None and state_path(home).exists():
        damage = _state_problem(state_path(home))
        if damage:
            console.print(f"[red]STATE DATABASE DAMAGED:[/] {escape(damage)}", highlight=False)
        else:
            console.print(
                "[yellow]A run is in progress (state database locked); showing the published copy.[/]"
            )

    runs = Table(title="Last runs")
    for column in ("run_id", "status", "started", "took", "landed", "quarantined", "articles"):
        runs.add_column(column, no_wrap=True)
    history = source.execute(f"{RUN_LOG_SQL} LIMIT 10").fetchall()
    for run_id, status, started, finished, landed, quarantined, articles, _, _ in history:
        took = f"{(finished - started).total_seconds():.0f} s" if finished and started else ""
        runs.add_row(
            run_id,
            status,
            f"{started:%Y-%m-%d %H:%M:%S}",
            took,
            *[("" if v is None else str(v)) for v in (landed, quarantined, articles)],
        )
    console.print(runs)
    if history:
        run_id, status, *_, gates, message = history[0]
        console.print(f"Gates of the last run ({run_id}, {status}):")
        for part in gate_parts(gates):
            console.print(f"  - {part}")
        if message:
            console.print(f"  message: {message}")

    if pub is not None:
        console.print(f"Published: {published} (as of {published_at(published):%Y-%m-%d %H:%M:%S})")
        tables = Table()
        tables.add_column("table")
        tables.add_column("rows", justify="right")
        for name in CONTRACT_TABLES:
            try:
                count = pub.execute(f"SELECT count(*) FROM marts.{name}").fetchone()[0]
            except duckdb.Error:
                count = "missing"
            tables.add_row(f"marts.{name}", str(count))
        console.print(tables)
        _print_release_changes(console, published)
    else:
        console.print(f"Nothing published yet at {published}.")

    _print_languages(console, source)
    _print_damaged_documents(console, source)

    quarantine = Table(title="Quarantine")
    for column in ("source_uri", "stage", "reason", "quarantined_at", "raw_path"):
        quarantine.add_column(column, overflow="fold")
    rows = source.execute(QUARANTINE_SQL).fetchall()
    for row in rows:
        quarantine.add_row(*[("" if v is None else str(v)) for v in row])
    console.print(quarantine if rows else "Quarantine: empty")

    docs = home / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    if docs.exists():
        console.print(f"Data Docs (gate results): {docs}")
    dbt_docs = home / "docs" / "dbt" / "index.html"
    console.print(
        f"dbt docs (tables and lineage): {dbt_docs}"
        if dbt_docs.exists()
        else "dbt docs: not built yet (`steppewatch docs`)"
    )
    for con in (state, pub):
        if con is not None:
            con.close()
    return 0

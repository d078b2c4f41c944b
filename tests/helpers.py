"""Helpers shared by test modules (pytest puts tests/ on sys.path)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from flows.audit import CONTRACT_TABLES


def warehouse_rows(published: Path) -> dict[str, list[str]]:
    """Every row of every contract table, sorted; timestamps (landing times) left out."""
    con = duckdb.connect(str(published), read_only=True)
    try:
        out = {}
        for table in CONTRACT_TABLES:
            columns = [
                f'"{name}"'
                for name, kind in con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'marts' AND table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if not kind.startswith("TIMESTAMP")
            ]
            rows = con.execute(f"SELECT {', '.join(columns)} FROM marts.{table}").fetchall()
            out[table] = sorted(repr(r) for r in rows)
        return out
    finally:
        con.close()


def as_full_build(con: duckdb.DuckDBPyConnection) -> None:
    """Make a copy of a published file gate-able as a build: every article counts as rebuilt.

    The marts gate checks row by row the articles the build rebuilt (a build file lists them
    in intermediate.int_articles_to_reresolve); a published file has no such list.
    """
    con.execute("CREATE SCHEMA IF NOT EXISTS intermediate")
    con.execute(
        "CREATE OR REPLACE TABLE intermediate.int_articles_to_reresolve AS "
        "SELECT article_id, 'added' AS change FROM marts.dim_article"
    )


def set_extracted_at(con: duckdb.DuckDBPyConnection, sha: str, version: str, moment: datetime) -> None:
    """Mark a body as extracted at `moment`: a bad row slipped in beside a new extraction is what
    the next run's landing gate audits (it reads what was extracted after the last run's gate)."""
    con.execute(
        "UPDATE nlp.extractions SET extracted_at = ? WHERE content_sha256 = ? AND extractor_version = ?",
        [moment, sha, version],
    )

"""The published warehouse opens read-only the three ways analysts' tools open it.

- SQLAlchemy + duckdb-engine, with the URL from the README (Superset's path);
- DuckDB 1.4 LTS, the version BI drivers embed (Metabase's DuckDB driver, Evidence);
- the DuckDB CLI with -readonly (also what Harlequin wraps).

Each one reads the contract tables of a freshly published file and is refused a write.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from flows.audit import CONTRACT_TABLES
from flows.paths import PROJECT_ROOT, PUBLISHED_NAME

pytestmark = pytest.mark.slow

LTS_PATH = PROJECT_ROOT / ".venv" / "duckdb14"
# Where the `duckdb-cli` wheel puts its binary: the venv's bin, or bin/ of the LTS --target folder.
CLI_CANDIDATES = (PROJECT_ROOT / ".venv" / "bin" / "duckdb", LTS_PATH / "bin" / "duckdb")
WHO_WAS_DETAINED = """
    SELECT a.name, d.term_days FROM marts.fct_detention d JOIN marts.dim_actor a USING (actor_id)
    WHERE a.name = 'Asiya Tulesova'
"""


def sqlalchemy_url(published: Path) -> str:
    """The connection string the README gives for Superset and other SQLAlchemy tools."""
    return f"duckdb:///{published.resolve()}?access_mode=read_only"


def duckdb_cli() -> Path | None:
    for candidate in CLI_CANDIDATES:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("duckdb")
    return Path(found) if found else None


@pytest.fixture(scope="module")
def published(sample_run) -> Path:
    home, _ = sample_run
    return home / PUBLISHED_NAME


def test_sqlalchemy_duckdb_engine_reads_read_only(published):
    engine = sa.create_engine(sqlalchemy_url(published))
    try:
        with engine.connect() as connection:
            assert set(CONTRACT_TABLES) <= set(sa.inspect(connection).get_table_names(schema="marts"))
            assert (
                connection.execute(sa.text("SELECT current_setting('access_mode')")).scalar() == "read_only"
            )
            rows = connection.execute(sa.text(WHO_WAS_DETAINED)).all()
            assert [tuple(r) for r in rows] == [("Asiya Tulesova", 15)]
            articles = connection.execute(
                sa.text("SELECT count(*) FROM marts.dim_article WHERE char_count > :min_chars"),
                {"min_chars": 0},
            ).scalar()
            assert articles == 8
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                connection.execute(sa.text("CREATE TABLE marts.scratch (x INTEGER)"))
    finally:
        engine.dispose()  # a pooled handle with another configuration would block later opens


def test_duckdb_lts_reads_read_only(published):
    if not LTS_PATH.exists():
        pytest.skip("DuckDB 1.4 LTS is installed by `make install` under .venv/duckdb14")
    probe = (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        'tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables '
        "WHERE table_schema = 'marts'\").fetchall()}\n"
        "print(duckdb.__version__)\n"
        "print(','.join(sorted(tables)))\n"
        "print(con.execute(sys.argv[2]).fetchall())\n"
        "try:\n"
        "    con.execute('CREATE TABLE marts.scratch (x INTEGER)')\n"
        "    print('WROTE')\n"
        "except duckdb.Error as error:\n"
        "    print('REFUSED', type(error).__name__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(published), WHO_WAS_DETAINED],
        env={**os.environ, "PYTHONPATH": str(LTS_PATH)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    version, tables, detained, write = done.stdout.strip().splitlines()
    assert version.startswith("1.4.")
    assert set(CONTRACT_TABLES) <= set(tables.split(","))
    assert detained == "[('Asiya Tulesova', 15)]"
    assert write.startswith("REFUSED")


def test_duckdb_cli_reads_read_only(published):
    cli = duckdb_cli()
    if cli is None:
        pytest.skip("no DuckDB CLI: the `duckdb-cli` package (PyPI) installs one into .venv/bin")
    version = subprocess.run([str(cli), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("v1."), version.stdout + version.stderr
    done = subprocess.run(
        [str(cli), "-readonly", str(published), "-csv", "-c", WHO_WAS_DETAINED.strip()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() == ["name,term_days", "Asiya Tulesova,15"]
    # A worked query from queries/ straight from its file, as the README shows.
    with open(PROJECT_ROOT / "queries" / "01_who_was_detained.sql", encoding="utf-8") as sql:
        listed = subprocess.run(
            [str(cli), "-readonly", str(published), "-csv"],
            stdin=sql,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert listed.returncode == 0, listed.stderr
    assert "Asiya Tulesova" in listed.stdout and "administrative_arrest" in listed.stdout
    refused = subprocess.run(
        [str(cli), "-readonly", str(published), "-c", "CREATE TABLE marts.scratch (x INTEGER)"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode != 0 and "read-only" in (refused.stdout + refused.stderr)

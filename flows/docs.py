"""`steppewatch docs`: the dbt docs site and the Great Expectations Data Docs of one home.

dbt docs are generated against a private copy of the *published* warehouse, not the build
file: the build file only lives for the length of a run, while the published file is what
analysts open, so the catalog (column types, row counts) describes exactly what they query.
The copy keeps readers' file untouched (dbt opens its target read-write) and is named like
the published file, so the docs show the same database name an analyst sees. dbt runs in a
subprocess so that no DuckDB handle on the state database outlives it in the caller (a
later run in the same process must be able to open the state database read-write).

Staging and intermediate models are not published, so their catalog entries are empty; the
manifest still carries their SQL, YAML descriptions and the full lineage graph.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from flows.paths import DBT_PROJECT_DIR, PUBLISHED_NAME
from flows.state import state_path

DBT_DOCS_FILES = ("index.html", "static_index.html", "manifest.json", "catalog.json")
DBT_TIMEOUT_S = 900


class DocsError(RuntimeError):
    """The docs could not be generated (nothing published yet, or dbt failed)."""


@dataclass
class DocsOutcome:
    dbt_index: Path | None = None  # served over HTTP: fetches manifest.json and catalog.json beside it
    dbt_static: Path | None = None  # one self-contained page that also opens from file://
    data_docs: Path | None = None
    notes: list[str] = field(default_factory=list)


def dbt_docs_dir(home: Path) -> Path:
    return home / "docs" / "dbt"


def data_docs_index(home: Path) -> Path:
    return home / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"


def _state_for_catalog(state_db: Path, scratch: Path) -> tuple[Path, str | None]:
    """The state database if it can be read now, else an empty stand-in (sources lose their catalog)."""
    if state_db.exists():
        try:
            duckdb.connect(str(state_db), read_only=True).close()
            return state_db, None
        except duckdb.Error:
            pass  # a run holds it read-write right now
    empty = scratch / "state.duckdb"
    duckdb.connect(str(empty)).close()
    note = f"state database {state_db} not readable now: source tables are documented without a catalog"
    return empty, note


def _extractor_version() -> str:
    from flows.extract import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def _run_dbt_docs(published_copy: Path, state_db: Path, target: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "dbt.cli.main",
        "docs",
        "generate",
        "--static",
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(target.parent / "logs"),
        "--vars",
        json.dumps({"extractor_version": _extractor_version()}),
    ]
    env = {
        **os.environ,
        "STEPPEWATCH_BUILD_DB": str(published_copy),
        "STEPPEWATCH_STATE_DB": str(state_db),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=DBT_TIMEOUT_S)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise DocsError(f"dbt docs generate failed (exit {done.returncode}): {output[-1500:]}")


def generate_dbt_docs(home: Path) -> tuple[Path, list[str]]:
    """Generate dbt docs for the published warehouse of `home` into `<home>/docs/dbt/`; return index.html."""
    published = home / PUBLISHED_NAME
    if not published.exists():
        raise DocsError(f"nothing published at {published} yet: run `steppewatch run` first")
    out_dir = dbt_docs_dir(home)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix=".dbt-docs-", dir=out_dir.parent) as scratch_name:
        scratch = Path(scratch_name)
        published_copy = scratch / PUBLISHED_NAME
        shutil.copyfile(published, published_copy)
        state_db, note = _state_for_catalog(state_path(home), scratch)
        if note:
            notes.append(note)
        target = scratch / "target"
        _run_dbt_docs(published_copy, state_db, target)
        missing = [name for name in DBT_DOCS_FILES if not (target / name).exists()]
        if missing:
            raise DocsError(f"dbt docs generate wrote no {', '.join(missing)}")
        # Replace the whole folder at once so a browser never sees a manifest from one run
        # beside a catalog from another.
        fresh = scratch / "site"
        fresh.mkdir()
        for name in DBT_DOCS_FILES:
            shutil.copy2(target / name, fresh / name)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        shutil.move(fresh, out_dir)
    return out_dir / "index.html", notes


def build_data_docs(home: Path) -> Path | None:
    """Rebuild the Great Expectations Data Docs from the validations stored under `<home>/gx`."""
    if not (home / "gx").is_dir():
        return None
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    gx.get_context(mode="file", project_root_dir=str(home)).build_data_docs()
    index = data_docs_index(home)
    return index if index.exists() else None


def build_docs(home: Path) -> DocsOutcome:
    """Both documentation sites of `home`; raises DocsError when dbt docs cannot be made."""
    index, notes = generate_dbt_docs(home)
    outcome = DocsOutcome(dbt_index=index, dbt_static=index.with_name("static_index.html"), notes=notes)
    outcome.data_docs = build_data_docs(home)
    if outcome.data_docs is None:
        outcome.notes.append(f"no Great Expectations results under {home / 'gx'} yet: run `steppewatch run`")
    return outcome

"""Where the project's own files are, resolved from the installed (editable) package."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"
SAMPLE_CORPUS = PROJECT_ROOT / "corpus" / "samples"
DEFAULT_HOME = PROJECT_ROOT / "warehouse"
PUBLISHED_NAME = "steppewatch.duckdb"

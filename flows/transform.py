"""Transform: `dbt build` of dbt_project/ into a new build file, from the state database.

dbt attaches the state database read-only and writes every model, seed and test into a
fresh file, so a failed build never touches anything a reader can see. `dbt build` also
runs the project's data tests: their failures are the first half of the audit.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from flows.paths import DBT_PROJECT_DIR


@dataclass
class DbtOutcome:
    success: bool
    passed: int = 0
    failures: list[str] = field(default_factory=list)  # "node: status: message"
    disk_full: bool = False  # a node failed for lack of disk space (the message's later lines say so)

    def summary(self) -> str:
        if self.success:
            return f"dbt: {self.passed} nodes ok"
        return "dbt: " + "; ".join(self.failures[:10])


def dbt_env(state_db: Path, build_db: Path) -> dict[str, str]:
    return {
        "STEPPEWATCH_STATE_DB": str(state_db),
        "STEPPEWATCH_BUILD_DB": str(build_db),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
    }


def run_dbt(
    command: list[str], state_db: Path, build_db: Path, work_dir: Path, extractor_version: str
) -> DbtOutcome:
    """Run one dbt command in-process through dbtRunner and summarise its node results."""
    from dbt.cli.main import dbtRunner  # heavy import: only when a transform really runs

    from flows.diskfull import mentions_disk_full

    os.environ.update(dbt_env(state_db, build_db))
    work_dir.mkdir(parents=True, exist_ok=True)
    args = [
        *command,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(work_dir / "target"),
        "--log-path",
        str(work_dir / "logs"),
        "--vars",
        json.dumps({"extractor_version": extractor_version}),
        "--quiet",
    ]
    result = dbtRunner().invoke(args)
    outcome = DbtOutcome(success=bool(result.success))
    node_results = getattr(result.result, "results", None) or []
    for node_result in node_results:
        status = str(getattr(node_result, "status", "")).lower()
        name = getattr(getattr(node_result, "node", None), "name", "?")
        if status in {"success", "pass"}:
            outcome.passed += 1
        elif status not in {"skipped"}:
            text = getattr(node_result, "message", None) or ""
            message = text.splitlines()
            outcome.failures.append(f"{name}: {status}: {message[0] if message else ''}")
            outcome.disk_full = outcome.disk_full or mentions_disk_full(text)
    if not outcome.success and not outcome.failures:
        outcome.failures.append(f"dbt {' '.join(command)} failed: {result.exception}")
    outcome.disk_full = outcome.disk_full or mentions_disk_full(str(result.exception or ""))
    return outcome


def build_warehouse(state_db: Path, build_db: Path, work_dir: Path, extractor_version: str) -> DbtOutcome:
    """Seed, model and data-test everything into `build_db`, which must not exist yet.

    dbt unit tests check the SQL logic, not the data: the test suite runs them
    (tests/test_dbt_project.py), so a production run skips them.
    """
    from flows.diskfull import write_fault_point

    if build_db.exists():
        build_db.unlink()
    outcome = run_dbt(
        ["build", "--exclude-resource-type", "unit_test"], state_db, build_db, work_dir, extractor_version
    )
    # dbt's own writes are inside DuckDB; the injected fault stands for the build's last one,
    # once the build file exists. A real full disk comes back as a failed node ("No space left
    # on device"), which the flow reports as a full disk, not as a failed gate.
    write_fault_point("transform")
    return outcome

"""Transform: `dbt build` of dbt_project/ into a new build file, from the state database.

dbt attaches the state database read-only and writes every model, seed and test into the
run's own build file, so a failed build never touches anything a reader can see. `dbt build`
also runs the project's data tests: their failures are the first half of the audit.

Incremental builds: after a publish, the audited build file is kept as the base of the next
run (`<home>/base/`). The next build starts as a copy of it, and the article-keyed incremental
models rebuild only the articles that changed (dbt_project/macros/incremental.sql). The base
is used only when it was built by the same dbt project, build code and extractor version;
otherwise, or with `--full-refresh`, the build starts from nothing. Both give the same rows
(tests/test_incremental.py).
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
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


BASE_DIR_NAME = "base"
BASE_BUILD_NAME = "build.duckdb"
BASE_RECORD_NAME = "build.json"
# What an incremental build runs: every node that reads the state database, and their tests.
INCREMENTAL_SELECTION = ("source:raw+", "source:nlp+")
# What a base build must share with the run that starts from it.
BASE_INPUT_KEYS = ("extractor_version", "code")


def base_dir(home: Path) -> Path:
    return Path(home) / BASE_DIR_NAME


@dataclass(frozen=True)
class BaseBuild:
    path: Path
    run_id: str
    started_at: datetime  # what was landed or extracted before this passed that run's gates


def incremental_base(home: Path, inputs: dict[str, str], full_refresh: bool) -> tuple[BaseBuild | None, str]:
    """(the build to start this run's build from, or None for a full build; why)."""
    if full_refresh:
        return None, "full refresh requested"
    directory = base_dir(home)
    try:
        record = json.loads((directory / BASE_RECORD_NAME).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "no audited build to start from"
    except (OSError, ValueError) as error:
        return None, f"unreadable base build record: {error}"
    changed = [key for key in BASE_INPUT_KEYS if record.get("inputs", {}).get(key) != inputs.get(key)]
    if changed:
        return None, "the base build was made by other " + " and ".join(
            "build code" if key == "code" else "extractor version" for key in changed
        )
    path = directory / BASE_BUILD_NAME
    if not path.is_file():
        return None, "the base build file is missing"
    try:
        base = BaseBuild(path, str(record["run_id"]), datetime.fromisoformat(record["started_at"]))
    except (KeyError, TypeError, ValueError) as error:
        return None, f"unreadable base build record: {error}"
    return base, f"incremental build from run {base.run_id}"


def keep_as_base(
    build_db: Path, home: Path, run_id: str, started_at: datetime, inputs: dict[str, str]
) -> None:
    """After a publish: the audited build becomes the next run's base.

    The record goes first and comes back last, so a crash in between leaves no record and the
    next run builds in full rather than from a base it cannot vouch for.
    """
    directory = base_dir(home)
    directory.mkdir(parents=True, exist_ok=True)
    record = directory / BASE_RECORD_NAME
    record.unlink(missing_ok=True)
    os.replace(build_db, directory / BASE_BUILD_NAME)
    partial = record.with_suffix(".partial")
    partial.write_text(
        json.dumps(
            {
                "run_id": run_id,
                "started_at": started_at.isoformat(),
                "inputs": {key: inputs.get(key) for key in BASE_INPUT_KEYS},
            }
        ),
        encoding="utf-8",
    )
    os.replace(partial, record)


def build_warehouse(
    state_db: Path, build_db: Path, work_dir: Path, extractor_version: str, base: BaseBuild | None = None
) -> DbtOutcome:
    """Seed, model and data-test everything into `build_db`, from nothing or from a copy of `base`.

    dbt unit tests check the SQL logic, not the data: the test suite runs them
    (tests/test_dbt_project.py), so a production run skips them.
    """
    from flows.diskfull import write_fault_point

    if build_db.exists():
        build_db.unlink()
    if base is not None:
        # A copy, never the base itself: a failed build must leave the base as it was.
        shutil.copyfile(base.path, build_db)
    command = ["build", "--exclude-resource-type", "unit_test"]
    if base is not None:
        # Seeds, the reference views and their tests are in the base as this code built them
        # (the base is only used when the code is unchanged): build what reads the state.
        command += ["--select", *INCREMENTAL_SELECTION]
    outcome = run_dbt(command, state_db, build_db, work_dir, extractor_version)
    # dbt's own writes are inside DuckDB; the injected fault stands for the build's last one,
    # once the build file exists. A real full disk comes back as a failed node ("No space left
    # on device"), which the flow reports as a full disk, not as a failed gate.
    write_fault_point("transform")
    return outcome

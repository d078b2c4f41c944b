"""Transform: `dbt build` of dbt_project/ into a new build file, from the state database.

dbt attaches the state database read-only and writes every model, seed and test into the
run's own build file, so a failed build never touches anything a reader can see. `dbt build`
also runs the project's data tests: their failures are the first half of the audit.

Incremental builds: after a publish, the audited build file is kept as the base of the next
run (`<home>/base/`). The next build starts as a copy of it, `dbt run` rebuilds the tables that
read the state (the views and seeds in the base are this code's), the article-keyed incremental
models rebuild only the articles that changed (dbt_project/macros/incremental.sql), and the marts
gate runs the data tests a full build ran as one batch (flows/data_tests.py). The base is used only
when it was built by the same dbt project, build code and extractor version; otherwise, or with
`--full-refresh`, the build starts from nothing. Both give the same rows
(tests/test_incremental.py).

The build file always has the same name (`<home>/build/build.duckdb`): dbt names the database
after the file, and a profile that changed with every run made dbt parse the whole project again
each time (about 5 s) and compile SQL no later run could reuse.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flows.data_tests import record_data_tests
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
    before = set(threading.enumerate())
    try:
        result = dbtRunner().invoke(args)
    finally:
        _wait_for_node_threads(before)
        _release_duckdb_files()
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


# How long a stopped build waits for a node dbt was running when the signal came.
NODE_THREAD_WAIT_S = 120.0


def _wait_for_node_threads(before: set[threading.Thread]) -> None:
    """Join the threads dbt ran nodes on (its ThreadPool's workers, started during the invoke).

    A build stopped by a signal returns while its threads may still run the nodes they had
    started: dbt joins them only after cancelling the adapter's connections, and dbt-duckdb's
    cancel raises on a connection already closed, so the join is skipped. Such a thread then
    opens a connection again, with the state database attached, after this module has released
    it: the run could not record its own interruption (seen with SIGINT during the seeds).
    """
    from multiprocessing.dummy import DummyProcess

    for thread in threading.enumerate():
        if thread not in before and isinstance(thread, DummyProcess):
            thread.join(NODE_THREAD_WAIT_S)


def _release_duckdb_files() -> None:
    """Close dbt-duckdb's database, whatever state dbt ended in.

    The profile keeps it open for the whole command (`keep_open`), so this is where it closes.
    A build stopped by a signal could also leave a cursor open, and with it the state database
    attached, so the run could not then record its own interruption (DuckDB refuses a second,
    writable, open of an attached file).
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV  # no public API for this
    if environment is not None:
        environment.close()
    DuckDBConnectionManager.close_all_connections()


BUILD_NAME = "build.duckdb"  # of the run's build file and of the base's copy
DATA_TESTS_NAME = "data_tests.json"  # beside either: the data tests an incremental build runs
BASE_DIR_NAME = "base"
BASE_RECORD_NAME = "build.json"
# What an incremental build rebuilds: every table that reads the state database. Its views are
# in the base as this code defined them.
INCREMENTAL_SELECTION = ("source:raw+", "source:nlp+")
INCREMENTAL_EXCLUSION = ("config.materialized:view",)
INCREMENTAL_LOG_LEVEL = "warn"  # of dbt's log file in an incremental build


def build_path(home: Path) -> Path:
    return Path(home) / "build" / BUILD_NAME


def data_tests_path(build_db: Path) -> Path:
    return build_db.with_name(DATA_TESTS_NAME)


# What a base build must share with the run that starts from it.
BASE_INPUT_KEYS = ("extractor_version", "code")


def base_dir(home: Path) -> Path:
    return Path(home) / BASE_DIR_NAME


@dataclass(frozen=True)
class BaseBuild:
    path: Path
    run_id: str
    # Everything landed or extracted before this moment passed that run's landing gate: the
    # next run's landing gate audits what came after it.
    gated_until: datetime

    @property
    def data_tests(self) -> Path:
        return data_tests_path(self.path)


def has_base(home: Path) -> bool:
    """Whether an audited build is kept for the next build to start from (without checking it)."""
    return (base_dir(home) / BASE_RECORD_NAME).is_file()


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
    path = directory / BUILD_NAME
    if not path.is_file():
        return None, "the base build file is missing"
    if not data_tests_path(path).is_file():
        return None, "the base build has no record of its data tests"
    try:
        # A record of an earlier version has only its run's start, which is earlier: it audits more.
        gated_until = record.get("gated_until") or record["started_at"]
        base = BaseBuild(path, str(record["run_id"]), datetime.fromisoformat(gated_until))
    except (KeyError, TypeError, ValueError) as error:
        return None, f"unreadable base build record: {error}"
    return base, f"incremental build from run {base.run_id}"


def keep_as_base(
    build_db: Path, home: Path, run_id: str, gated_until: datetime, inputs: dict[str, str]
) -> None:
    """After a publish: the audited build becomes the next run's base; its landing gate read
    everything landed or extracted before `gated_until`.

    The record goes first and comes back last, so a crash in between leaves no record and the
    next run builds in full rather than from a base it cannot vouch for.
    """
    directory = base_dir(home)
    directory.mkdir(parents=True, exist_ok=True)
    record = directory / BASE_RECORD_NAME
    record.unlink(missing_ok=True)
    os.replace(build_db, directory / BUILD_NAME)
    os.replace(data_tests_path(build_db), data_tests_path(directory / BUILD_NAME))
    partial = record.with_suffix(".partial")
    partial.write_text(
        json.dumps(
            {
                "run_id": run_id,
                "gated_until": gated_until.isoformat(),
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
    (tests/test_dbt_project.py), so a production run skips them. Either way the build leaves the
    record of its data tests beside `build_db`, for the next run to start from.
    """
    from flows.diskfull import write_fault_point

    for leftover in (build_db, build_db.with_name(build_db.name + ".wal"), data_tests_path(build_db)):
        leftover.unlink(missing_ok=True)
    if base is None:
        outcome = run_dbt(
            ["build", "--exclude-resource-type", "unit_test"], state_db, build_db, work_dir, extractor_version
        )
        if outcome.success:
            record_data_tests(work_dir / "target" / "manifest.json", data_tests_path(build_db))
    else:
        # A copy, never the base itself: a failed build must leave the base as it was.
        shutil.copyfile(base.path, build_db)
        shutil.copyfile(base.data_tests, data_tests_path(build_db))
        # No JSON artifacts (the full build's manifest is the one kept) and no up-front catalog
        # scan: together half a second of a run that should cost what changed.
        command = [
            "run",
            "--select",
            *INCREMENTAL_SELECTION,
            "--exclude",
            *INCREMENTAL_EXCLUSION,
            "--no-write-json",
            "--no-populate-cache",
        ]
        if "DBT_LOG_LEVEL_FILE" not in os.environ:
            # Its log file keeps warnings and errors (a failed node's message among them), not
            # dbt's debug lines: writing every statement of every node cost about 0.4-0.8 s of a
            # 3.5 s build of 20 new articles. DBT_LOG_LEVEL_FILE=debug brings them back; a full
            # build always writes them.
            command += ["--log-level-file", INCREMENTAL_LOG_LEVEL]
        # Its data tests run in the marts gate, as one batch beside the GX suites (flows/audit.py).
        outcome = run_dbt(command, state_db, build_db, work_dir, extractor_version)
    # dbt's own writes are inside DuckDB; the injected fault stands for the build's last one,
    # once the build file exists. A real full disk comes back as a failed node ("No space left
    # on device"), which the flow reports as a full disk, not as a failed gate.
    write_fault_point("transform")
    return outcome

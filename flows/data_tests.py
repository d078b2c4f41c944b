"""dbt's data tests on an incremental build, run as one batch of SQL.

A full build runs every data test through `dbt build`. An incremental build changes only the
models that read the state, but dbt would still spend about 0.1 s of Python per test node (214
of them): more than the SQL itself, and more than the rest of a nightly run. So the full build
records the SQL dbt compiled for each data test of those models (`record_data_tests`), the
record travels with the base build, and an incremental build runs the same SQL in one DuckDB
query (`run_data_tests`), judged as dbt judges it: `fail_calc`, `warn_if`, `error_if` and
`severity` from the test's config.

The record is only used with a base built by the same dbt project and extractor version
(flows/transform.py checks that), and the build file always has the same name, so the compiled
SQL names the same relations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

RECORD_VERSION = 1


@dataclass(frozen=True)
class DataTest:
    unique_id: str
    name: str
    sql: str  # the compiled test query: the rows that fail
    fail_calc: str
    warn_if: str
    error_if: str
    severity: str
    limit: int | None = None

    def judged_sql(self) -> str:
        """dbt's own wrapper (default__get_test_sql): one row of failures and the verdicts."""
        limit = f"\nlimit {int(self.limit)}" if self.limit is not None else ""
        return (
            f"select {_literal(self.unique_id)} as unique_id, {self.fail_calc} as failures, "
            f"{self.fail_calc} {self.warn_if} as should_warn, "
            f"{self.fail_calc} {self.error_if} as should_error\n"
            f"from (\n{self.sql}\n{limit}\n) dbt_internal_test"
        )


@dataclass(frozen=True)
class DataTestResult:
    test: DataTest
    status: str  # pass | warn | fail | error
    failures: int = 0
    message: str = ""


def unreadable_record(error: Exception) -> DataTestResult:
    """The one result of a batch whose record cannot be read: an error, so the gate fails."""
    test = DataTest("record", "record of data tests", "", "", "", "", "error")
    return DataTestResult(test, "error", 0, f"unreadable: {error}")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def tests_reading_state(manifest: dict) -> list[str]:
    """The data tests `dbt build --select source:raw+ source:nlp+` runs: those on any node that
    reads the state database (the sources and everything downstream of them)."""
    child_map: dict[str, list[str]] = manifest.get("child_map", {})
    frontier = [uid for uid in manifest.get("sources", {}) if uid.split(".")[2] in {"raw", "nlp"}]
    downstream: set[str] = set(frontier)
    while frontier:
        for child in child_map.get(frontier.pop(), []):
            if child not in downstream:
                downstream.add(child)
                frontier.append(child)
    return sorted(
        uid
        for uid, node in manifest.get("nodes", {}).items()
        if node.get("resource_type") == "test"
        and set(node.get("depends_on", {}).get("nodes", [])) & downstream
    )


def record_data_tests(manifest_path: Path, record_path: Path) -> int:
    """After a full `dbt build`: write the compiled SQL of the data tests an incremental build runs.

    Raises ValueError when one of them was not compiled (a build that skipped it is no base).
    """
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    tests = []
    for uid in tests_reading_state(manifest):
        node = manifest["nodes"][uid]
        config = node.get("config", {})
        if not node.get("compiled_code") or not config.get("enabled", True):
            raise ValueError(f"data test {node.get('name')} has no compiled SQL in {manifest_path}")
        tests.append(
            {
                "unique_id": uid,
                "name": node["name"],
                "sql": node["compiled_code"],
                "fail_calc": config.get("fail_calc") or "count(*)",
                "warn_if": config.get("warn_if") or "!= 0",
                "error_if": config.get("error_if") or "!= 0",
                "severity": str(config.get("severity") or "error").lower(),
                "limit": config.get("limit"),
            }
        )
    partial = record_path.with_suffix(".partial")
    partial.write_text(json.dumps({"version": RECORD_VERSION, "tests": tests}), encoding="utf-8")
    partial.replace(record_path)
    return len(tests)


def load_data_tests(record_path: Path) -> list[DataTest]:
    record = json.loads(record_path.read_text(encoding="utf-8"))
    if record.get("version") != RECORD_VERSION:
        raise ValueError(f"data test record version {record.get('version')!r}, expected {RECORD_VERSION}")
    return [DataTest(**test) for test in record["tests"]]


def _verdict(test: DataTest, failures: int, should_warn: bool, should_error: bool) -> DataTestResult:
    # dbt's test materialization: an error-severity test over its error_if threshold fails;
    # otherwise a test over its warn_if threshold warns.
    if test.severity == "error" and should_error:
        status = "fail"
    elif should_warn:
        status = "warn"
    else:
        return DataTestResult(test, "pass", failures)
    condition = test.error_if if status == "fail" else test.warn_if
    return DataTestResult(
        test, status, failures, f"Got {failures} results, configured to {status} if {condition}"
    )


def run_data_tests(build_db: Path, state_db: Path, tests: list[DataTest]) -> list[DataTestResult]:
    """Every test in one query; if that query fails, each test alone, to name the one that errs."""
    import duckdb

    if not tests:
        return []
    # Its own in-memory connection, under the names the compiled SQL uses (the build file's stem,
    # as dbt names it, and `state`): the marts gate reads the same build file at the same time.
    con = duckdb.connect()
    try:
        con.execute(f'ATTACH ? AS "{build_db.stem}" (READ_ONLY)', [str(build_db)])
        con.execute(f'USE "{build_db.stem}"')
        con.execute("ATTACH ? AS state (READ_ONLY)", [str(state_db)])
        by_id = {test.unique_id: test for test in tests}
        try:
            rows = con.execute("\nunion all\n".join(test.judged_sql() for test in tests)).fetchall()
        except duckdb.Error:
            rows = None
        if rows is not None:
            return [
                _verdict(by_id[uid], int(failures or 0), bool(warn), bool(error))
                for uid, failures, warn, error in rows
            ]
        results = []
        for test in tests:
            try:
                _, failures, warn, error = con.execute(test.judged_sql()).fetchone()
            except duckdb.Error as failure:
                results.append(DataTestResult(test, "error", 0, str(failure).splitlines()[0]))
                continue
            results.append(_verdict(test, int(failures or 0), bool(warn), bool(error)))
        return results
    finally:
        con.close()

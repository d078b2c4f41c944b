"""Audit: Great Expectations gates on the landed data and on the built marts.

The suites live in `expectations/*.yml`: each is a fixed SQL query whose rows a GX suite
validates (GX's SQL datasource does not work with DuckDB, so frames go through pandas).
A Great Expectations file context under `<home>/gx` keeps the suites, checkpoints,
validation results and Data Docs of every run.
"""

from __future__ import annotations

import html
import json
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import yaml

from flows.data_tests import DataTestResult, load_data_tests, run_data_tests, unreadable_record
from flows.paths import EXPECTATIONS_DIR

# GX would otherwise try to send usage statistics: this machine has no network to spare.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

SHRINK_SUITE = "marts_row_counts"
CONTRACT_TABLES = (
    "dim_country",
    "dim_party",
    "dim_actor",
    "dim_article",
    "fct_mention",
    "fct_event",
    "bridge_event_participant",
    "fct_detention",
    "fct_detention_case",
    "bridge_detention_case_report",
    "fct_election",
    "bridge_election_article",
    "fct_election_result",
)


@dataclass
class CheckResult:
    suite: str
    expectation: str
    column: str | None
    success: bool
    unexpected: list[Any] = field(default_factory=list)

    def label(self) -> str:
        column = f"({self.column})" if self.column else ""
        return f"{self.suite}: {self.expectation}{column}"


@dataclass
class GateResult:
    gate: str  # landing | marts
    checks: list[CheckResult] = field(default_factory=list)
    data_docs: Path | None = None
    rendered: list = field(default_factory=list)  # the Data Docs pages of this gate's results
    # dbt's data tests, when this gate ran them (an incremental build; see flows/data_tests.py)
    data_tests: list[DataTestResult] | None = None

    @property
    def success(self) -> bool:
        tests_ok = all(t.status in {"pass", "warn"} for t in self.data_tests or ())
        return tests_ok and all(c.success for c in self.checks)

    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.success]

    def summary(self) -> str:
        failed = self.failures()
        head = f"{self.gate}: {len(self.checks) - len(failed)}/{len(self.checks)} checks passed"
        if failed:
            head += "; " + "; ".join(
                f"FAILED {c.label()}" + (f" e.g. {c.unexpected[:3]}" if c.unexpected else "") for c in failed
            )
        if self.data_tests is None:
            return head
        bad = [t for t in self.data_tests if t.status != "pass"]
        tests = f"dbt data tests: {len(self.data_tests) - len(bad)}/{len(self.data_tests)} passed"
        if bad:
            tests += "; " + "; ".join(f"{t.status.upper()} {t.test.name}: {t.message}" for t in bad[:10])
        return f"{tests} | {head}"


def load_suites(name: str) -> list[dict[str, Any]]:
    with open(EXPECTATIONS_DIR / f"{name}.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["suites"]


def _query_frame(con: duckdb.DuckDBPyConnection, query: str, parameters: dict[str, Any]):
    used = {k: v for k, v in parameters.items() if f"${k}" in query}
    return con.execute(query, used).df()


def _frames(
    con: duckdb.DuckDBPyConnection, specs: list[dict[str, Any]], parameters: dict[str, Any], ahead: bool
):
    """(spec, frame) of each suite. With `ahead`, the next suite's query runs in DuckDB (in a
    thread) while the caller validates this one, so DuckDB's work overlaps GX's Python (about
    0.25 s of an incremental marts gate). Not for a full build's gate: its frames hold whole
    marts, and one more of them at once would raise the run's peak memory."""
    from concurrent.futures import ThreadPoolExecutor

    if not ahead:
        for spec in specs:
            yield spec, _query_frame(con, spec["query"], parameters)
        return
    cursor = con.cursor()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gate-query") as pool:
        queued = pool.submit(_query_frame, cursor, specs[0]["query"], parameters) if specs else None
        for index, spec in enumerate(specs):
            frame = queued.result()
            queued = None
            if index + 1 < len(specs):
                queued = pool.submit(_query_frame, cursor, specs[index + 1]["query"], parameters)
            yield spec, frame
            del frame


def _context(home: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="file", project_root_dir=str(home))
    # Per-metric progress bars would bury the run's own output.
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


class GxContext:
    """One GX data context for a run's gates and its Data Docs, made on first use.

    The landing gate makes it, in its thread beside dbt; the marts gate and the Data Docs
    renderer that come after it then do not read the project's configuration again (0.06-0.1 s
    each, the marts gate's on the run's critical path). Its users run one after another (the
    flow waits for the landing gate before the marts gate, and renders Data Docs after it),
    never at once.
    """

    def __init__(self, home: Path) -> None:
        import threading

        self._home = Path(home)
        self._lock = threading.Lock()
        self._context = None

    def get(self):
        with self._lock:
            if self._context is None:
                self._context = _context(self._home)
            return self._context


def _datasource(context, gate: str):
    """The gate's pandas datasource, added on the first run only.

    Adding or updating a datasource, asset or batch definition rewrites the project's
    great_expectations.yml; doing it for every suite of every run cost about a second a gate.
    """
    name = f"steppewatch_{gate}"
    try:
        return context.data_sources.get(name)
    except KeyError:
        return context.data_sources.add_pandas(name)


SPEC_MARK = "steppewatch_spec"  # in a stored suite's meta: the fingerprint of the spec it was made from


def _spec_fingerprint(suite_spec: dict[str, Any]) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(suite_spec, sort_keys=True, default=str).encode()).hexdigest()


def _stored_definition(context, suite_spec: dict[str, Any]):
    """The stored validation definition of this suite when it was made from this very spec, else None.

    Storing the suite and its validation definition again on every run cost about half a second
    a gate; reading them back costs a few milliseconds.
    """
    try:
        definition = context.validation_definitions.get(suite_spec["name"])
    except Exception:  # not stored yet, or stored by another GX version: store it again
        return None
    if definition.suite.meta.get(SPEC_MARK) != _spec_fingerprint(suite_spec):
        return None
    return definition


def _suite_page(context, suite_name: str) -> Path:
    """Where Data Docs keep the page of this expectation suite."""
    return (
        Path(context.root_directory)
        / "uncommitted"
        / "data_docs"
        / "local_site"
        / "expectations"
        / f"{suite_name}.html"
    )


# GX's BASIC results keep what a failure reports (the counts and up to 20 unexpected values,
# `partial_unexpected_list`); its default, SUMMARY, also counts each unexpected value and lists
# their row indexes, metrics nobody reads here that GX computed for each of a gate's 60
# expectations: about 0.2 s of a marts gate of 1.15 s over few rows.
RESULT_FORMAT = "BASIC"


def _validate(context, suite_spec: dict[str, Any], frame, rendered: list, datasource) -> list[CheckResult]:
    """Validate `frame` with the suite; `rendered` collects what Data Docs must render for it."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    name = suite_spec["name"]
    definition = _stored_definition(context, suite_spec)
    stored = definition is None
    if stored:
        expectations = [
            ExpectationConfiguration(type=e["type"], kwargs=e["kwargs"]).to_domain_obj()
            for e in suite_spec["expectations"]
        ]
        try:
            asset = datasource.get_asset(name)
        except LookupError:
            asset = datasource.add_dataframe_asset(name)
        try:
            batch_definition = asset.get_batch_definition("whole_frame")
        except (KeyError, LookupError):
            batch_definition = asset.add_batch_definition_whole_dataframe("whole_frame")
        meta = {"notes": suite_spec.get("description", ""), SPEC_MARK: _spec_fingerprint(suite_spec)}
        suite = context.suites.add_or_update(gx.ExpectationSuite(name, expectations=expectations, meta=meta))
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
        )
    # The validation definition itself, not a checkpoint around it: a checkpoint has no actions
    # here, and its run checked the freshness of everything it holds once more and serialised it
    # (about 0.25 s of a marts gate). The definition stores its result as a checkpoint's would.
    run_id = RunIdentifier(run_time=datetime.now(UTC))
    validation = definition.run(
        batch_parameters={"dataframe": frame}, run_id=run_id, result_format=RESULT_FORMAT
    )
    if stored or not _suite_page(context, name).exists():
        # A suite's page shows its expectations only: it changes when the suite is stored again.
        rendered.append(ExpectationSuiteIdentifier(name))
    rendered.append(
        ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name),
            run_id=run_id,
            batch_identifier=validation.batch_id,
        )
    )
    checks = []
    for result in validation.results:
        kwargs = result.expectation_config.kwargs
        column = (
            kwargs.get("column")
            or kwargs.get("column_A")
            or (",".join(kwargs["column_list"]) if "column_list" in kwargs else None)
        )
        unexpected = (result.result or {}).get("partial_unexpected_list") or []
        error = (result.exception_info or {}).get("exception_message")
        if error:
            unexpected = [error]
        checks.append(
            CheckResult(name, result.expectation_config.type, column, bool(result.success), unexpected)
        )
    return checks


def run_gate(
    gate: str,
    database: Path,
    home: Path,
    parameters: dict[str, Any] | None = None,
    published: Path | None = None,
    allow_shrink: bool = False,
    render_docs: bool = True,
    data_tests: tuple[Path, Path] | None = None,
    query_ahead: bool = False,
    gx: GxContext | None = None,
) -> GateResult:
    """Validate every suite of `expectations/<gate>.yml` against `database`, read-only.

    With `render_docs` False the caller renders the gate's Data Docs pages later
    (`render_data_docs(home, result.rendered)`), e.g. while the run publishes. `data_tests`
    (the record of dbt's data tests, the state database) runs those tests on `database` in a
    thread beside the suites: DuckDB's work there overlaps GX's Python here. `query_ahead` runs
    the next suite's query while this one is validated (for a gate over few rows: see `_frames`).
    `gx`: the run's GX context, shared with its other gate and its Data Docs.
    """
    parameters = dict(parameters or {})
    gx = gx or GxContext(home)
    started = time.time() - 1  # file times are coarse on some file systems
    result = GateResult(gate=gate)
    tests_thread = _start_data_tests(result, database, *data_tests) if data_tests else None
    try:
        _run_suites(
            result,
            gate,
            database,
            home,
            parameters,
            published,
            allow_shrink,
            render_docs,
            started,
            query_ahead,
            gx,
        )
    finally:
        if tests_thread is not None:
            tests_thread.join()
    return result


def _start_data_tests(result: GateResult, build_db: Path, record: Path, state_db: Path):
    import threading

    def run() -> None:
        try:
            result.data_tests = run_data_tests(build_db, state_db, load_data_tests(record))
        except (OSError, ValueError, KeyError, TypeError) as error:  # fails the gate, never passes it
            result.data_tests = [unreadable_record(error)]

    thread = threading.Thread(target=run, name="dbt-data-tests", daemon=True)
    thread.start()
    return thread


def _run_suites(
    result: GateResult,
    gate: str,
    database: Path,
    home: Path,
    parameters: dict[str, Any],
    published: Path | None,
    allow_shrink: bool,
    render_docs: bool,
    started: float,
    query_ahead: bool,
    gx: GxContext,
) -> None:
    context = gx.get()
    datasource = _datasource(context, gate)
    rendered: list = []
    con = duckdb.connect(str(database), read_only=True)
    try:
        for spec, frame in _frames(con, load_suites(gate), parameters, ahead=query_ahead):
            result.checks.extend(_validate(context, spec, frame, rendered, datasource))
        if gate == "marts" and published is not None and published.exists():
            frame = row_count_frame(con, published, min_keep_ratio=0.0 if allow_shrink else 0.5)
            if frame is not None:
                spec = {
                    "name": SHRINK_SUITE,
                    "description": "No contract table shrinks by more than half against the published run.",
                    "expectations": [
                        {
                            "type": "expect_column_values_to_be_in_set",
                            "kwargs": {"column": "shrink_ok", "value_set": [True]},
                        },
                    ],
                }
                result.checks.extend(_validate(context, spec, frame, rendered, datasource))
    finally:
        con.close()
    escape_stored_results(home / "gx" / "uncommitted" / "validations", since=started)
    result.rendered = rendered
    result.data_docs = home / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    if render_docs:
        render_data_docs(home, rendered, context)


def render_data_docs(home: Path, identifiers: list, context=None) -> None:
    """Render these pages and the index: rendering every stored result again would make each
    run slower than the last. Stored results must be escaped first (run_gate does)."""
    (context or _context(home)).build_data_docs(resource_identifiers=identifiers)


class DataDocsRenderer:
    """The run's Data Docs pages, rendered once for both gates, in a thread while the run publishes.

    Rendering is about a second of GX templating per gate; the publish that follows is DuckDB
    work that releases the GIL, so the two overlap. `finish()` waits for the thread, or renders
    what is pending when no thread was started (a run that stopped at a gate or a failed build).
    """

    def __init__(self, home: Path, gx: GxContext | None = None) -> None:
        self.home = home
        self.gx = gx or GxContext(home)
        self.pending: list = []
        self.error: BaseException | None = None
        self._thread = None

    def add(self, gate: GateResult) -> None:
        self.pending.extend(gate.rendered)

    def _render(self) -> None:
        try:
            render_data_docs(self.home, self.pending, self.gx.get())
        except Exception as error:  # the run's outcome stands; finish() reports this
            self.error = error

    def start(self) -> None:
        import threading

        self._thread = threading.Thread(target=self._render, name="data-docs", daemon=True)
        self._thread.start()

    def finish(self, render_pending: bool = True) -> BaseException | None:
        """Wait for the pages (or render them now); the rendering error, if any."""
        if self._thread is not None:
            self._thread.join()
        elif render_pending and self.pending:
            self._render()
        return self.error


def prune_validation_results(home: Path, before: float) -> int:
    """Delete the stored validation results written before `before` (epoch seconds), and their
    Data Docs pages. Returns how many results were deleted.

    GX keeps every result and rebuilds the Data Docs index over all of them, so without this
    every run would render a longer index than the last. The flow keeps the results of the runs
    of the kept releases (and of every run since the oldest of them).
    """
    uncommitted = Path(home) / "gx" / "uncommitted"
    validations = uncommitted / "validations"
    pages = uncommitted / "data_docs" / "local_site" / "validations"
    deleted = 0
    for path in validations.rglob("*.json") if validations.exists() else ():
        try:
            if path.stat().st_mtime >= before:
                continue
            path.unlink()
        except FileNotFoundError:
            continue
        (pages / path.relative_to(validations)).with_suffix(".html").unlink(missing_ok=True)
        deleted += 1
    return deleted


_ESCAPED_MARK = "steppewatch_html_escaped"


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value, quote=True)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def escape_stored_results(validations: Path, since: float = 0.0) -> int:
    """HTML-escape the data values in stored validation results before Data Docs render them.

    GX writes unexpected values (article text, titles, names: anything a failing check saw)
    into the Data Docs pages as raw HTML, so a title holding `<script>` would run in the
    reader's browser. The values are escaped once, in the stored results (marked in their meta),
    and the pages show them as text. Returns the number of files escaped.
    """
    escaped = 0
    for path in validations.rglob("*.json") if validations.exists() else ():
        if path.stat().st_mtime < since:
            continue
        stored = json.loads(path.read_text(encoding="utf-8"))
        meta = stored.setdefault("meta", {})
        if meta.get(_ESCAPED_MARK):
            continue
        for check in stored.get("results", []):
            check["result"] = _escaped(check.get("result") or {})
            info = check.get("exception_info") or {}
            for key in ("exception_message", "exception_traceback"):
                if isinstance(info.get(key), str):
                    info[key] = html.escape(info[key], quote=True)
        meta[_ESCAPED_MARK] = True
        partial = path.with_name(path.name + ".partial")
        partial.write_text(json.dumps(stored), encoding="utf-8")
        os.replace(partial, path)
        escaped += 1
    return escaped


def row_count_frame(con: duckdb.DuckDBPyConnection, published: Path, min_keep_ratio: float):
    """Rows per contract table now and in the published file; None when it has no baseline."""
    con.execute("ATTACH ? AS published (READ_ONLY)", [str(published)])
    try:
        parts = " UNION ALL ".join(
            f"SELECT '{t}' AS table_name, (SELECT count(*) FROM marts.{t}) AS current_rows, "
            f"(SELECT count(*) FROM published.marts.{t}) AS previous_rows"
            for t in CONTRACT_TABLES
        )
        return con.execute(
            f"""SELECT *, previous_rows = 0 OR current_rows >= previous_rows * $ratio AS shrink_ok
                FROM ({parts})""",
            {"ratio": min_keep_ratio},
        ).df()
    except duckdb.Error:
        return None  # the published file predates a table: nothing to compare against
    finally:
        con.execute("DETACH published")

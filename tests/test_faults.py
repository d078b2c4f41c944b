"""Faults, really done: kill -9 at each stage, two runs at once, a reader during a publish.

The runs under test are real `steppewatch run` processes. They talk to the session's Prefect
test server (PREFECT_API_URL) instead of starting their own, and STEPPEWATCH_PAUSE_AT (see
flows.publish.pause_point) parks them at a known point, where the test kills them with SIGKILL.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from helpers import as_full_build, warehouse_rows

from flows.audit import CONTRACT_TABLES
from flows.lock import LOCK_NAME, RunLocked
from flows.paths import PROJECT_ROOT, PUBLISHED_NAME
from flows.state import STATE_FILE

pytestmark = pytest.mark.slow

STEPPEWATCH = PROJECT_ROOT / ".venv" / "bin" / "steppewatch"
WAIT_S = 600
NEW_ARTICLE = (
    "Court jails activist\n\nA court in Almaty jailed the activist Ivan Petrov for 10 days on Monday "
    "for taking part in an unsanctioned rally, his lawyer said.\n"
)
READER = """
import sys, time, pathlib, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
def rows():
    tables = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'marts'").fetchall()
    return {t: con.execute(f"SELECT count(*) FROM marts.{t}").fetchone()[0] for (t,) in tables}
print("before", rows()["dim_article"], flush=True)
go = pathlib.Path(sys.argv[2])
deadline = time.monotonic() + 600
while not go.exists() and time.monotonic() < deadline:
    rows()  # keep reading while the publish happens
    time.sleep(0.05)
print("after", rows()["dim_article"], len(rows()), flush=True)
"""


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def start_run(inbox: Path, home: Path, pause_at: str | None = None, **env: str) -> subprocess.Popen:
    from prefect.settings import PREFECT_API_URL

    environment = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), **env}
    environment.pop("STEPPEWATCH_PAUSE_AT", None)
    if pause_at:
        environment["STEPPEWATCH_PAUSE_AT"] = pause_at
    log = (home.parent / f"run-{pause_at}-{time.monotonic_ns()}.log").open("w")
    return subprocess.Popen(
        [str(STEPPEWATCH), "run", "--inbox", str(inbox), "--home", str(home)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def wait_for(condition, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the run ended (exit {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def kill9(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL


def run_statuses(home: Path) -> list[tuple[str, str | None]]:
    con = duckdb.connect(str(home / STATE_FILE), read_only=True)
    try:
        return con.execute("SELECT status, message FROM ops.run_log ORDER BY started_at").fetchall()
    finally:
        con.close()


def test_kill_during_extraction_then_the_next_run_equals_an_uninterrupted_one(
    prefect_server, sample_run, sample_inbox, tmp_path: Path, capsys
) -> None:
    from flows.cli import EXIT_LOCKED, main
    from flows.pipeline import steppewatch_run

    reference_home, _ = sample_run
    home = tmp_path / "home"
    run = start_run(sample_inbox, home, pause_at="extract", STEPPEWATCH_EXTRACT_CHUNK="3")
    wait_for((home / ".paused-at-extract").exists, run, "the first extraction chunk")

    # Two runs at once: the second one stops before touching anything and names the holder.
    holder = json.loads((home / LOCK_NAME).read_text())
    assert holder["pid"] == run.pid
    with pytest.raises(RunLocked, match=holder["run_id"]):
        steppewatch_run(inbox=str(sample_inbox), home=str(home))
    capsys.readouterr()
    assert main(["run", "--inbox", str(sample_inbox), "--home", str(home)]) == EXIT_LOCKED
    message = capsys.readouterr().err
    assert "not started" in message and holder["run_id"] in message and str(run.pid) in message

    workers = psutil.Process(run.pid).children(recursive=True)
    assert workers, "the CLI's run extracts the samples on worker processes"
    kill9(run)
    gone, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, f"worker processes outlived the killed run: {alive}"
    con = duckdb.connect(str(home / STATE_FILE), read_only=True)
    try:
        extracted = con.execute("SELECT count(*) FROM nlp.extractions").fetchone()[0]
        bodies = con.execute("SELECT count(DISTINCT content_sha256) FROM raw.articles").fetchone()[0]
    finally:
        con.close()
    # The CLI's process has no model loaded, so the 8 sample bodies go to two worker processes,
    # in chunks of at most STEPPEWATCH_EXTRACT_CHUNK (smaller there, so both workers get some).
    assert 0 < extracted <= 3 and bodies > extracted, "killed with one chunk committed and the rest to do"
    assert not (home / PUBLISHED_NAME).exists()

    summary = steppewatch_run(inbox=str(sample_inbox), home=str(home))
    assert summary.status == "published"
    assert summary.documents_landed == 0, "landing was committed before the kill"
    assert summary.articles_extracted == bodies - extracted, "only the unfinished bodies are extracted"
    assert warehouse_rows(home / PUBLISHED_NAME) == warehouse_rows(reference_home / PUBLISHED_NAME)
    statuses = run_statuses(home)
    assert statuses[0][0] == "failed" and "interrupted" in statuses[0][1]
    assert statuses[-1][0] == "published"


def test_kill_during_dbt_gate_or_publish_leaves_the_published_file_intact(
    prefect_server, sample_run, sample_inbox, tmp_path: Path
) -> None:
    from flows.pipeline import steppewatch_run

    reference_home, _ = sample_run
    home = tmp_path / "home"
    home.mkdir()
    for name in (STATE_FILE, PUBLISHED_NAME):
        shutil.copy2(reference_home / name, home / name)
    published = home / PUBLISHED_NAME
    digest = sha256_file(published)
    inbox = tmp_path / "inbox"
    shutil.copytree(sample_inbox, inbox)
    (inbox / "new_story.txt").write_text(NEW_ARTICLE, encoding="utf-8")  # so a publish would change it

    def build_files() -> list[Path]:
        return list((home / "build").glob("*.duckdb"))

    def candidates() -> list[Path]:
        return list(home.glob(f".{PUBLISHED_NAME}.*.candidate"))

    # dbt: the build file appears when dbt opens it and is removed when the run ends.
    run = start_run(inbox, home)
    wait_for(lambda: bool(build_files()), run, "dbt to start the build")
    kill9(run)
    assert build_files(), "killed while the build existed"
    assert sha256_file(published) == digest

    run = start_run(inbox, home, pause_at="gate_marts")
    wait_for((home / ".paused-at-gate_marts").exists, run, "the marts gate")
    assert len(build_files()) == 1, "the next run removed the killed run's build file, then built its own"
    kill9(run)
    assert sha256_file(published) == digest

    run = start_run(inbox, home, pause_at="swap")
    wait_for((home / ".paused-at-swap").exists, run, "the checked candidate")
    assert candidates(), "the candidate is written and checked"
    kill9(run)
    assert sha256_file(published) == digest
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM marts.dim_article").fetchone()[0] == 8
    finally:
        con.close()

    # A reader holds the published file open (another process) while the next run publishes.
    go = tmp_path / "published.flag"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published), str(go)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().split() == ["before", "8"]
    try:
        summary = steppewatch_run(inbox=str(inbox), home=str(home))
    finally:
        go.touch()
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    assert out.split() == ["after", "8", str(len(CONTRACT_TABLES))], "the reader kept reading its snapshot"

    assert summary.status == "published"
    assert sha256_file(published) != digest
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM marts.dim_article").fetchone()[0] == 9
    finally:
        con.close()
    assert not build_files() and not candidates() and not list(home.glob(".paused-at-*"))
    killed = [message for status, message in run_statuses(home)[-4:-1]]
    assert all("interrupted" in (m or "") for m in killed), killed


def test_a_collapsing_table_and_a_broken_reference_fail_the_gate_by_name(sample_run, tmp_path: Path) -> None:
    from flows.audit import SHRINK_SUITE, run_gate

    reference_home, _ = sample_run
    published = reference_home / PUBLISHED_NAME
    build = tmp_path / "build.duckdb"
    shutil.copy2(published, build)
    con = duckdb.connect(str(build))
    try:
        as_full_build(con)
        # fct_mention collapses to one row (nothing points at it); every event names a missing country
        before = con.execute("SELECT count(*) FROM marts.fct_mention").fetchone()[0]
        con.execute(
            "DELETE FROM marts.fct_mention WHERE mention_id NOT IN "
            "(SELECT min(mention_id) FROM marts.fct_mention)"
        )
        con.execute("UPDATE marts.fct_event SET country_id = 'QQ'")
    finally:
        con.close()
    assert before > 2

    gate = run_gate("marts", build, tmp_path / "gx-home", {}, published=published, allow_shrink=False)
    failed = {c.suite for c in gate.failures()}
    assert not gate.success and failed == {SHRINK_SUITE, "marts_references"}
    assert "fct_event.country_id" in gate.summary() and f"FAILED {SHRINK_SUITE}" in gate.summary()
    docs = gate.data_docs.parent
    assert gate.data_docs.exists()
    assert any(SHRINK_SUITE in page.read_text(errors="replace") for page in docs.rglob("*.html"))

    allowed = run_gate("marts", build, tmp_path / "gx-home", {}, published=published, allow_shrink=True)
    assert SHRINK_SUITE not in {c.suite for c in allowed.failures()}
    assert "marts_references" in {c.suite for c in allowed.failures()}


def test_status_reads_the_published_file_while_another_reader_holds_it(
    sample_run, capsys, monkeypatch
) -> None:
    """Readers open it read-only: a read-write open would fail against another process's shared lock."""
    from flows.status import print_status

    reference_home, _ = sample_run
    published = reference_home / PUBLISHED_NAME
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print('open', flush=True); sys.stdin.read()",
            str(published),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        monkeypatch.setenv("COLUMNS", "300")
        capsys.readouterr()
        assert print_status(reference_home) == 0
        shown = capsys.readouterr().out
        assert "Published:" in shown and "marts.dim_article" in shown
    finally:
        holder.communicate(input="", timeout=60)

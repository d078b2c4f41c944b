"""SIGTERM and SIGINT stop a real `steppewatch run` cleanly, with their own exit code.

Real processes on the sample corpus, as in test_faults.py (which kills them with SIGKILL):
a stop signal during extraction and during dbt each end the run as 'interrupted', exit 4,
release the lock and remove the run's temporary files; the next run completes and publishes
the same warehouse as an uninterrupted run.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest
from helpers import warehouse_rows

from flows.cli import EXIT_INTERRUPTED
from flows.lock import LOCK_NAME
from flows.paths import PROJECT_ROOT, PUBLISHED_NAME
from flows.state import STATE_FILE

pytestmark = pytest.mark.slow

STEPPEWATCH = PROJECT_ROOT / ".venv" / "bin" / "steppewatch"
WAIT_S = 600


def launch(inbox: Path, home: Path, log: Path, **env: str) -> subprocess.Popen:
    from prefect.settings import PREFECT_API_URL

    environment = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), **env}
    if "STEPPEWATCH_PAUSE_AT" not in env:
        environment.pop("STEPPEWATCH_PAUSE_AT", None)
    return subprocess.Popen(
        [str(STEPPEWATCH), "run", "--inbox", str(inbox), "--home", str(home)],
        env=environment,
        stdout=log.open("w"),
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


def lock_is_free(home: Path) -> bool:
    with open(home / LOCK_NAME, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def last_run(home: Path) -> tuple[str, str]:
    con = duckdb.connect(str(home / STATE_FILE), read_only=True)
    try:
        return con.execute(
            "SELECT status, message FROM ops.run_log ORDER BY started_at DESC LIMIT 1"
        ).fetchone()
    finally:
        con.close()


def leftovers(home: Path) -> list[str]:
    return sorted(
        p.name
        for p in [
            *(home / "build").glob("*.duckdb*"),
            *home.glob(f".{PUBLISHED_NAME}.*.candidate*"),
            *home.glob(".paused-at-*"),
            *home.glob(".parquet.*.staging"),
        ]
    )


def test_sigterm_in_extraction_and_sigint_in_dbt_stop_cleanly_and_the_next_run_publishes(
    prefect_server, sample_run, sample_inbox, tmp_path: Path, capsys, monkeypatch
) -> None:
    from flows.pipeline import steppewatch_run
    from flows.status import print_status

    reference_home, _ = sample_run
    home = tmp_path / "home"

    # SIGTERM while extraction runs (parked after its first committed chunk).
    log = tmp_path / "sigterm.log"
    run = launch(sample_inbox, home, log, STEPPEWATCH_PAUSE_AT="extract", STEPPEWATCH_EXTRACT_CHUNK="3")
    wait_for((home / ".paused-at-extract").exists, run, "the first extraction chunk")
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=120) == EXIT_INTERRUPTED
    output = log.read_text()
    assert "INTERRUPTED, nothing published: interrupted by SIGTERM during extract" in output
    assert "GATE FAILED" not in output
    assert lock_is_free(home)
    status, message = last_run(home)
    assert status == "interrupted" and message.startswith("interrupted by SIGTERM during extract")
    assert leftovers(home) == [] and not (home / PUBLISHED_NAME).exists()

    # SIGINT while dbt builds: dbt swallows the signal's exception, the run still says it was stopped.
    log = tmp_path / "sigint.log"
    run = launch(sample_inbox, home, log)
    wait_for(lambda: any((home / "build").glob("*.duckdb")), run, "dbt to start the build")
    time.sleep(1.0)  # well inside dbt's model runs
    run.send_signal(signal.SIGINT)
    assert run.wait(timeout=180) == EXIT_INTERRUPTED
    output = log.read_text()
    assert "interrupted by SIGINT during transform (dbt build)" in output, output[-3000:]
    assert "GATE FAILED" not in output
    assert lock_is_free(home)
    assert last_run(home)[0] == "interrupted"
    assert leftovers(home) == [] and not (home / PUBLISHED_NAME).exists()

    monkeypatch.setenv("COLUMNS", "300")
    capsys.readouterr()
    print_status(home)
    assert "interrupted" in capsys.readouterr().out

    # The next run completes from what the stopped ones committed, and equals an uninterrupted run.
    summary = steppewatch_run(inbox=str(sample_inbox), home=str(home))
    assert summary.status == "published" and summary.documents_landed == 0
    assert warehouse_rows(home / PUBLISHED_NAME) == warehouse_rows(reference_home / PUBLISHED_NAME)
    assert leftovers(home) == []


def test_a_stopped_build_waits_for_the_nodes_dbt_was_still_running():
    """dbt can return from a stopped build while its pool's threads still run their nodes (and
    reopen the state database); the transform joins them before it releases DuckDB's files."""
    import threading
    from multiprocessing.pool import ThreadPool

    from flows.transform import _wait_for_node_threads

    before = set(threading.enumerate())
    finished: list[int] = []
    pool = ThreadPool(2)  # what dbt runs its nodes on
    pool.apply_async(lambda: (time.sleep(0.5), finished.append(1)))
    time.sleep(0.05)
    pool.close()
    pool.terminate()  # as dbt's cancel does: the running node goes on
    assert finished == [], "the node was still running"
    _wait_for_node_threads(before)
    assert finished == [1]

"""The `steppewatch` command as a user runs it: a real process, exit codes and messages."""

from __future__ import annotations

import hashlib
import os
import subprocess
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from helpers import set_extracted_at

from flows.paths import PROJECT_ROOT, PUBLISHED_NAME
from flows.state import state_path

STEPPEWATCH = PROJECT_ROOT / ".venv" / "bin" / "steppewatch"
pytestmark = pytest.mark.slow


def steppewatch(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90"}
    return subprocess.run([str(STEPPEWATCH), *args], capture_output=True, text=True, env=env, timeout=900)


def test_status_shows_runs_tables_and_quarantine(sample_run):
    home, _ = sample_run
    done = steppewatch("status", "--home", str(home))
    assert done.returncode == 0, done.stderr
    assert "published" in done.stdout
    assert "marts.fct_detention" in done.stdout
    assert "Quarantine" in done.stdout
    assert str(home / PUBLISHED_NAME) in done.stdout.replace("\n", "")


def test_gate_failure_exits_nonzero_and_names_the_check(sample_run, sample_inbox):
    home, _ = sample_run
    published = home / PUBLISHED_NAME
    digest = hashlib.sha256(published.read_bytes()).hexdigest()
    con = duckdb.connect(str(state_path(home)))
    # An article extracted again with a mention whose offsets run past its body: the extraction
    # gate must stop the run. (The gate audits what was extracted after the last run's gate.)
    sha, version, extracted_at = con.execute(
        "SELECT content_sha256, extractor_version, extracted_at FROM nlp.extractions LIMIT 1"
    ).fetchone()
    con.execute(
        """INSERT INTO nlp.mentions SELECT content_sha256, extractor_version, 99999, 'person', 'Nobody Here',
               1000000, 1000011, 'Nobody Here', 'nobody here', NULL, NULL, [], NULL, NULL, NULL, 'ner'
           FROM nlp.mentions WHERE content_sha256 = ? AND extractor_version = ? LIMIT 1""",
        [sha, version],
    )
    set_extracted_at(con, sha, version, datetime.now())
    con.close()
    try:
        done = steppewatch("run", "--inbox", str(sample_inbox), "--home", str(home))
        assert done.returncode == 2, done.stdout + done.stderr
        assert "GATE FAILED" in done.stderr and "extraction_mentions" in done.stderr
        assert hashlib.sha256(published.read_bytes()).hexdigest() == digest
    finally:
        con = duckdb.connect(str(state_path(home)))
        con.execute("DELETE FROM nlp.mentions WHERE mention_no = 99999")
        set_extracted_at(con, sha, version, extracted_at)
        con.close()


def test_status_without_a_warehouse_says_so(tmp_path: Path):
    done = steppewatch("status", "--home", str(tmp_path))
    assert done.returncode == 1
    assert "run `steppewatch run`" in done.stdout


def test_serve_registers_a_scheduled_deployment(tmp_path: Path):
    """`steppewatch serve` starts serving the flow on its cron schedule (stopped once it says so)."""
    import signal
    import time

    env = {**os.environ, "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90"}
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [str(STEPPEWATCH), "serve", "--cron", "0 3 * * *", "--home", str(tmp_path / "home")],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and "being served" not in log.read_text():
                assert process.poll() is None, log.read_text()[-2000:]
                time.sleep(1)
            assert "being served" in log.read_text()
            assert "steppewatch-run/steppewatch-scheduled" in log.read_text()
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)

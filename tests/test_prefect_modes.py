"""Prefect's two modes: with PREFECT_API_URL naming a running server, a CLI run uses it and starts
no ephemeral server of its own (issue: every CLI run paid 10-25 s for that start)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.paths import PROJECT_ROOT, SAMPLE_CORPUS


@pytest.mark.slow
def test_a_run_uses_the_server_prefect_api_url_names(prefect_server, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    api_url = PREFECT_API_URL.value()  # the session's running test server
    assert api_url
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in sorted(SAMPLE_CORPUS.glob("*.txt"))[:1]:
        shutil.copy2(path, inbox / path.name)
    env = {**os.environ, "PREFECT_API_URL": api_url}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--inbox", str(inbox), "--home", str(tmp_path / "home")],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Starting temporary server" not in done.stdout + done.stderr

    async def flow_runs() -> list:
        async with get_client() as client:
            return await client.read_flow_runs()

    homes = [run.parameters.get("home") for run in asyncio.run(flow_runs())]
    assert str(tmp_path / "home") in homes, "the run is recorded by the server it was pointed at"

"""Shared fixtures: one Prefect test server and one real pipeline run on the samples per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@pytest.fixture(scope="session")
def prefect_server():
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    # As the CLI runs flows (flows.pipeline.run_here): no heartbeat thread to wait for after each run.
    with (
        prefect_test_harness(server_startup_timeout=90),
        temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}),
    ):
        yield


@pytest.fixture(scope="session")
def sample_inbox(tmp_path_factory) -> Path:
    from flows.paths import SAMPLE_CORPUS

    inbox = tmp_path_factory.mktemp("inbox")
    for path in sorted(SAMPLE_CORPUS.iterdir()):
        shutil.copy2(path, inbox / path.name)
    return inbox


@pytest.fixture(scope="session")
def sample_run(prefect_server, sample_inbox, tmp_path_factory):
    """The real flow on the sample corpus into a fresh home: (home, RunSummary)."""
    from flows.pipeline import steppewatch_run

    home = tmp_path_factory.mktemp("home")
    summary = steppewatch_run(inbox=str(sample_inbox), home=str(home))
    return home, summary

"""Disk full during landing, extraction, the build or the publish: nothing published is harmed.

Each stage's write call gets an ENOSPC (STEPPEWATCH_INJECT_ENOSPC, see flows/diskfull.py) in a
real run on a copy of the sample warehouse with one new article; the run exits 1 naming the
stage, the published file is byte for byte the same, the state database opens and holds only
committed work, the run's temporary files are gone, and the next run publishes. The build also
meets a real full disk: a 1 MB tmpfs mounted on the home's build folder (where mounting is allowed).
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from flows.cli import EXIT_ERROR, main
from flows.diskfull import INJECT_ENV
from flows.paths import PUBLISHED_NAME
from flows.state import STATE_FILE

pytestmark = pytest.mark.slow

NEW_ARTICLE = (
    "Court jails activist\n\nA court in Almaty jailed the activist Ivan Petrov for 10 days on Monday "
    "for taking part in an unsanctioned rally, his lawyer said.\n"
)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_home(reference_home: Path, sample_inbox: Path, tmp_path: Path) -> tuple[Path, Path]:
    home, inbox = tmp_path / "home", tmp_path / "inbox"
    home.mkdir()
    for name in (STATE_FILE, PUBLISHED_NAME):
        shutil.copy2(reference_home / name, home / name)
    shutil.copytree(sample_inbox, inbox)
    (inbox / "new_story.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    return home, inbox


def state_counts(home: Path) -> dict[str, object]:
    """Open the state database as a reader would; fails if it is not sound."""
    con = duckdb.connect(str(home / STATE_FILE), read_only=True)
    try:
        return {
            "documents": con.execute("SELECT count(*) FROM raw.documents").fetchone()[0],
            "extracted": con.execute("SELECT count(*) FROM nlp.extractions").fetchone()[0],
            "last_run": con.execute(
                "SELECT status, message FROM ops.run_log ORDER BY started_at DESC LIMIT 1"
            ).fetchone(),
        }
    finally:
        con.close()


def leftovers(home: Path) -> list[str]:
    return sorted(
        p.name
        for p in [
            *(home / "build").glob("*.duckdb*"),
            *home.glob(f".{PUBLISHED_NAME}.*.candidate*"),
            *home.glob(".parquet.*.staging"),
        ]
    )


def run_cli(inbox: Path, home: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["run", "--inbox", str(inbox), "--home", str(home), "--n-process", "1"])
    return code, capsys.readouterr().err


def test_disk_full_at_each_stage_keeps_the_published_file_and_the_state_sound(
    prefect_server, sample_run, sample_inbox, tmp_path: Path, capsys, monkeypatch
) -> None:
    reference_home, _ = sample_run
    home, inbox = copy_home(reference_home, sample_inbox, tmp_path)
    published = home / PUBLISHED_NAME
    digest = sha256_file(published)
    before = state_counts(home)

    expected = {  # stage -> what the state database holds after it failed there
        "land": {"documents": before["documents"], "extracted": before["extracted"]},
        "extract": {"documents": before["documents"] + 1, "extracted": before["extracted"]},
        "transform": {"documents": before["documents"] + 1, "extracted": before["extracted"] + 1},
        "publish": {"documents": before["documents"] + 1, "extracted": before["extracted"] + 1},
    }
    names = {"land": "land", "extract": "extract", "transform": "transform (dbt build)", "publish": "publish"}
    for stage, counts in expected.items():
        monkeypatch.setenv(INJECT_ENV, stage)
        code, err = run_cli(inbox, home, capsys)
        assert code == EXIT_ERROR, err
        assert f"DISK FULL during {names[stage]}: disk full during {names[stage]}" in err
        assert "No space left on device" in err and "GATE FAILED" not in err
        assert sha256_file(published) == digest, stage
        after = state_counts(home)
        assert {k: after[k] for k in counts} == counts, stage
        status, message = after["last_run"]
        assert status == "failed" and message.startswith(f"disk full during {names[stage]}")
        assert leftovers(home) == [], stage

    monkeypatch.delenv(INJECT_ENV)
    code, err = run_cli(inbox, home, capsys)
    assert code == 0, err
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM marts.dim_article").fetchone()[0] == 9
    finally:
        con.close()
    assert leftovers(home) == []


def test_a_really_full_disk_under_the_build_is_reported_as_disk_full(
    prefect_server, sample_run, sample_inbox, tmp_path: Path, capsys
) -> None:
    reference_home, _ = sample_run
    home, inbox = copy_home(reference_home, sample_inbox, tmp_path)
    build = home / "build"
    build.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(build)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.strip()}")
    try:
        digest = sha256_file(home / PUBLISHED_NAME)
        code, err = run_cli(inbox, home, capsys)
        assert code == EXIT_ERROR, err
        assert "DISK FULL during transform (dbt build)" in err and "No space left on device" in err
        assert "GATE FAILED" not in err
        assert sha256_file(home / PUBLISHED_NAME) == digest
        assert state_counts(home)["last_run"][0] == "failed"
        assert list(build.iterdir()) == [], "the partial build file is removed"
    finally:
        subprocess.run(["umount", str(build)], check=False)

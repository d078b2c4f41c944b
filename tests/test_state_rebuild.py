"""A corrupt or truncated state database: a clear error, then `rebuild-state` and the same ids.

The full case is real: a published sample warehouse whose state file is truncated; `run`
refuses with a message naming the way out, `status` says the same, `rebuild-state` lands the
inbox into a fresh state database, and the next run publishes every contract table row for
row as before (every id included).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import pytest
from helpers import warehouse_rows

from flows.cli import EXIT_ERROR, main
from flows.paths import PUBLISHED_NAME
from flows.state import STATE_FILE, StateDatabaseDamaged, connect_state


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: os.truncate(path, 4096), id="truncated"),
        pytest.param(lambda path: os.truncate(path, 0), id="emptied"),
        pytest.param(lambda path: path.write_bytes(os.urandom(8192) + path.read_bytes()[8192:]), id="header"),
    ],
)
def test_a_damaged_state_database_gives_a_clear_error(tmp_path: Path, damage) -> None:
    home = tmp_path / "home"
    con = connect_state(home)
    con.execute("CREATE TABLE ops.filler AS SELECT range AS n, repeat('x', 200) AS pad FROM range(50000)")
    con.close()
    damage(home / STATE_FILE)
    with pytest.raises(StateDatabaseDamaged, match="rebuild-state") as raised:
        connect_state(home)
    assert "damaged (corrupt or truncated)" in str(
        raised.value
    ) and "published warehouse is untouched" in str(raised.value)


def test_rebuild_state_keeps_a_state_that_still_opens_as_old(sample_inbox, tmp_path: Path, capsys) -> None:
    home = tmp_path / "home"
    connect_state(home).close()
    assert main(["rebuild-state", "--inbox", str(sample_inbox), "--home", str(home)]) == 0
    [old] = home.glob(f"{STATE_FILE}.old-*")
    assert "moved aside" in capsys.readouterr().out and old.exists()
    con = connect_state(home)
    try:
        assert con.execute("SELECT status FROM ops.run_log").fetchall() == [("rebuilt_state",)]
        assert con.execute("SELECT count(*) FROM raw.articles").fetchone()[0] == 8
    finally:
        con.close()


@pytest.mark.slow
def test_a_truncated_state_is_rebuilt_from_the_inbox_and_publishes_the_same_ids(
    prefect_server, sample_run, sample_inbox, tmp_path: Path, capsys, monkeypatch
) -> None:
    from flows.status import print_status

    reference_home, _ = sample_run
    home = tmp_path / "home"
    home.mkdir()
    for name in (STATE_FILE, PUBLISHED_NAME):
        shutil.copy2(reference_home / name, home / name)
    published = home / PUBLISHED_NAME
    digest = sha256_file(published)
    os.truncate(home / STATE_FILE, 4096)  # a copy cut short

    capsys.readouterr()
    assert main(["run", "--inbox", str(sample_inbox), "--home", str(home)]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "STATE DATABASE DAMAGED, nothing done" in err and "steppewatch rebuild-state" in err
    assert sha256_file(published) == digest

    monkeypatch.setenv("COLUMNS", "400")
    print_status(home)
    shown = capsys.readouterr().out
    assert "STATE DATABASE DAMAGED" in shown and "Published:" in shown

    assert main(["rebuild-state", "--inbox", str(sample_inbox), "--home", str(home)]) == 0
    out = capsys.readouterr().out
    [aside] = home.glob(f"{STATE_FILE}.corrupt-*")
    assert aside.stat().st_size == 4096 and str(aside) in out
    assert sha256_file(published) == digest, "rebuilding the state does not touch the published file"

    assert main(["run", "--inbox", str(sample_inbox), "--home", str(home)]) == 0
    assert warehouse_rows(published) == warehouse_rows(reference_home / PUBLISHED_NAME)
    con = duckdb.connect(str(home / STATE_FILE), read_only=True)
    try:
        statuses = [
            s for (s,) in con.execute("SELECT status FROM ops.run_log ORDER BY started_at").fetchall()
        ]
    finally:
        con.close()
    assert statuses[-2:] == ["rebuilt_state", "published"] and "published" in statuses[:-2], (
        "the run history before the damage is carried over from the published copy"
    )

"""Incremental builds on real runs: a history of incremental runs gives what a full rebuild gives.

A real inbox (articles of the multi-source detention set, several about the same people) is
landed in three parts, and one article of the first part is changed before the third run.
Runs two and three start from the last audited build and rebuild only the articles that
changed; a `--full-refresh` run over the same state must then give the same ids and rows in
every published table. A second history checks that a new article that links two spellings of
one name rebuilds the older article that carries the other spelling.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from helpers import warehouse_rows

from flows.paths import PROJECT_ROOT
from flows.transform import BUILD_NAME, base_dir

ARTICLES = sorted((PROJECT_ROOT / "evaluation" / "cases" / "articles").glob("*.txt"))[:9]


def _run(inbox: Path, home: Path, full_refresh: bool = False):
    from flows.pipeline import steppewatch_run

    summary = steppewatch_run(inbox=str(inbox), home=str(home), full_refresh=full_refresh)
    assert summary.status == "published", summary.message
    return summary


def _base_rows(home: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(base_dir(home) / BUILD_NAME), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _changes(home: Path, model: str) -> dict[str, int]:
    rows = _base_rows(home, f"SELECT change, count(*) FROM intermediate.{model} GROUP BY change")
    return dict(rows)


@pytest.mark.slow
def test_incremental_history_equals_a_full_refresh(prefect_server, tmp_path):
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    inbox.mkdir()
    parts = [ARTICLES[0:3], ARTICLES[3:6], ARTICLES[6:9]]

    for path in parts[0]:
        shutil.copy2(path, inbox / path.name)
    first = _run(inbox, home)
    assert first.message.startswith("full build: no audited build")

    for path in parts[1]:
        shutil.copy2(path, inbox / path.name)
    second = _run(inbox, home)
    assert second.message.startswith("incremental build from run " + first.run_id)
    assert _changes(home, "int_article_changes") == {"unchanged": 3, "added": 3}

    for path in parts[2]:
        shutil.copy2(path, inbox / path.name)
    # An article of the first part is corrected: a line of its body is gone (a new version of
    # the file; its last lines may be boilerplate that landing drops anyway).
    changed = inbox / parts[0][2].name
    lines = changed.read_text(encoding="utf-8").rstrip().split("\n")
    changed.write_text("\n".join(lines[:-3] + lines[-2:]) + "\n", encoding="utf-8")
    third = _run(inbox, home)
    assert third.message.startswith("incremental build from run " + second.run_id)
    changes = _changes(home, "int_article_changes")
    assert changes == {"unchanged": 5, "added": 3, "changed": 1}
    incremental = warehouse_rows(home / "steppewatch.duckdb")

    refreshed = _run(inbox, home, full_refresh=True)
    assert refreshed.message == "full build: full refresh requested"
    assert warehouse_rows(home / "steppewatch.duckdb") == incremental


# Two spellings of one name a single edit apart (a unit test of one shape, not evidence of
# accuracy): the later key joins the earlier one, so the first article's person changes identity
# when the second article arrives.
FIRST_ARTICLE = """Activist detained in Almaty

ALMATY, March 3, 2022 - Police in Almaty detained the civil activist Galia Tamambaeva on Thursday \
after she joined a rally outside the city administration, her lawyer said.
"""
SECOND_ARTICLE = """Court jails activist for ten days

ALMATY, March 5, 2022 - A court in Almaty sentenced the civil activist Galia Tamabaeva to ten days \
of administrative arrest on Saturday for taking part in an unsanctioned rally, her lawyer said.
"""


@pytest.mark.slow
def test_a_new_article_that_links_two_names_rebuilds_the_older_article(prefect_server, tmp_path):
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    inbox.mkdir()
    (inbox / "first.txt").write_text(FIRST_ARTICLE, encoding="utf-8")
    _run(inbox, home)
    (inbox / "second.txt").write_text(SECOND_ARTICLE, encoding="utf-8")
    second = _run(inbox, home)
    assert second.message.startswith("incremental build")
    assert _changes(home, "int_articles_to_reresolve") == {"added": 1, "identity": 1}

    con = duckdb.connect(str(home / "steppewatch.duckdb"), read_only=True)
    try:
        actors = con.execute(
            """SELECT DISTINCT m.entity_id FROM marts.fct_mention m
               WHERE m.surface_text LIKE 'Galia Tama%'"""
        ).fetchall()
        detainees = con.execute("SELECT DISTINCT actor_id FROM marts.fct_detention").fetchall()
    finally:
        con.close()
    assert len(actors) == 1 and detainees == actors
    incremental = warehouse_rows(home / "steppewatch.duckdb")
    _run(inbox, home, full_refresh=True)
    assert warehouse_rows(home / "steppewatch.duckdb") == incremental


@pytest.mark.slow
def test_an_incremental_build_runs_the_data_tests_a_full_build_ran(prefect_server, tmp_path, monkeypatch):
    """The batch is dbt's own selection and dbt's own SQL: it passes on the audited build and
    fails on a copy whose mention no longer matches its evidence offsets, as `dbt build` would."""
    from dbt.cli.main import dbtRunner

    from flows.data_tests import load_data_tests, run_data_tests
    from flows.paths import DBT_PROJECT_DIR
    from flows.state import state_path
    from flows.transform import INCREMENTAL_SELECTION, data_tests_path, dbt_env

    inbox, home = tmp_path / "inbox", tmp_path / "home"
    inbox.mkdir()
    for path in ARTICLES[:2]:
        shutil.copy2(path, inbox / path.name)
    _run(inbox, home)
    base = base_dir(home) / BUILD_NAME
    tests = load_data_tests(data_tests_path(base))

    copy = tmp_path / "copy" / BUILD_NAME  # the compiled SQL names the database after the file
    copy.parent.mkdir()
    shutil.copyfile(base, copy)
    for name, value in dbt_env(state_path(home), copy).items():
        monkeypatch.setenv(name, value)
    listed = dbtRunner().invoke(
        [
            "ls",
            "--select",
            *INCREMENTAL_SELECTION,
            "--resource-type",
            "test",
            "--output",
            "json",
            "--output-keys",
            "unique_id",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(tmp_path / "target"),
            "--log-path",
            str(tmp_path / "logs"),
            "--quiet",
        ]
    )
    selected = {json.loads(line)["unique_id"] for line in listed.result}
    assert {test.unique_id for test in tests} == selected
    assert all(r.status == "pass" for r in run_data_tests(copy, state_path(home), tests))

    con = duckdb.connect(str(copy))
    try:
        # one mention's evidence offsets no longer cut its text out of the article body
        con.execute(
            """UPDATE marts.fct_mention SET char_end = char_end + 1
               WHERE mention_id = (SELECT min(mention_id) FROM marts.fct_mention)"""
        )
    finally:
        con.close()
    failed = {r.test.name: r for r in run_data_tests(copy, state_path(home), tests) if r.status != "pass"}
    # dbt names a test with arguments by a hash of them: find it by its model and column
    (name,) = [n for n in failed if n.startswith("evidence_matches_article_body_fct_mention")]
    evidence = failed.pop(name)
    assert evidence.status == "fail" and evidence.failures == 1
    assert evidence.message == "Got 1 results, configured to fail if != 0"
    assert not failed


def test_an_incremental_build_logs_its_failures_not_its_debug_lines(sample_run, tmp_path, monkeypatch):
    """dbt's log file of an incremental build keeps a failed node's error, without the debug
    line of every statement (DBT_LOG_LEVEL_FILE=debug brings those back)."""
    from flows.extract import EXTRACTOR_VERSION
    from flows.state import state_path
    from flows.transform import build_path, build_warehouse, incremental_base

    monkeypatch.delenv("DBT_LOG_LEVEL_FILE", raising=False)
    reference_home, _ = sample_run
    home = tmp_path / "home"
    shutil.copytree(base_dir(reference_home), base_dir(home))
    shutil.copyfile(state_path(reference_home), state_path(home))
    record = json.loads((base_dir(home) / "build.json").read_text())
    base, why = incremental_base(home, record["inputs"], full_refresh=False)
    assert base is not None, why
    con = duckdb.connect(str(state_path(home)))
    try:  # the staging view of mentions (kept in the base) no longer finds a column it selects
        con.execute("ALTER TABLE nlp.mentions DROP COLUMN detector")
    finally:
        con.close()

    build = build_path(home)
    build.parent.mkdir(parents=True)
    outcome = build_warehouse(state_path(home), build, home / "dbt", EXTRACTOR_VERSION, base)

    assert not outcome.success
    log = (home / "dbt" / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert "detector" in log and "[error]" in log
    assert "[debug]" not in log and "[info ]" not in log


def _landing_articles_audited(home: Path) -> int:
    """Rows the newest validation of the landing gate's article suite read."""
    results = sorted((home / "gx" / "uncommitted" / "validations" / "landing_articles").rglob("*.json"))
    newest = json.loads(max(results, key=lambda p: p.parent.name).read_text(encoding="utf-8"))
    return newest["results"][0]["result"]["element_count"]


@pytest.mark.slow
def test_an_incremental_landing_gate_audits_only_what_came_after_its_base(prefect_server, tmp_path):
    """Everything its base run landed and extracted passed that run's landing gate: the next
    run's gate reads the new articles only (it read the base run's articles again before)."""
    inbox, home = tmp_path / "inbox", tmp_path / "home"
    inbox.mkdir()
    for path in ARTICLES[:3]:
        shutil.copy2(path, inbox / path.name)
    _run(inbox, home)
    assert _landing_articles_audited(home) == 3

    shutil.copy2(ARTICLES[3], inbox / ARTICLES[3].name)
    second = _run(inbox, home)
    assert second.message.startswith("incremental build")
    assert _landing_articles_audited(home) == 1

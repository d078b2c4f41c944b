"""Releases on real runs: every publish is kept with what it changed, and a kept one can be put back.

Three real pipeline runs over real sample articles in one home: two articles, then a third added
(new ids), then a run with `--keep-releases 2`. The changelog, the listing, a rollback (and the
run after it) and the retention are checked on the files those runs published.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from flows.audit import CONTRACT_TABLES
from flows.paths import DBT_PROJECT_DIR, SAMPLE_CORPUS
from flows.publish import DUCKDB_LTS_PATH, MAX_RELEASES_AS_CHANGES, parquet_release, write_candidate_marts
from flows.releases import REBUILT_BY_ARTICLE, RETENTION_ENV, list_releases, rollback

SAMPLES = sorted(SAMPLE_CORPUS.glob("*.txt"))[:3]


def _run(inbox: Path, home: Path) -> str:
    from flows.pipeline import steppewatch_run

    summary = steppewatch_run(inbox=str(inbox), home=str(home))
    assert summary.status == "published", summary.message
    return summary.run_id


def _query(path: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def history(prefect_server, tmp_path_factory):
    inbox = tmp_path_factory.mktemp("releases-inbox")
    home = tmp_path_factory.mktemp("releases-home")
    for path in SAMPLES[:2]:
        shutil.copy2(path, inbox / path.name)
    first = _run(inbox, home)
    first_articles = _query(home / "steppewatch.duckdb", "SELECT article_id FROM marts.dim_article")
    shutil.copy2(SAMPLES[2], inbox / SAMPLES[2].name)
    second = _run(inbox, home)
    return home, inbox, first, second, {a for (a,) in first_articles}


@pytest.mark.slow
def test_every_publish_is_kept_and_listed(history):
    home, _, first, second, _ = history
    releases = list_releases(home)
    assert [r.run_id for r in releases] == [second, first]
    assert [r.is_current for r in releases] == [True, False]
    assert releases[0].previous_run_id == first and releases[1].previous_run_id is None
    published_counts = {
        t: n
        for t, n in releases[0].row_counts.items()
        if t in ("dim_article", "fct_mention", "fct_detention")
    }
    for table, count in published_counts.items():
        assert _query(home / "steppewatch.duckdb", f"SELECT count(*) FROM marts.{table}")[0][0] == count


@pytest.mark.slow
def test_the_changelog_lists_ids_added_removed_and_changed(history):
    home, _, first, second, first_articles = history
    published = home / "steppewatch.duckdb"
    now = {a for (a,) in _query(published, "SELECT article_id FROM marts.dim_article")}
    added = {
        k
        for (k,) in _query(
            published,
            "SELECT row_key FROM ops.release_changes WHERE table_name = 'dim_article' AND change = 'added'",
        )
    }
    assert added == now - first_articles and len(added) == 1
    rows = _query(published, "SELECT DISTINCT run_id, previous_run_id FROM ops.release_changes")
    assert rows == [(second, first)]
    # every row the first release lacked is listed as added, in every table
    for table, key in (("fct_mention", "mention_id"), ("fct_detention", "detention_id")):
        new_rows = _query(
            published,
            f"""SELECT count(*) FROM marts.{table} t WHERE t.{key} NOT IN (
                    SELECT row_key FROM ops.release_changes WHERE table_name = '{table}' AND change = 'added')
                AND t.article_id NOT IN ({", ".join(f"'{a}'" for a in first_articles)})""",
        )
        assert new_rows == [(0,)]
    changed = _query(
        published,
        "SELECT changed_columns FROM ops.release_changes WHERE change = 'changed' AND table_name = 'dim_country'",
    )
    assert all(columns for (columns,) in changed), "a changed row names the columns that changed"
    # the first release lists every one of its rows as added
    kept_first = home / "releases" / f"{first}.duckdb"
    assert _query(kept_first, "SELECT DISTINCT change FROM ops.release_changes") == [("added",)]


def _same_rows(con: duckdb.DuckDBPyConnection, left: str, right: str) -> bool:
    return all(
        con.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})").fetchone()[0]
        == 0
        for a, b in ((left, right), (right, left))
    )


@pytest.mark.slow
def test_a_release_written_as_the_previous_one_plus_its_changes_equals_its_build(history, tmp_path):
    home, _, first, second, _ = history
    base = home / "base" / "build.duckdb"  # the second run's audited build
    assert json.loads((home / "base" / "build.json").read_text())["run_id"] == second
    # The second build started from the first's; the first release is what was published: the
    # candidate is that release with the changelog applied.
    candidate = write_candidate_marts(
        base, tmp_path / "candidate.duckdb", "again", home / "releases" / f"{first}.duckdb", first
    )
    assert candidate.from_previous and "dim_article" in candidate.changed_tables
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS build (READ_ONLY)", [str(base)])
        con.execute("ATTACH ? AS candidate (READ_ONLY)", [str(candidate.path)])
        con.execute("ATTACH ? AS published (READ_ONLY)", [str(home / "steppewatch.duckdb")])
        for table in CONTRACT_TABLES:
            assert _same_rows(con, f"build.marts.{table}", f"candidate.marts.{table}"), table
            assert _same_rows(con, f"build.marts.{table}", f"published.marts.{table}"), table
            parquet = str(home / "parquet" / f"{table}.parquet")
            assert _same_rows(con, f"published.marts.{table}", f"read_parquet('{parquet}')"), table
    finally:
        con.close()
    assert parquet_release(home / "parquet") == second
    assert _query(home / "steppewatch.duckdb", "SELECT written_as_changes FROM ops.release") == [(1,)]
    assert _query(home / "releases" / f"{first}.duckdb", "SELECT written_as_changes FROM ops.release") == [
        (0,)
    ]

    # after MAX_RELEASES_AS_CHANGES releases in a row written as changes, the next copies every table
    long_chain = tmp_path / "long-chain.duckdb"
    shutil.copyfile(home / "releases" / f"{first}.duckdb", long_chain)
    con = duckdb.connect(str(long_chain))
    try:
        con.execute("UPDATE ops.release SET written_as_changes = ?", [MAX_RELEASES_AS_CHANGES])
    finally:
        con.close()
    whole = write_candidate_marts(base, tmp_path / "whole.duckdb", "whole", long_chain, first)
    assert not whole.from_previous and whole.written_as_changes == 0
    assert whole.changed_tables == list(CONTRACT_TABLES)


@pytest.mark.slow
def test_status_summarises_the_last_release(history):
    home, *_ = history
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "status", "--home", str(home)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "changes since release" in done.stdout and "dim_article +1" in done.stdout


@pytest.mark.slow
def test_rollback_republishes_a_kept_release_and_the_next_run_publishes_again(history):
    home, inbox, first, second, first_articles = history
    published = home / "steppewatch.duckdb"
    rolled = rollback(home, first)
    assert rolled.run_id == first and rolled.is_current
    assert {a for (a,) in _query(published, "SELECT article_id FROM marts.dim_article")} == first_articles
    parquet_articles = _query(published, f"SELECT count(*) FROM '{home / 'parquet' / 'dim_article.parquet'}'")
    assert parquet_articles == [(len(first_articles),)]
    log = _query(
        home / "state.duckdb", "SELECT status, message FROM ops.run_log WHERE status = 'rolled_back'"
    )
    assert log == [("rolled_back", f"republished release {first}")]
    if DUCKDB_LTS_PATH.exists():  # the republished file still opens with DuckDB 1.4 LTS
        probe = "import sys, duckdb; print(duckdb.__version__)"
        out = subprocess.run(
            [sys.executable, "-c", probe],
            env={**os.environ, "PYTHONPATH": str(DUCKDB_LTS_PATH)},
            capture_output=True,
            text=True,
        )
        assert out.stdout.startswith("1.4")
    with pytest.raises(Exception, match="no release"):
        rollback(home, "20000101T000000-nope")
    # the published file is no longer the one the last run recorded: the next run rebuilds it, and
    # its changelog is against what readers saw (the rolled-back release)
    third = _run(inbox, home)
    assert _query(published, "SELECT DISTINCT previous_run_id FROM ops.release_changes") == [(first,)]
    assert {r.run_id for r in list_releases(home)} == {first, second, third}


@pytest.mark.slow
def test_retention_keeps_the_newest_and_never_the_published_one(history, monkeypatch):
    home, inbox, *_ = history
    monkeypatch.setenv(RETENTION_ENV, "2")
    (inbox / "extra.txt").write_text(
        SAMPLES[0].read_text(encoding="utf-8") + "\n\nA later paragraph.", "utf-8"
    )
    newest = _run(inbox, home)
    kept = list_releases(home)
    assert len(kept) == 2 and kept[0].run_id == newest and kept[0].is_current
    counts = json.loads(
        _query(home / "releases" / f"{newest}.duckdb", "SELECT row_counts FROM ops.release")[0][0]
    )
    assert (
        counts["dim_article"]
        == _query(home / "steppewatch.duckdb", "SELECT count(*) FROM marts.dim_article")[0][0]
    )


def test_the_tables_published_by_article_are_the_marts_dbt_rebuilds_by_article():
    """A release written as the previous one plus its changes compares and replaces only the
    rebuilt articles' rows of these tables: each must be a dbt model incremental by article."""
    incremental = {
        path.stem: path.read_text(encoding="utf-8")
        for path in (DBT_PROJECT_DIR / "models" / "marts").glob("*.sql")
        if "materialized='incremental'" in path.read_text(encoding="utf-8")
    }
    assert set(incremental) & set(CONTRACT_TABLES) == REBUILT_BY_ARTICLE
    for sql in incremental.values():
        assert "delete_rebuilt_articles(" in sql and "rebuilt_articles_only(" in sql


def test_validation_results_before_the_oldest_kept_release_go_with_their_pages(tmp_path):
    """GX rebuilds the Data Docs index over every stored result: the flow keeps those of the
    kept releases' runs and later ones, so the index does not grow with every run."""
    from datetime import datetime

    from flows.pipeline import _prune_validation_results

    releases = tmp_path / "releases"
    releases.mkdir()
    (releases / "20261101T000000-aaaaaaaa.duckdb").write_bytes(b"")
    (releases / "20261110T000000-bbbbbbbb.duckdb").write_bytes(b"")
    uncommitted = tmp_path / "gx" / "uncommitted"
    kept, dropped = [], []
    for day, into in ((31, dropped), (2, kept)):
        when = datetime(2026, 10 if day == 31 else 11, day, 12, 0).timestamp()
        result = uncommitted / "validations" / "suite" / "__none__" / f"run-{day}" / "batch.json"
        page = (
            uncommitted
            / "data_docs"
            / "local_site"
            / "validations"
            / "suite"
            / "__none__"
            / f"run-{day}"
            / "batch.html"
        )
        for path in (result, page):
            path.parent.mkdir(parents=True)
            path.write_text("{}")
            os.utime(path, (when, when))
        into.extend([result, page])
    _prune_validation_results(tmp_path)
    assert all(p.exists() for p in kept)
    assert not any(p.exists() for p in dropped)


def test_a_suite_page_is_rendered_again_only_when_its_suite_is_stored_again(history, tmp_path):
    """Every run renders its validation results; a suite's own page (its expectations) only when
    the suite was stored again from a changed spec, or when the page is missing."""
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier
    from helpers import as_full_build

    from flows.audit import render_data_docs, run_gate

    home = history[0]
    build = tmp_path / "build.duckdb"
    shutil.copy2(home / "steppewatch.duckdb", build)
    con = duckdb.connect(str(build))
    try:
        as_full_build(con)
    finally:
        con.close()

    def suite_pages(gate) -> set[str]:
        return {i.name for i in gate.rendered if isinstance(i, ExpectationSuiteIdentifier)}

    gx_home = tmp_path / "gx-home"
    first = run_gate("marts", build, gx_home, {}, published=None, render_docs=False)
    assert first.success and suite_pages(first), "a first gate stores and renders every suite"
    render_data_docs(gx_home, first.rendered)
    again = run_gate("marts", build, gx_home, {}, published=None, render_docs=False)
    assert again.success and suite_pages(again) == set()
    assert len(again.rendered) == len(first.rendered) - len(suite_pages(first)), "results still render"
    page = (
        gx_home / "gx" / "uncommitted" / "data_docs" / "local_site" / "expectations" / "marts_dim_actor.html"
    )
    assert page.is_file()
    page.unlink()
    missing = run_gate("marts", build, gx_home, {}, published=None, render_docs=False)
    assert suite_pages(missing) == {"marts_dim_actor"}

"""The whole flow on real components: landing, spaCy, dbt, Great Expectations, publish."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from helpers import set_extracted_at

from flows.paths import PROJECT_ROOT, PUBLISHED_NAME
from flows.pipeline import GateFailed, steppewatch_run
from flows.state import state_path

pytestmark = pytest.mark.slow

# The published contract (spec/warehouse-contract.md): table -> {column: DuckDB type}.
CONTRACT = {
    "dim_country": {"country_id": "VARCHAR", "iso3": "VARCHAR", "name": "VARCHAR", "region": "VARCHAR"},
    "dim_party": {
        "party_id": "VARCHAR",
        "name": "VARCHAR",
        "aliases": "VARCHAR[]",
        "country_id": "VARCHAR",
        "kind": "VARCHAR",
        "registration_status": "VARCHAR",
        "first_seen_date": "DATE",
        "last_seen_date": "DATE",
        "article_count": "BIGINT|INTEGER",
    },
    "dim_actor": {
        "actor_id": "VARCHAR",
        "name": "VARCHAR",
        "aliases": "VARCHAR[]",
        "actor_type": "VARCHAR",
        "country_id": "VARCHAR",
        "party_id": "VARCHAR",
        "roles": "VARCHAR[]",
        "article_count": "BIGINT|INTEGER",
    },
    "dim_article": {
        "article_id": "VARCHAR",
        "document_id": "VARCHAR",
        "source_uri": "VARCHAR",
        "source_name": "VARCHAR",
        "title": "VARCHAR",
        "published_date": "DATE",
        "published_date_precision": "VARCHAR",
        "language": "VARCHAR",
        "body": "VARCHAR",
        "char_count": "BIGINT|INTEGER",
        "content_sha256": "VARCHAR",
        "ingested_at": "TIMESTAMP",
    },
    "fct_mention": {
        "mention_id": "VARCHAR",
        "article_id": "VARCHAR",
        "entity_type": "VARCHAR",
        "entity_id": "VARCHAR",
        "surface_text": "VARCHAR",
        "char_start": "BIGINT|INTEGER",
        "char_end": "BIGINT|INTEGER",
    },
    "fct_event": {
        "event_id": "VARCHAR",
        "article_id": "VARCHAR",
        "event_type": "VARCHAR",
        "event_date": "DATE",
        "event_date_precision": "VARCHAR",
        "country_id": "VARCHAR",
        "location": "VARCHAR",
        "evidence_text": "VARCHAR",
        "char_start": "BIGINT|INTEGER",
        "char_end": "BIGINT|INTEGER",
        "confidence": "DOUBLE",
    },
    "bridge_event_participant": {
        "event_id": "VARCHAR",
        "entity_type": "VARCHAR",
        "entity_id": "VARCHAR",
        "role": "VARCHAR",
    },
    "fct_detention": {
        "detention_id": "VARCHAR",
        "event_id": "VARCHAR",
        "article_id": "VARCHAR",
        "actor_id": "VARCHAR",
        "detainee_count": "BIGINT|INTEGER",
        "detained_date": "DATE",
        "detained_date_precision": "VARCHAR",
        "country_id": "VARCHAR",
        "location": "VARCHAR",
        "authority": "VARCHAR",
        "charge": "VARCHAR",
        "outcome": "VARCHAR",
        "term_days": "BIGINT|INTEGER",
        "evidence_text": "VARCHAR",
        "char_start": "BIGINT|INTEGER",
        "char_end": "BIGINT|INTEGER",
    },
    "fct_detention_case": {
        "case_id": "VARCHAR",
        "actor_id": "VARCHAR",
        "detainee_count": "BIGINT|INTEGER",
        "detainee_description": "VARCHAR",
        "country_id": "VARCHAR",
        "location": "VARCHAR",
        "first_date": "DATE",
        "first_date_precision": "VARCHAR",
        "latest_outcome": "VARCHAR",
        "term_days": "BIGINT|INTEGER",
        "charge": "VARCHAR",
        "latest_outcome_detention_id": "VARCHAR",
        "outcome_history": "STRUCT(outcome VARCHAR, date DATE, date_precision VARCHAR)[]",
        "report_count": "BIGINT|INTEGER",
        "article_count": "BIGINT|INTEGER",
        "source_count": "BIGINT|INTEGER",
        "first_reported_date": "DATE",
        "last_reported_date": "DATE",
    },
    "bridge_detention_case_report": {
        "case_id": "VARCHAR",
        "detention_id": "VARCHAR",
        "article_id": "VARCHAR",
    },
    "fct_election": {
        "election_id": "VARCHAR",
        "country_id": "VARCHAR",
        "election_type": "VARCHAR",
        "election_date": "DATE",
        "election_date_precision": "VARCHAR",
        "is_snap": "BOOLEAN",
        "article_count": "BIGINT|INTEGER",
    },
    "bridge_election_article": {
        "election_id": "VARCHAR",
        "article_id": "VARCHAR",
        "evidence_text": "VARCHAR",
        "char_start": "BIGINT|INTEGER",
        "char_end": "BIGINT|INTEGER",
    },
    "fct_election_result": {
        "election_id": "VARCHAR",
        "party_id": "VARCHAR",
        "actor_id": "VARCHAR",
        "vote_share_pct": "DOUBLE",
        "seats": "BIGINT|INTEGER",
        "article_id": "VARCHAR",
    },
}
ID_COLUMNS = {
    "dim_party": "party_id",
    "dim_actor": "actor_id",
    "dim_article": "article_id",
    "fct_mention": "mention_id",
    "fct_event": "event_id",
    "fct_detention": "detention_id",
    "fct_detention_case": "case_id",
    "fct_election": "election_id",
}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(published: Path) -> dict[str, list]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        return {
            t: sorted(r[0] for r in con.execute(f"SELECT {c} FROM marts.{t}").fetchall())
            for t, c in ID_COLUMNS.items()
        }
    finally:
        con.close()


def test_sample_run_publishes(sample_run):
    home, summary = sample_run
    assert summary.status == "published"
    assert summary.documents_landed == 5 and summary.documents_quarantined == 0
    assert summary.articles == 8
    assert summary.articles_extracted == 8
    assert (home / PUBLISHED_NAME).exists()
    assert not list((home / "build").glob("*.duckdb")), "the build file is removed after publishing"


def test_every_contract_table_is_present_and_typed(sample_run):
    home, _ = sample_run
    con = duckdb.connect(str(home / PUBLISHED_NAME), read_only=True)
    try:
        for table, columns in CONTRACT.items():
            got = dict(
                con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_schema = 'marts' AND table_name = ?",
                    [table],
                ).fetchall()
            )
            assert got, f"marts.{table} missing"
            for column, expected in columns.items():
                assert column in got, f"marts.{table}.{column} missing"
                assert got[column] in expected.split("|"), (
                    f"marts.{table}.{column} is {got[column]}, not {expected}"
                )
        assert con.execute("SELECT count(*) FROM marts.dim_article").fetchone()[0] == 8
        ops = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'ops'"
            ).fetchall()
        }
        assert ops == {"run_log", "quarantine", "release", "release_changes"}
        assert con.execute("SELECT status FROM ops.run_log").fetchall() == [("published",)]
        # the first release: its own record, and every row listed as added
        assert con.execute("SELECT previous_run_id FROM ops.release").fetchall() == [(None,)]
        assert con.execute("SELECT DISTINCT change FROM ops.release_changes").fetchall() == [("added",)]
    finally:
        con.close()


def test_every_fact_offset_returns_its_evidence(sample_run):
    home, _ = sample_run
    con = duckdb.connect(str(home / PUBLISHED_NAME), read_only=True)
    try:
        for table, text in (
            ("fct_event", "evidence_text"),
            ("fct_detention", "evidence_text"),
            ("bridge_election_article", "evidence_text"),
            ("fct_mention", "surface_text"),
        ):
            bad = con.execute(
                f"SELECT count(*) FROM marts.{table} f JOIN marts.dim_article a USING (article_id) "
                f"WHERE substr(a.body, f.char_start + 1, f.char_end - f.char_start) <> f.{text}"
            ).fetchone()[0]
            assert bad == 0, table
    finally:
        con.close()


def test_published_file_opens_with_duckdb_lts(sample_run):
    home, _ = sample_run
    lts = PROJECT_ROOT / ".venv" / "duckdb14"
    if not lts.exists():
        pytest.skip("DuckDB 1.4 LTS is installed by `make install` under .venv/duckdb14")
    probe = (
        "import sys, duckdb; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(duckdb.__version__, con.execute('SELECT count(*) FROM marts.dim_article').fetchone()[0])"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(home / PUBLISHED_NAME)],
        env={**os.environ, "PYTHONPATH": str(lts)},
        capture_output=True,
        text=True,
        check=True,
    )
    version, articles = done.stdout.split()
    assert version.startswith("1.4.") and articles == "8"


def test_rerun_on_unchanged_inbox_changes_nothing(sample_run, sample_inbox):
    home, _ = sample_run
    published = home / PUBLISHED_NAME
    before = snapshot(published)
    again = steppewatch_run(inbox=str(sample_inbox), home=str(home))
    assert again.status == "unchanged"
    assert again.documents_landed == 0 and again.documents_unchanged == 5
    assert again.articles_new == 0
    assert again.articles_extracted == 0, "an unchanged inbox re-extracts nothing"
    assert snapshot(published) == before, "ids and row counts are identical after a re-run"


def test_failing_gate_leaves_published_file_byte_identical(sample_run, sample_inbox):
    home, _ = sample_run
    published = home / PUBLISHED_NAME
    digest = sha256_file(published)
    from flows.extract import EXTRACTOR_VERSION

    con = duckdb.connect(str(state_path(home)))
    try:
        # An article extracted again with a bad row: a detention whose evidence points outside
        # its article body. (The gate audits what was extracted after the last run's gate.)
        sha, extracted_at = con.execute(
            "SELECT content_sha256, extracted_at FROM nlp.extractions WHERE extractor_version = ? LIMIT 1",
            [EXTRACTOR_VERSION],
        ).fetchone()
        con.execute(
            """INSERT INTO nlp.detentions (content_sha256, extractor_version, detention_no, detained_date_precision,
                   outcome, evidence_text, char_start, char_end)
               VALUES (?, ?, 9999, 'unknown', 'unknown', 'not in the body', 10000000, 10000015)""",
            [sha, EXTRACTOR_VERSION],
        )
        set_extracted_at(con, sha, EXTRACTOR_VERSION, datetime.now())
    finally:
        con.close()
    try:
        with pytest.raises(GateFailed) as failure:
            steppewatch_run(inbox=str(sample_inbox), home=str(home))
        assert "extraction_facts" in str(failure.value), "the failing check names itself"
        assert sha256_file(published) == digest
        con = duckdb.connect(str(state_path(home)), read_only=True)
        try:
            status, gates = con.execute(
                "SELECT status, gate_summary FROM ops.run_log ORDER BY started_at DESC LIMIT 1"
            ).fetchone()
        finally:
            con.close()
        assert status == "failed_gate" and "FAILED" in gates
    finally:
        con = duckdb.connect(str(state_path(home)))
        con.execute("DELETE FROM nlp.detentions WHERE detention_no = 9999")
        set_extracted_at(con, sha, EXTRACTOR_VERSION, extracted_at)
        con.close()

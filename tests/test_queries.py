"""The worked analyst queries in queries/: each runs on the sample warehouse and answers sensibly.

Extraction keeps improving, so the assertions are the facts a careful reader of the samples
is sure of (Tulesova: 15 days of administrative arrest; Tokayev's spellings are one person;
Respublica 8.5%), not exact counts of everything.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from typing import Any

import duckdb
import pytest
from test_pipeline import CONTRACT

from flows.paths import PROJECT_ROOT, PUBLISHED_NAME
from flows.state import DDL as STATE_DDL

QUERIES_DIR = PROJECT_ROOT / "queries"
QUERY_FILES = sorted(QUERIES_DIR.glob("*.sql"))
PARAMETER = re.compile(r"\$([a-z_]+)")
# Sample bindings for every parameter a query uses: the contract-only check and the LTS run use them.
SAMPLE_PARAMETERS: dict[str, Any] = {
    "name": "Toqaev",
    "party": "Respublica",
    "event_type": "registration_granted",
    "days": 90,
    "role": "president",
    "fact_id": "no such fact",
}


def query_text(name: str) -> str:
    return (QUERIES_DIR / name).read_text(encoding="utf-8")


def parameters_of(sql: str) -> set[str]:
    return set(PARAMETER.findall(sql))


def run(con: duckdb.DuckDBPyConnection, query: str, /, **bindings: Any) -> list[dict[str, Any]]:
    """Run queries/<query> with exactly the parameters it uses; rows as dicts."""
    sql = query_text(query)
    assert parameters_of(sql) == set(bindings), f"{query} takes {sorted(parameters_of(sql))}"
    cursor = con.execute(sql, bindings) if bindings else con.execute(sql)
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def con(sample_run):
    home, _ = sample_run
    connection = duckdb.connect(str(home / PUBLISHED_NAME), read_only=True)
    yield connection
    connection.close()


# --- the folder itself -------------------------------------------------------------------------


def test_there_are_at_least_ten_queries_each_stating_its_question():
    assert len(QUERY_FILES) >= 10
    for path in QUERY_FILES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("-- Question: ") and first.endswith("?"), f"{path.name}: {first!r}"


def test_every_query_has_its_own_test():
    for path in QUERY_FILES:
        slug = re.sub(r"^\d+_", "", path.stem)
        assert f"test_{slug}" in globals(), f"{path.name} needs a test named test_{slug}"


def test_every_parameter_is_documented_in_the_header():
    for path in QUERY_FILES:
        sql = path.read_text(encoding="utf-8")
        header = "\n".join(line for line in sql.splitlines() if line.startswith("--"))
        for parameter in parameters_of(sql):
            assert f"${parameter}" in header, f"{path.name}: explain ${parameter} in the header comment"


@pytest.fixture(scope="module")
def contract_only():
    """An empty database holding exactly the contract's columns and ops.*: nothing else to lean on."""
    connection = duckdb.connect()
    connection.execute(STATE_DDL)
    connection.execute("DROP SCHEMA raw CASCADE; DROP SCHEMA nlp CASCADE; CREATE SCHEMA marts")
    for table, columns in CONTRACT.items():
        body = ", ".join(f"{column} {kind.split('|')[0]}" for column, kind in columns.items())
        connection.execute(f"CREATE TABLE marts.{table} ({body})")
    yield connection
    connection.close()


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_query_uses_only_contract_tables_and_columns(path, contract_only):
    sql = path.read_text(encoding="utf-8")
    bindings = {p: SAMPLE_PARAMETERS[p] for p in parameters_of(sql)}
    # A column or table outside the contract is a binder error here.
    contract_only.execute(sql, bindings).fetchall()


def test_every_query_runs_on_duckdb_lts(sample_run, con):
    """BI tools embed DuckDB 1.4 LTS: each query must parse and give the same row count there."""
    lts = PROJECT_ROOT / ".venv" / "duckdb14"
    if not lts.exists():
        pytest.skip("DuckDB 1.4 LTS is installed by `make install` under .venv/duckdb14")
    home, _ = sample_run
    jobs = {p.name: {k: SAMPLE_PARAMETERS[k] for k in parameters_of(p.read_text())} for p in QUERY_FILES}
    probe = (
        "import json, sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "counts = {}\n"
        "for name, bindings in json.loads(sys.argv[3]).items():\n"
        "    sql = open(sys.argv[2] + '/' + name, encoding='utf-8').read()\n"
        "    counts[name] = len(con.execute(sql, bindings).fetchall())\n"
        "print(json.dumps({'version': duckdb.__version__, 'counts': counts}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(home / PUBLISHED_NAME), str(QUERIES_DIR), json.dumps(jobs)],
        env={**os.environ, "PYTHONPATH": str(lts)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["version"].startswith("1.4.")
    for name, bindings in jobs.items():
        assert report["counts"][name] == len(run(con, name, **bindings)), name


# --- one test per query -------------------------------------------------------------------------


def test_who_was_detained(con):
    rows = run(con, "01_who_was_detained.sql")
    by_name = {r["detained"]: r for r in rows}
    for person in ("Asiya Tulesova", "Beibarys Tolymbekov"):
        assert by_name[person]["term_days"] == 15, person
        assert by_name[person]["outcome"] == "administrative_arrest", person
    assert by_name["Zhanbolat Mamai"]["outcome"] == "suspended_sentence"
    assert all(r["evidence_text"] for r in rows)
    assert all(r["term_days"] is None or r["term_days"] > 0 for r in rows)
    assert all(r["article"] for r in rows), "an article without a headline is named by its source"


def test_detentions_by_country_year(con):
    rows = run(con, "02_detentions_by_country_year.sql")
    reports = con.execute("SELECT count(*) FROM marts.fct_detention").fetchone()[0]
    cases = con.execute("SELECT count(*) FROM marts.fct_detention_case").fetchone()[0]
    assert sum(r["reports"] for r in rows) == reports, "every report is behind exactly one case"
    assert sum(r["cases"] for r in rows) == cases
    kazakhstan = [r for r in rows if r["country"] == "Kazakhstan"]
    assert kazakhstan, "the samples report detentions in Kazakhstan"
    assert any("administrative_arrest" in r["outcomes"] and r["longest_term_days"] >= 15 for r in kazakhstan)
    assert all(r["named_detainees"] <= r["cases"] <= r["reports"] for r in rows)


def test_case_history_of_a_person(con):
    rows = run(con, "15_case_history_of_a_person.sql", name="Mamai")
    assert rows, "the samples report Zhanbolat Mamai's arrest and sentence"
    assert {r["person"] for r in rows} == {"Zhanbolat Mamai"}
    for case_id in {r["case_id"] for r in rows}:
        reports = [r for r in rows if r["case_id"] == case_id]
        assert len(reports) == reports[0]["case_reports"], "one row per report of the case"
    assert all(r["evidence_text"] and r["source"] for r in rows)
    assert any(r["case_latest_outcome"] == "suspended_sentence" for r in rows)


def test_mentions_of_a_person(con):
    rows = run(con, "03_mentions_of_a_person.sql", name="Toqaev")
    assert len({r["actor_id"] for r in rows}) == 1, "every spelling of Tokayev is one actor"
    spellings = {r["spelt_as"] for r in rows}
    assert any("Toqaev" in s for s in spellings) and any("Tokayev" in s for s in spellings), spellings
    assert all(r["spelt_as"] in r["context"] for r in rows), "the context shows the mention itself"
    same = run(con, "03_mentions_of_a_person.sql", name="tokayev")
    assert {r["actor_id"] for r in same} == {rows[0]["actor_id"]}, "any spelling finds the same person"


def test_people_spelt_several_ways(con):
    rows = run(con, "04_people_spelt_several_ways.sql")
    assert all(r["spellings"] == len(r["spelt_as"]) > 1 for r in rows)
    tokayev = [r for r in rows if any("Toqaev" in s for s in r["spelt_as"])]
    assert len(tokayev) == 1 and any("Tokayev" in s for s in tokayev[0]["spelt_as"])


def test_party_registration_history(con):
    rows = run(con, "05_party_registration_history.sql", party="Respublica")
    assert rows and {r["party"] for r in rows} == {"Respublica"}
    assert {r["current_status"] for r in rows} == {"registered"}
    assert "registration_granted" in {r["event_type"] for r in rows}
    assert all(r["evidence_text"] for r in rows if r["event_type"])
    refused = run(con, "05_party_registration_history.sql", party="YNTYMAQ")
    assert {r["current_status"] for r in refused} == {"unregistered"}
    assert "registration_refused" in {r["event_type"] for r in refused}


def test_parties_refused_registration(con):
    rows = {r["party"]: r for r in run(con, "06_parties_refused_registration.sql")}
    assert rows["YNTYMAQ"]["registration_status"] == "unregistered"
    assert rows["YNTYMAQ"]["refusals"] >= 1 and rows["YNTYMAQ"]["evidence"]
    assert rows["Democratic Choice of Kazakhstan"]["registration_status"] == "banned"
    assert "Respublica" not in rows, "a registered party with no setback is not listed"


def test_elections_with_results(con):
    rows = run(con, "07_elections_with_results.sql")
    elections = con.execute("SELECT count(*) FROM marts.fct_election").fetchone()[0]
    assert len({r["election_id"] for r in rows}) == elections, (
        "every election is listed, with or without results"
    )
    respublica = [r for r in rows if r["contestant"] == "Respublica"]
    assert len(respublica) == 1
    result = respublica[0]
    assert result["country"] == "Kazakhstan" and result["election_type"] == "parliamentary"
    assert result["election_date"].year == 2023 and result["vote_share_pct"] == pytest.approx(8.5)


def test_events_around_an_election(con):
    rows = run(con, "08_events_around_an_election.sql", event_type="registration_granted", days=90)
    assert all(r["event_type"] == "registration_granted" and abs(r["days_from_election"]) <= 90 for r in rows)
    assert any(
        r["country"] == "Kazakhstan"
        and r["election_type"] == "parliamentary"
        and r["election_date"].year == 2023
        for r in rows
    ), "parties registered before the 2023 snap vote"
    assert run(con, "08_events_around_an_election.sql", event_type="no_such_type", days=3650) == []


def test_evidence_behind_a_fact(con):
    detention_id, evidence = con.execute(
        """SELECT d.detention_id, d.evidence_text FROM marts.fct_detention d
           JOIN marts.dim_actor a USING (actor_id) WHERE a.name = 'Asiya Tulesova'"""
    ).fetchone()
    (row,) = run(con, "09_evidence_behind_a_fact.sql", fact_id=detention_id)
    assert row["fact_kind"] == "detention" and row["evidence"] == evidence
    assert "15 days" in row["evidence"] and row["evidence"] in row["in_context"]
    assert "003_720bbb4221f4edbe" in row["source_uri"]
    election_id = con.execute("SELECT election_id FROM marts.bridge_election_article LIMIT 1").fetchone()[0]
    assert {r["fact_kind"] for r in run(con, "09_evidence_behind_a_fact.sql", fact_id=election_id)} == {
        "election"
    }
    assert run(con, "09_evidence_behind_a_fact.sql", fact_id="no such fact") == []


def test_event_timeline_by_country(con):
    rows = run(con, "10_event_timeline_by_country.sql")
    assert sum(r["events"] for r in rows) == con.execute("SELECT count(*) FROM marts.fct_event").fetchone()[0]
    assert any(r["country"] == "Kazakhstan" and r["event_type"] == "protest" for r in rows)
    assert any(r["country"] == "Kyrgyzstan" for r in rows)
    assert all(0 <= r["avg_confidence"] <= 1 for r in rows if r["avg_confidence"] is not None)


def test_people_named_together(con):
    rows = run(con, "11_people_named_together.sql", name="Tulesova")
    names = {r["name"] for r in rows}
    assert "Beibarys Tolymbekov" in names, "arrested together, named in the same article"
    assert "Asiya Tulesova" not in names
    assert all(r["shared_articles"] >= 1 for r in rows)


def test_people_by_role(con):
    presidents = {r["name"] for r in run(con, "12_people_by_role.sql", role="president")}
    assert {"Kassym-Jomart Tokayev", "Nursultan Nazarbayev"} <= presidents
    assert run(con, "12_people_by_role.sql", role="no such role") == []


def test_articles_and_what_they_yield(con):
    rows = run(con, "13_articles_and_what_they_yield.sql")
    assert len(rows) == 8
    protests = [r for r in rows if "003_720bbb4221f4edbe" in r["source_uri"]]
    assert len(protests) == 1 and protests[0]["detentions"] >= 3 and protests[0]["mentions"] > 0
    assert (
        sum(r["detentions"] for r in rows)
        == con.execute("SELECT count(*) FROM marts.fct_detention").fetchone()[0]
    )


def test_warehouse_freshness(con):
    rows = run(con, "14_warehouse_freshness.sql")
    runs = [r for r in rows if r["kind"] == "run"]
    assert runs and runs[0]["status"] == "published", "newest first: the run that published this file"
    assert all(r["detail"] for r in rows if r["kind"] == "quarantined file"), "a quarantined file says why"

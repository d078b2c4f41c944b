"""Detention cases on real reports: one case per real episode, across articles and outlets.

A real pipeline run over real articles from `evaluation/cases/articles/` (see its SOURCES.md):
several outlets reporting Zhanbolat Mamai's and Sadyr Japarov's arrests in different years.
The merging rules themselves are dbt unit tests (int_detention_case_members.yml); this checks
what the published tables promise: every report in exactly one case, counts that add up, and
case ids that a full rebuild gives again.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

CASE_ARTICLES = Path(__file__).resolve().parents[1] / "evaluation" / "cases" / "articles"
FILES = (
    "601.txt",
    "602.txt",
    "603.txt",
    "604.txt",
    "605.txt",
    "606.txt",
    "611.txt",
    "612.txt",
    "613.txt",
    "614.txt",
)


def _run(inbox: Path, home: Path):
    from flows.pipeline import steppewatch_run

    summary = steppewatch_run(inbox=str(inbox), home=str(home))
    assert summary.status == "published", summary.message
    return duckdb.connect(str(home / "steppewatch.duckdb"), read_only=True)


@pytest.fixture(scope="module")
def case_runs(prefect_server, tmp_path_factory):
    inbox = tmp_path_factory.mktemp("cases-inbox")
    for name in FILES:
        shutil.copy2(CASE_ARTICLES / name, inbox / name)
    first = _run(inbox, tmp_path_factory.mktemp("cases-home-1"))
    rebuilt = _run(inbox, tmp_path_factory.mktemp("cases-home-2"))
    yield first, rebuilt
    first.close()
    rebuilt.close()


@pytest.mark.slow
def test_every_report_is_in_exactly_one_case(case_runs):
    con, _ = case_runs
    reports = con.execute("SELECT count(*) FROM marts.fct_detention").fetchone()[0]
    assert reports > 0
    per_report = con.execute(
        """SELECT d.detention_id, count(b.case_id) FROM marts.fct_detention d
           LEFT JOIN marts.bridge_detention_case_report b USING (detention_id) GROUP BY 1"""
    ).fetchall()
    assert {n for _, n in per_report} == {1}
    counted = con.execute("SELECT sum(report_count) FROM marts.fct_detention_case").fetchone()[0]
    assert counted == reports
    cases = con.execute("SELECT count(*) FROM marts.fct_detention_case").fetchone()[0]
    assert cases < reports, "some real episodes are reported by more than one article"


@pytest.mark.slow
def test_a_case_knows_its_reports_outlets_and_history(case_runs):
    con, _ = case_runs
    rows = con.execute(
        """SELECT c.report_count, c.article_count, c.source_count, c.outcome_history, c.latest_outcome,
                  d.outcome, b.case_id IS NOT NULL
           FROM marts.fct_detention_case c
           JOIN marts.fct_detention d ON d.detention_id = c.latest_outcome_detention_id
           LEFT JOIN marts.bridge_detention_case_report b
             ON b.case_id = c.case_id AND b.detention_id = c.latest_outcome_detention_id"""
    ).fetchall()
    for reports, articles, sources, history, latest, stated, in_case in rows:
        assert 1 <= sources <= articles <= reports
        assert latest == stated and in_case, "the latest outcome is stated by one of the case's reports"
        assert history and latest in {step["outcome"] for step in history}
    assert any(articles > 1 for _, articles, *_ in rows), "a case reported by several articles"


@pytest.mark.slow
def test_case_ids_are_the_same_after_a_full_rebuild(case_runs):
    first, rebuilt = case_runs
    query = "SELECT case_id, detention_id FROM marts.bridge_detention_case_report ORDER BY ALL"
    assert first.execute(query).fetchall() == rebuilt.execute(query).fetchall()
    columns = "case_id, actor_id, first_date, latest_outcome, report_count, source_count"
    query = f"SELECT {columns} FROM marts.fct_detention_case ORDER BY ALL"
    assert first.execute(query).fetchall() == rebuilt.execute(query).fetchall()


@pytest.mark.slow
def test_two_episodes_of_one_person_stay_two_cases_and_one_episode_is_one(case_runs):
    con, _ = case_runs
    rows = con.execute(
        """SELECT d.evidence_text, b.case_id FROM marts.fct_detention d
           JOIN marts.dim_actor a USING (actor_id)
           JOIN marts.bridge_detention_case_report b USING (detention_id)
           WHERE a.name IN ('Zhanbolat Mamai', 'Sadyr Japarov')"""
    ).fetchall()

    def cases_of(phrase: str) -> set[str]:
        found = {case for evidence, case in rows if phrase in evidence}
        assert found, phrase
        return found

    # 604 tells Mamai's arrest of February 21 and, as background, his conviction of 2017
    assert cases_of("In 2017, Mamai was convicted").isdisjoint(cases_of("February 21 detention"))
    # 603 and 604 tell the same arrest of 21 February (no year in either): one case
    assert cases_of("On 21 February") == cases_of("February 21 detention")
    # Japarov's release of 2013 and his arrest at the border in 2017 are two episodes
    assert cases_of("On June 17, 2013").isdisjoint(cases_of("arrested at a border checkpoint"))

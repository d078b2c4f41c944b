"""Pairwise precision and recall of detention cases against a hand-written case gold.

Usage: python evaluation/cases/score_cases.py --warehouse W --gold evaluation/cases/gold.yaml

A gold report is (file, person) or (file, group). It is found in the warehouse as the
fct_detention rows of that file's article(s) whose detainee is that person (names compared
with the project's transliteration-aware matcher) or, for a group, the rows with no actor.
Each found report maps to the case(s) of its rows. Over every pair of found reports:
  recall    = pairs gold puts in one case that the warehouse also puts in one case / gold pairs
  precision = those pairs / pairs the warehouse puts in one case.
An article that tells two episodes of one person marks the older one's report with a `quote`
from the sentence that tells it; that report is the rows whose evidence holds the quote, and the
person's other report in that article is the remaining rows.
Reports the extractor did not find at all are counted apart (coverage): they are an
extraction miss, not a merging one.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import duckdb
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from flows.extract.names import same_person  # noqa: E402


def _rows(con: duckdb.DuckDBPyConnection, file: str) -> list[tuple[str, str | None, list[str], str]]:
    return con.execute(
        """SELECT b.case_id, d.actor_id, coalesce(list_prepend(a.name, a.aliases), []), d.evidence_text
           FROM marts.fct_detention d
           JOIN marts.dim_article art USING (article_id)
           JOIN marts.bridge_detention_case_report b USING (detention_id)
           LEFT JOIN marts.dim_actor a USING (actor_id)
           WHERE art.source_uri LIKE ?""",
        [f"%{file}"],
    ).fetchall()


def score(warehouse: Path, gold_path: Path) -> dict:
    gold = yaml.safe_load(gold_path.read_text(encoding="utf-8"))
    con = duckdb.connect(str(warehouse), read_only=True)
    reports = []  # (gold case, person or None, file, set of warehouse case ids)
    missing = []
    # An article that tells two episodes of one person gives the older one a `quote` from its own
    # sentence: that report is the rows whose evidence holds the quote, the other report the rest.
    quoted: dict[tuple[str, str], list[str]] = {}
    for case in gold["cases"]:
        for report in case["reports"]:
            if report.get("quote"):
                quoted.setdefault((report["file"], case.get("person") or ""), []).append(report["quote"])
    for case in gold["cases"]:
        person = case.get("person")
        for report in case["reports"]:
            rows = _rows(con, report["file"])
            if person:
                rows = [r for r in rows if r[1] and any(same_person(person, n) for n in r[2] if n)]
            else:
                rows = [r for r in rows if r[1] is None]
            quotes = quoted.get((report["file"], person or ""), [])
            if report.get("quote"):
                rows = [r for r in rows if report["quote"] in r[3]]
            elif quotes:
                rows = [r for r in rows if not any(q in r[3] for q in quotes)]
            cases = {r[0] for r in rows}
            if cases:
                reports.append((case["case"], person, report["file"], cases))
            else:
                missing.append((case["case"], report["file"]))
    con.close()
    tp = fp = fn = 0
    merged_episodes = []
    for (ga, pa, fa, ca), (gb, pb, fb, cb) in itertools.combinations(reports, 2):
        same_gold, same_wh = ga == gb, bool(ca & cb)
        tp += same_gold and same_wh
        fp += same_wh and not same_gold
        fn += same_gold and not same_wh
        if same_wh and not same_gold and pa and pa == pb:
            merged_episodes.append((ga, fa, gb, fb))
    total = sum(len(c["reports"]) for c in gold["cases"])
    return {
        "gold_cases": len(gold["cases"]),
        "gold_reports": total,
        "found_reports": len(reports),
        "missing_reports": missing,
        "pairs_tp": tp,
        "pairs_fp": fp,
        "pairs_fn": fn,
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "separate_episodes_merged": merged_episodes,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--gold", type=Path, default=Path(__file__).with_name("gold.yaml"))
    args = parser.parse_args()
    result = score(args.warehouse, args.gold)
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

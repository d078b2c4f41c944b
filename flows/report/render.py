"""The site's pages: the loaded frames shaped into Jinja2 contexts and rendered to files.

Autoescape is on for every template and nothing taken from an article is marked safe: the
only Markup handed to templates is the highlighted body (escaped piece by piece in
highlight.py) and chart specs (JSON escaped for a <script> element in charts.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from flows.report import charts
from flows.report.data import SiteData
from flows.report.highlight import Span, highlight_body
from flows.status import gate_parts

TEMPLATES_DIR = Path(__file__).parent / "templates"
PAGES = {
    "index.html": "Overview",
    "detentions.html": "Detentions",
    "parties.html": "Parties",
    "elections.html": "Elections",
    "people.html": "People",
    "articles.html": "Articles",
    "quality.html": "Data quality",
}


def format_date(day: date | datetime | None, precision: str | None = "day") -> str:
    """A date as precise as the text gives it: 2022-02-01, 2022-02, 2022, or '—'."""
    if day is None or precision == "unknown":
        return "—"
    if precision == "year":
        return f"{day:%Y}"
    if precision == "month":
        return f"{day:%Y-%m}"
    return f"{day:%Y-%m-%d}"


def format_term(days: int | None) -> str:
    if days is None:
        return "—"
    if days >= 365 and days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years > 1 else ''}"
    if days >= 60:
        return (
            f"{days} days (~{days / 30.4:.0f} months)"
            if days < 365
            else f"{days} days (~{days / 365:.1f} years)"
        )
    return f"{days} day{'s' if days != 1 else ''}"


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,  # every template, whatever its file name
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["date"] = format_date
    env.filters["term"] = format_term
    env.filters["label"] = lambda value: (value or "unknown").replace("_", " ")
    return env


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dicts()


def _by(frame: pl.DataFrame, key: str) -> dict[str, pl.DataFrame]:
    """Rows grouped by one key column (ids), so each page takes its own without a scan of all rows."""
    if frame.is_empty():
        return {}
    return {name: part for (name,), part in frame.partition_by(key, as_dict=True).items() if name is not None}


class SiteRenderer:
    """Renders every page of one warehouse into `out` (a fresh folder)."""

    def __init__(self, data: SiteData, out: Path, links: dict[str, str]) -> None:
        self.data = data
        self.out = out
        self.links = links  # other local sites (dbt docs, Data Docs), relative to the site root
        self.env = make_environment()
        self.article_titles = dict(
            zip(data.articles["article_id"].to_list(), data.articles["title"].to_list(), strict=True)
        )

    def _write(self, name: str, template: str, **context: Any) -> None:
        root = "../" * name.count("/")
        html = self.env.get_template(template).render(
            root=root,
            pages=PAGES,
            current=name,
            built_at=datetime.now(),
            published_at=self.data.published_at,
            article_titles=self.article_titles,
            **context,
        )
        path = self.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html, encoding="utf-8")

    def render_all(self) -> int:
        """Every page; returns how many were written."""
        self.overview()
        self.detentions()
        self.parties()
        self.elections()
        self.quality()
        self.people_index()
        self.articles_index()
        written = len(PAGES)
        written += self.person_pages()
        written += self.article_pages()
        return written

    # --- the top-level pages ----------------------------------------------------------------------

    def overview(self) -> None:
        data = self.data
        actors = data.actors
        counts = {
            "articles": len(data.articles),
            "people": actors.filter(pl.col("actor_type") == "person").height,
            "organisations": actors.filter(pl.col("actor_type") != "person").height,
            "parties": len(data.parties),
            "detention cases": len(data.cases),
            "detention reports": data.table_rows.get("fct_detention", 0),
            "elections": len(data.elections),
        }
        published_runs = data.runs.filter(pl.col("status") == "published")
        last_publish = published_runs.row(0, named=True) if len(published_runs) else None
        languages = (
            data.articles.group_by("language")
            .agg(pl.len().alias("articles"))
            .sort("articles", descending=True)
        )
        self._write(
            "index.html",
            "index.html",
            counts=counts,
            last_publish=last_publish,
            gates=gate_parts(last_publish["gate_summary"]) if last_publish else [],
            languages=_rows(languages),
            published=str(data.published),
        )

    def detentions(self) -> None:
        cases = self.data.cases
        self._write(
            "detentions.html",
            "detentions.html",
            cases=_rows(cases),
            undated=cases.filter(pl.col("first_date").is_null()).height,
            chart_months=charts.spec_json(charts.cases_by_month_and_country(cases)),
            chart_outcomes=charts.spec_json(charts.outcome_mix(cases)),
            chart_terms=charts.spec_json(charts.term_distribution(cases)),
        )

    def parties(self) -> None:
        parties, events = self.data.parties, self.data.party_events
        self._write(
            "parties.html",
            "parties.html",
            parties=_rows(parties),
            events=_rows(events),
            undated=events.filter(pl.col("event_date").is_null()).height,
            chart_status=charts.spec_json(charts.party_status_by_country(parties)),
            chart_timeline=charts.spec_json(charts.party_timeline(events)) if len(events) else None,
        )

    def elections(self) -> None:
        results_by_election = _by(self.data.results, "election_id")
        elections = []
        for election in _rows(self.data.elections):
            results = results_by_election.get(election["election_id"])
            election["results"] = _rows(results) if results is not None else []
            election["chart"] = (
                charts.spec_json(charts.election_results(results))
                if results is not None
                and (results["vote_share_pct"].is_not_null().any() or results["seats"].is_not_null().any())
                else None
            )
            elections.append(election)
        self._write("elections.html", "elections.html", elections=elections)

    def quality(self) -> None:
        runs = self.data.runs
        last = runs.row(0, named=True) if len(runs) else None
        self._write(
            "quality.html",
            "quality.html",
            runs=_rows(runs),
            last=last,
            gates=gate_parts(last["gate_summary"]) if last else [],
            quarantine=_rows(self.data.quarantine),
            table_rows=self.data.table_rows,
            links=self.links,
        )

    def people_index(self) -> None:
        self._write("people.html", "people.html", actors=_rows(self.data.actors))

    def articles_index(self) -> None:
        facts = (
            self.data.spans.filter(~pl.col("kind").str.starts_with("mention_"))
            .group_by("article_id")
            .agg(pl.len().alias("facts"))
        )
        articles = self.data.articles.drop("body").join(facts, on="article_id", how="left")
        self._write("articles.html", "articles.html", articles=_rows(articles))

    # --- a page per person and per article -------------------------------------------------------

    def person_pages(self) -> int:
        data = self.data
        mentions = _by(data.actor_mentions, "actor_id")
        events = _by(data.actor_events, "actor_id")
        cases = _by(data.cases, "actor_id")
        reports = _by(data.case_reports, "case_id")
        results = _by(data.results, "actor_id")
        for actor in _rows(data.actors):
            actor_id = actor["actor_id"]
            own_mentions = mentions.get(actor_id)
            spellings = _spellings(actor["aliases"] or [], own_mentions)
            own_cases = []
            for case in _rows(cases[actor_id]) if actor_id in cases else []:
                case["reports"] = _rows(reports[case["case_id"]]) if case["case_id"] in reports else []
                own_cases.append(case)
            mentioned_in = (
                _rows(
                    own_mentions.group_by("article_id", "published_date")
                    .agg(pl.len().alias("mentions"))
                    .sort("published_date", "article_id", nulls_last=True)
                )
                if own_mentions is not None
                else []
            )
            chart = (
                charts.spec_json(charts.mentions_over_time(own_mentions["published_date"].to_list()))
                if own_mentions is not None
                else None
            )
            self._write(
                f"people/{actor_id}.html",
                "person.html",
                actor=actor,
                spellings=spellings,
                cases=own_cases,
                events=_rows(events[actor_id]) if actor_id in events else [],
                results=_rows(results[actor_id]) if actor_id in results else [],
                mentioned_in=mentioned_in,
                chart_mentions=chart,
            )
        return len(data.actors)

    def article_pages(self) -> int:
        spans_by_article = _by(self.data.spans, "article_id")
        for article in _rows(self.data.articles):
            spans = spans_by_article.get(article["article_id"])
            span_rows = _rows(spans) if spans is not None else []
            body = highlight_body(
                article["body"] or "",
                [
                    Span(row["kind"], row["fact_id"], row["label"] or "", row["char_start"], row["char_end"])
                    for row in span_rows
                ],
            )
            facts = sorted(
                (row for row in span_rows if not row["kind"].startswith("mention_")),
                key=lambda row: (row["char_start"], row["kind"]),
            )
            self._write(
                f"articles/{article['article_id']}.html",
                "article.html",
                article=article,
                body=body,
                facts=facts,
            )
        return len(self.data.articles)


def _spellings(aliases: Iterable[str], mentions: pl.DataFrame | None) -> list[dict[str, Any]]:
    """Every way the person is written: the aliases dbt merged, and each surface form with its count."""
    counts: dict[str, int] = dict.fromkeys(aliases, 0)
    if mentions is not None:
        for text, count in mentions.group_by("surface_text").agg(pl.len()).iter_rows():
            counts[text] = counts.get(text, 0) + count
    return [
        {"spelling": text, "mentions": count}
        for text, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]

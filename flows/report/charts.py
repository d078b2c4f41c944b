"""Plotly figures for the site, as JSON specs that static/charts.js hands to the local plotly.min.js.

Figures are built in Python with plotly's graph objects (validated against plotly.js's schema)
and drawn in the browser by the plotly.min.js that the plotly wheel ships, copied once into the
site's assets: no CDN, no network. The figures use the empty template ('none') plus a small
layout of our own, which keeps each spec a few hundred bytes instead of the default template's 6 kB.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import plotly.graph_objects as go
import polars as pl
from markupsafe import Markup

# Okabe-Ito: distinguishable for the common colour-vision deficiencies.
COLORWAY = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
BASE_LAYOUT = {
    "template": "none",
    "colorway": COLORWAY,
    "font": {"family": "system-ui, sans-serif", "size": 13},
    "margin": {"l": 60, "r": 20, "t": 40, "b": 60},
    "height": 360,
    "hoverlabel": {"namelength": -1},
    # Upright tool bar at the right edge, so it never covers a title on a half-width chart.
    "modebar": {"orientation": "v"},
}
# Custodial terms grouped the way monitors report them: days of administrative arrest up to years.
TERM_BUCKETS = (
    (15, "up to 15 days"),
    (30, "16–30 days"),
    (365, "1–12 months"),
    (3 * 365, "1–3 years"),
    (5 * 365, "3–5 years"),
    (10 * 365, "5–10 years"),
)
TERM_OVER = "over 10 years"
HOVER_EVIDENCE_CHARS = 160
MONTH_MS = 30.4 * 24 * 3600 * 1000
UNDATED = "undated"

# Characters that could end a <script> element or open a comment inside it (as Django's json_script).
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def spec_json(figure: go.Figure) -> Markup:
    """The figure as JSON that is inert inside <script type="application/json">, whatever its text holds."""
    text = json.dumps(json.loads(figure.to_json()), ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_SCRIPT_ESCAPES))


def _figure(traces: list[go.BaseTraceType], title: str, **layout) -> go.Figure:
    # Titles on the left: the tool bar plotly.js shows on the right would cover a centred one.
    title_layout = {"text": title, "x": 0, "xanchor": "left", "xref": "paper"}
    return go.Figure(data=traces, layout={**BASE_LAYOUT, "title": title_layout, **layout})


def plotly_text(text: str | None) -> str:
    """Text for a label or hover box. plotly.js reads a subset of HTML in them (<b>, <a href>, <br>);
    article text must stay text, so its markup characters become the entities plotly.js prints as such."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _labels(values: list[str | None]) -> list[str]:
    return [plotly_text(value) for value in values]


def _short(text: str | None) -> str:
    text = (text or "").replace("\n", " ")
    text = text if len(text) <= HOVER_EVIDENCE_CHARS else text[: HOVER_EVIDENCE_CHARS - 1] + "…"
    return plotly_text(text)


def cases_by_month_and_country(cases: pl.DataFrame) -> go.Figure:
    """Detention cases per month of their first date, stacked by country (undated cases are counted apart)."""
    dated = (
        cases.filter(pl.col("first_date").is_not_null())
        .with_columns(pl.col("first_date").dt.truncate("1mo").alias("month"))
        .group_by("country", "month")
        .agg(pl.len().alias("cases"))
        .sort("country", "month")
    )
    # A bar is centred on its month and at least a month wide; when the cases span decades, wider,
    # so that a lone case stays visible (the hover gives its month).
    months = dated["month"].to_list()
    span_ms = (max(months) - min(months)).total_seconds() * 1000 if months else 0
    width_ms = max(MONTH_MS, span_ms / 80)
    traces = [
        go.Bar(
            name=plotly_text(country),
            x=[month + timedelta(days=15) for month in part["month"].to_list()],
            y=part["cases"].to_list(),
            width=width_ms,
            customdata=[f"{month:%Y-%m}" for month in part["month"].to_list()],
            hovertemplate="%{customdata}: %{y} cases<extra>%{fullData.name}</extra>",
        )
        for (country,), part in dated.group_by("country", maintain_order=True)
    ]
    return _figure(
        traces,
        "Detention cases per month, by country",
        barmode="stack",
        xaxis={"type": "date", "title": {"text": "month of the first report of the case"}},
        yaxis={"title": {"text": "cases"}, "rangemode": "tozero"},
    )


def outcome_mix(cases: pl.DataFrame) -> go.Figure:
    counts = cases.group_by("outcome").agg(pl.len().alias("cases")).sort("cases", descending=True)
    return _figure(
        [
            go.Bar(
                x=_labels(counts["outcome"].fill_null("unknown").str.replace_all("_", " ").to_list()),
                y=counts["cases"].to_list(),
            )
        ],
        "Latest outcome of each case",
        xaxis={"automargin": True},
        yaxis={"title": {"text": "cases"}, "rangemode": "tozero"},
    )


def term_bucket(term_days: int) -> str:
    for upper, label in TERM_BUCKETS:
        if term_days <= upper:
            return label
    return TERM_OVER


def term_distribution(cases: pl.DataFrame) -> go.Figure:
    terms = cases["term_days"].drop_nulls().to_list()
    labels = [label for _, label in TERM_BUCKETS] + [TERM_OVER]
    counts = dict.fromkeys(labels, 0)
    for days in terms:
        counts[term_bucket(days)] += 1
    return _figure(
        [go.Bar(x=labels, y=list(counts.values()))],
        f"Custodial terms ({len(terms)} cases with a term)",
        xaxis={"automargin": True},
        yaxis={"title": {"text": "cases"}, "rangemode": "tozero"},
    )


def party_status_by_country(parties: pl.DataFrame) -> go.Figure:
    counts = (
        parties.with_columns(pl.col("registration_status").fill_null("unknown"))
        .group_by("registration_status", "country")
        .agg(pl.len().alias("parties"))
        .sort("registration_status", "country")
    )
    traces = [
        go.Bar(name=plotly_text(status), x=_labels(part["country"].to_list()), y=part["parties"].to_list())
        for (status,), part in counts.group_by("registration_status", maintain_order=True)
    ]
    return _figure(
        traces,
        "Registration status of parties, by country",
        barmode="stack",
        yaxis={"title": {"text": "parties"}, "rangemode": "tozero"},
    )


def party_timeline(events: pl.DataFrame) -> go.Figure:
    """Dated foundings, refusals, registrations and bans: one marker per party and event."""
    dated = events.filter(pl.col("event_date").is_not_null()).sort("event_type", "event_date")
    traces = [
        go.Scatter(
            name=plotly_text(event_type.replace("_", " ")),
            mode="markers",
            x=part["event_date"].to_list(),
            y=_labels(part["party"].to_list()),
            text=[_short(text) for text in part["evidence_text"].to_list()],
            hovertemplate="%{y}, %{x}<br>%{text}<extra>%{fullData.name}</extra>",
            marker={"size": 12, "symbol": "diamond"},
        )
        for (event_type,), part in dated.group_by("event_type", maintain_order=True)
    ]
    parties = dated["party"].n_unique()
    return _figure(
        traces,
        "Registration events over time (dated events)",
        height=max(260, 120 + 32 * parties),
        margin={**BASE_LAYOUT["margin"], "l": 220},
        xaxis={"type": "date"},
        yaxis={"type": "category", "automargin": True},
    )


def election_results(results: pl.DataFrame) -> go.Figure:
    """One election: vote shares when the texts give them, else seats."""
    by_share = results.filter(pl.col("vote_share_pct").is_not_null())
    measure, label = ("vote_share_pct", "vote share, %") if len(by_share) else ("seats", "seats")
    rows = results.filter(pl.col(measure).is_not_null()).sort(measure)
    return _figure(
        [
            go.Bar(
                orientation="h",
                x=rows[measure].to_list(),
                y=_labels(rows["contestant"].to_list()),
                # The evidence is for the hover box only: plotly.js would also print it on the bar.
                text=[_short(text) for text in rows["evidence_text"].to_list()],
                textposition="none",
                hovertemplate="%{y}: %{x}<br>%{text}<extra></extra>",
            )
        ],
        f"Results ({label})",
        height=max(200, 100 + 30 * len(rows)),
        margin={**BASE_LAYOUT["margin"], "l": 220},
        xaxis={"title": {"text": label}, "rangemode": "tozero"},
        yaxis={"type": "category", "automargin": True},
    )


def mentions_over_time(dates: list[date | None]) -> go.Figure:
    """Mentions per month of their article's date; mentions in undated articles form one last bar."""
    months: dict[str, int] = {}
    undated = 0
    for day in dates:
        if day is None:
            undated += 1
        else:
            key = f"{day:%Y-%m}"
            months[key] = months.get(key, 0) + 1
    labels = sorted(months)
    values = [months[label] for label in labels]
    if undated:
        labels.append(UNDATED)
        values.append(undated)
    return _figure(
        [go.Bar(x=labels, y=values)],
        "Mentions per month of the article's date",
        height=280,
        xaxis={"type": "category", "title": {"text": "month"}},
        yaxis={"title": {"text": "mentions"}, "rangemode": "tozero"},
    )

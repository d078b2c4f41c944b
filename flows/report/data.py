"""Everything the site shows, read once from the published warehouse into Polars frames.

Only contract tables (`marts.*`) and `ops.*` are read, as the worked queries do, so the site
keeps working while extraction and the dbt models change underneath. Detention *counts* come
from cases (`fct_detention_case`); evidence sentences from the reports behind them
(`fct_detention`, through `bridge_detention_case_report`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from flows.audit import CONTRACT_TABLES
from flows.publish import published_at
from flows.status import QUARANTINE_SQL, RUN_LOG_SQL

# Party events shown on the parties timeline, as in queries/05 and 06.
REGISTRATION_EVENTS = ("organization_founded", "registration_refused", "registration_granted", "ban")

CASES_SQL = """
select
    case_.case_id,
    case_.actor_id,
    coalesce(actor.name, case_.detainee_description, 'unnamed group') as detainee,
    case_.detainee_count,
    case_.latest_outcome as outcome,
    case_.term_days,
    case_.first_date,
    case_.first_date_precision,
    coalesce(country.name, 'unknown country') as country,
    case_.location,
    case_.charge,
    case_.report_count,
    case_.source_count,
    detention.detention_id as evidence_detention_id,
    detention.article_id as evidence_article_id,
    detention.evidence_text
from marts.fct_detention_case as case_
left join marts.dim_actor as actor on case_.actor_id = actor.actor_id
left join marts.dim_country as country on case_.country_id = country.country_id
join marts.fct_detention as detention on case_.latest_outcome_detention_id = detention.detention_id
order by case_.first_date desc nulls last, detainee
"""

# Every report behind every case: a person page lists each, with its own evidence.
CASE_REPORTS_SQL = """
select
    bridge.case_id,
    case_.actor_id,
    detention.detention_id,
    detention.outcome,
    detention.term_days,
    detention.detained_date,
    detention.detained_date_precision,
    detention.charge,
    detention.article_id,
    coalesce(article.title, article.source_uri) as article_title,
    article.published_date,
    detention.evidence_text
from marts.bridge_detention_case_report as bridge
join marts.fct_detention_case as case_ on case_.case_id = bridge.case_id
join marts.fct_detention as detention on detention.detention_id = bridge.detention_id
join marts.dim_article as article on article.article_id = bridge.article_id
order by bridge.case_id, article.published_date nulls last, detention.detention_id
"""

PARTIES_SQL = """
select
    party.party_id,
    party.name,
    party.aliases,
    coalesce(country.name, 'unknown country') as country,
    party.kind,
    party.registration_status,
    party.first_seen_date,
    party.last_seen_date,
    party.article_count
from marts.dim_party as party
left join marts.dim_country as country on party.country_id = country.country_id
order by country, party.name
"""

# A party's registration events: it takes part in the event, or is named inside its evidence
# (the same rule as queries/05_party_registration_history.sql).
PARTY_EVENTS_SQL = f"""
with party_events as (
    select participant.entity_id as party_id, participant.event_id
    from marts.bridge_event_participant as participant
    where participant.entity_type = 'party'
    union
    select mention.entity_id as party_id, event.event_id
    from marts.fct_mention as mention
    join marts.fct_event as event
        on event.article_id = mention.article_id
        and mention.char_start < event.char_end and mention.char_end > event.char_start
    where mention.entity_type = 'party'
)
select
    party.party_id,
    party.name as party,
    coalesce(country.name, 'unknown country') as country,
    event.event_id,
    event.event_type,
    event.event_date,
    event.event_date_precision,
    event.article_id,
    event.evidence_text
from party_events
join marts.fct_event as event on event.event_id = party_events.event_id
join marts.dim_party as party on party.party_id = party_events.party_id
left join marts.dim_country as country on party.country_id = country.country_id
where event.event_type in {REGISTRATION_EVENTS}
order by event.event_date nulls last, party.name, event.event_type
"""

ELECTIONS_SQL = """
select
    election.election_id,
    coalesce(country.name, 'unknown country') as country,
    election.election_type,
    election.election_date,
    election.election_date_precision,
    election.is_snap,
    election.article_count,
    first(bridge.article_id order by bridge.article_id) as article_id,
    first(bridge.evidence_text order by bridge.article_id) as evidence_text
from marts.fct_election as election
left join marts.dim_country as country on election.country_id = country.country_id
left join marts.bridge_election_article as bridge on bridge.election_id = election.election_id
group by all
order by election.election_date desc nulls last, country, election.election_type
"""

RESULTS_SQL = """
select
    result.election_id,
    result.party_id,
    result.actor_id,
    coalesce(party.name, candidate.name, 'unnamed') as contestant,
    result.vote_share_pct,
    result.seats,
    result.vote_count,
    result.article_id,
    result.evidence_text
from marts.fct_election_result as result
left join marts.dim_party as party on result.party_id = party.party_id
left join marts.dim_actor as candidate on result.actor_id = candidate.actor_id
order by result.election_id, result.vote_share_pct desc nulls last, result.seats desc nulls last
"""

ACTORS_SQL = """
select
    actor.actor_id,
    actor.name,
    actor.aliases,
    actor.actor_type,
    actor.roles,
    actor.party_id,
    party.name as party,
    country.name as country,
    actor.article_count,
    actor.mention_count,
    actor.first_seen_date,
    actor.last_seen_date
from marts.dim_actor as actor
left join marts.dim_party as party on actor.party_id = party.party_id
left join marts.dim_country as country on actor.country_id = country.country_id
order by actor.mention_count desc nulls last, actor.name
"""

# Mentions of actors, dated by their article (the month a person was written about).
ACTOR_MENTIONS_SQL = """
select
    mention.entity_id as actor_id,
    mention.surface_text,
    mention.article_id,
    article.published_date
from marts.fct_mention as mention
join marts.dim_article as article on article.article_id = mention.article_id
where mention.entity_type = 'actor'
"""

# Events a person takes part in, with the role the parse gave them.
ACTOR_EVENTS_SQL = """
select
    participant.entity_id as actor_id,
    participant.role,
    event.event_id,
    event.event_type,
    event.event_date,
    event.event_date_precision,
    event.article_id,
    event.evidence_text
from marts.bridge_event_participant as participant
join marts.fct_event as event on event.event_id = participant.event_id
where participant.entity_type = 'actor'
order by event.event_date nulls last, event.event_type
"""

ARTICLES_SQL = """
select
    article_id,
    coalesce(title, source_uri) as title,
    source_uri,
    source_name,
    url,
    published_date,
    published_date_precision,
    language,
    body,
    char_count
from marts.dim_article
order by published_date desc nulls last, title
"""

# The spans highlighted on an article page: every fact with its evidence, and every mention.
SPANS_SQL = """
select article_id, 'detention' as kind, detention_id as fact_id, outcome as label, char_start, char_end
from marts.fct_detention
union all
select article_id, 'event', event_id, event_type, char_start, char_end from marts.fct_event
union all
select article_id, 'election', election_id, 'election', char_start, char_end from marts.bridge_election_article
union all
select article_id, 'result', election_result_id, 'election result', char_start, char_end
from marts.fct_election_result
union all
select article_id, 'mention_' || entity_type, entity_id, surface_text, char_start, char_end from marts.fct_mention
"""


class ReportError(RuntimeError):
    """The site cannot be built (nothing published yet, or the file cannot be read)."""


@dataclass
class SiteData:
    published: Path
    published_at: datetime | None
    table_rows: dict[str, int]
    runs: pl.DataFrame
    quarantine: pl.DataFrame
    cases: pl.DataFrame
    case_reports: pl.DataFrame
    parties: pl.DataFrame
    party_events: pl.DataFrame
    elections: pl.DataFrame
    results: pl.DataFrame
    actors: pl.DataFrame
    actor_mentions: pl.DataFrame
    actor_events: pl.DataFrame
    articles: pl.DataFrame
    spans: pl.DataFrame


def load_site_data(published: Path) -> SiteData:
    """Read the published warehouse (read-only: a run swaps in a new file, never edits this one)."""
    if not published.exists():
        raise ReportError(f"nothing published at {published} yet: run `steppewatch run` first")
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error as error:
        raise ReportError(f"cannot open {published} read-only: {error}") from error
    try:

        def frame(sql: str) -> pl.DataFrame:
            return con.sql(sql).pl()

        return SiteData(
            published=published,
            published_at=published_at(published),
            table_rows={
                name: con.execute(f"select count(*) from marts.{name}").fetchall()[0][0]
                for name in CONTRACT_TABLES
            },
            runs=frame(RUN_LOG_SQL),
            quarantine=frame(QUARANTINE_SQL),
            cases=frame(CASES_SQL),
            case_reports=frame(CASE_REPORTS_SQL),
            parties=frame(PARTIES_SQL),
            party_events=frame(PARTY_EVENTS_SQL),
            elections=frame(ELECTIONS_SQL),
            results=frame(RESULTS_SQL),
            actors=frame(ACTORS_SQL),
            actor_mentions=frame(ACTOR_MENTIONS_SQL),
            actor_events=frame(ACTOR_EVENTS_SQL),
            articles=frame(ARTICLES_SQL),
            spans=frame(SPANS_SQL),
        )
    except duckdb.Error as error:
        raise ReportError(f"{published} does not hold the published tables: {error}") from error
    finally:
        con.close()

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('identity') }}",
    )
}}
-- People (or unnamed groups) detained, arrested, jailed or sentenced, with evidence.
-- Incremental by article (macros/incremental.sql).
-- depends_on: {{ ref('int_articles_to_reresolve') }}
select
    detention_id,
    event_id,
    article_id,
    actor_id,
    detainee_count,
    detained_date,
    detained_date_precision,
    country_id,
    location,
    authority,
    charge,
    outcome,
    term_days,
    evidence_text,
    char_start,
    char_end
from {{ ref('int_detentions_resolved') }}
where {{ rebuilt_articles_only('article_id', 'identity') }}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('content') }}",
    )
}}
-- Event candidates placed in their current article(s), with a content-derived event_id:
-- md5(article_id, char_start, char_end, event_type).
-- Incremental by article (macros/incremental.sql).
-- depends_on: {{ ref('int_article_changes') }}
with events as (

    select * from {{ ref('stg_events') }}

),

articles as (

    select article_id, content_sha256 from {{ ref('stg_articles') }}

)

select
    {{ stable_id(['articles.article_id', 'events.char_start', 'events.char_end', 'events.event_type']) }}
        as event_id,
    articles.article_id,
    events.content_sha256,
    events.event_no,
    events.event_type,
    events.trigger_text,
    events.event_date,
    case when events.event_date is null then 'unknown' else events.event_date_precision end
        as event_date_precision,
    events.country_id,
    events.location,
    events.evidence_text,
    events.char_start,
    events.char_end,
    events.confidence
from events
inner join articles on events.content_sha256 = articles.content_sha256
where {{ rebuilt_articles_only('articles.article_id', 'content') }}

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('content') }}",
    )
}}
-- Events with their evidence sentence.
-- Incremental by article (macros/incremental.sql).
-- depends_on: {{ ref('int_article_changes') }}
with events as (

    select * from {{ ref('int_events_located') }}
    where {{ rebuilt_articles_only('article_id', 'content') }}

)

select
    event_id,
    article_id,
    event_type,
    event_date,
    event_date_precision,
    country_id,
    location,
    evidence_text,
    char_start,
    char_end,
    confidence,
    trigger_text
from events
-- one evidence span and type is one event, however often the extractor reported it
qualify row_number() over (partition by event_id order by confidence desc, event_no) = 1

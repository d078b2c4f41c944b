{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('identity') }}",
    )
}}
-- Detentions placed in their current article(s), linked to their event and detainee.
--
-- detention_id = md5(article_id, evidence offsets, detainee key): the detainee key is the
-- detainee mention's offsets ('mention:<start>-<end>') or 'group' for an unnamed group,
-- followed by '#<ordinal>' among detentions sharing the same evidence and detainee
-- (ordered by the extractor's detention_no), so two records of one person in one
-- sentence (arrested, then sentenced) keep distinct ids.
-- Incremental by article (macros/incremental.sql).
-- depends_on: {{ ref('int_articles_to_reresolve') }}
with detentions as (

    select * from {{ ref('stg_detentions') }}

),

articles as (

    select article_id, content_sha256 from {{ ref('stg_articles') }}
    where {{ rebuilt_articles_only('article_id', 'identity') }}

),

events as (

    select article_id, event_no, event_id from {{ ref('int_events_located') }}
    where {{ rebuilt_articles_only('article_id', 'identity') }}

),

mentions as (

    select * from {{ ref('int_mention_entities') }}
    where {{ rebuilt_articles_only('article_id', 'identity') }}

),

placed as (

    select
        articles.article_id,
        detentions.*,
        detainee.char_start as detainee_char_start,
        detainee.char_end as detainee_char_end,
        case when detainee.entity_type = 'actor' then detainee.entity_id end as actor_id,
        case
            when detainee.mention_id is not null
                then 'mention:' || detainee.char_start || '-' || detainee.char_end
            else 'group'
        end as detainee_key
    from detentions
    inner join articles on detentions.content_sha256 = articles.content_sha256
    left join mentions as detainee
        on articles.article_id = detainee.article_id
        and detentions.detainee_mention_no = detainee.mention_no

),

keyed as (

    select
        *,
        detainee_key || '#' || row_number() over (
            partition by article_id, char_start, char_end, detainee_key
            order by detention_no
        ) as detainee_ordinal_key
    from placed

)

select
    {{ stable_id(['keyed.article_id', 'keyed.char_start', 'keyed.char_end', 'keyed.detainee_ordinal_key']) }}
        as detention_id,
    events.event_id,
    keyed.article_id,
    keyed.content_sha256,
    keyed.detention_no,
    keyed.event_no,
    keyed.detainee_mention_no,
    keyed.actor_id,
    keyed.detainee_count,
    keyed.detained_date,
    case when keyed.detained_date is null then 'unknown' else keyed.detained_date_precision end
        as detained_date_precision,
    keyed.country_id,
    keyed.location,
    keyed.authority,
    keyed.charge,
    keyed.outcome,
    keyed.term_days,
    keyed.evidence_text,
    keyed.char_start,
    keyed.char_end,
    keyed.detained_day_month,
    keyed.reported_date
from keyed
left join events
    on keyed.article_id = events.article_id
    and keyed.event_no = events.event_no

{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('content') }}",
    )
}}
-- Every mention placed in the current article(s) whose body it was extracted from.
-- Extraction is keyed by the body's sha256, so one body shared by two articles yields
-- the mention once per article; mention_id includes article_id to keep them apart.
-- Incremental by article (macros/incremental.sql).
-- depends_on: {{ ref('int_article_changes') }}
with mentions as (

    select * from {{ ref('stg_mentions') }}

),

articles as (

    select article_id, content_sha256, published_date from {{ ref('stg_articles') }}

)

select
    {{ stable_id(['articles.article_id', 'mentions.entity_type', 'mentions.char_start', 'mentions.char_end']) }}
        as mention_id,
    articles.article_id,
    articles.published_date,
    mentions.content_sha256,
    mentions.mention_no,
    mentions.entity_type,
    mentions.surface_text,
    mentions.char_start,
    mentions.char_end,
    mentions.canonical_name,
    mentions.name_key,
    mentions.ref_id,
    mentions.country_id,
    mentions.roles,
    mentions.party_name_key,
    mentions.party_kind,
    mentions.party_status,
    mentions.detector
from mentions
inner join articles on mentions.content_sha256 = articles.content_sha256
where {{ rebuilt_articles_only('articles.article_id', 'content') }}

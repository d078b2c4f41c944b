{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('identity') }}",
    )
}}
-- Party mentions resolved to a party across the whole warehouse: each mention takes its
-- name's cluster from int_party_name_clusters. party_id = md5(cluster key): stable across
-- runs and rebuilds. Incremental by article (macros/incremental.sql).
-- depends_on: {{ ref('int_articles_to_reresolve') }}
with mentions as (

    select * from {{ ref('int_mentions_located') }}
    where entity_type = 'party'
        and {{ rebuilt_articles_only('article_id', 'identity') }}

),

names as (

    select * from {{ ref('int_party_name_clusters') }}

)

select
    mentions.mention_id,
    mentions.article_id,
    mentions.published_date,
    mentions.content_sha256,
    mentions.mention_no,
    mentions.surface_text,
    mentions.char_start,
    mentions.char_end,
    mentions.canonical_name,
    mentions.name_key,
    mentions.ref_id,
    mentions.country_id,
    mentions.party_kind,
    mentions.party_status,
    mentions.detector,
    names.cluster_key,
    names.resolution,
    names.party_ref_id,
    {{ stable_id(['names.cluster_key']) }} as party_id
from mentions
inner join names
    on mentions.name_key is not distinct from names.name_key
    and mentions.ref_id is not distinct from names.ref_id

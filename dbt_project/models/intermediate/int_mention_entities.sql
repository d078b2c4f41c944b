{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('identity') }}",
    )
}}
-- Every person/organization/party/country mention with the warehouse entity it denotes:
-- entity_type 'actor' (actor_id), 'party' (party_id) or 'country' (ISO2 country_id).
-- Facts that point at a mention (participants, detainees, results) look it up here.
-- Incremental by article (macros/incremental.sql).
-- depends_on: {{ ref('int_articles_to_reresolve') }}
with actor_mentions as (

    select * from {{ ref('int_actor_mentions_resolved') }}
    where {{ rebuilt_articles_only('article_id', 'identity') }}

),

party_mentions as (

    select * from {{ ref('int_party_mentions_resolved') }}
    where {{ rebuilt_articles_only('article_id', 'identity') }}

),

country_mentions as (

    select * from {{ ref('int_mentions_located') }}
    where entity_type = 'country'
        and {{ rebuilt_articles_only('article_id', 'identity') }}

)

select
    mention_id, article_id, content_sha256, mention_no, entity_type as source_entity_type,
    'actor' as entity_type, actor_id as entity_id, surface_text, char_start, char_end
from actor_mentions

union all

select
    mention_id, article_id, content_sha256, mention_no, 'party' as source_entity_type,
    'party' as entity_type, party_id as entity_id, surface_text, char_start, char_end
from party_mentions

union all

-- A country mention the extractor could not place in a country denotes nothing.
select
    mention_id, article_id, content_sha256, mention_no, 'country' as source_entity_type,
    'country' as entity_type, upper(coalesce(country_id, ref_id)) as entity_id,
    surface_text, char_start, char_end
from country_mentions
where coalesce(country_id, ref_id) is not null

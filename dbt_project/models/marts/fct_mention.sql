{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('identity') }}",
    )
}}
-- Every person / organization / party / country mention, pointing at the entity it denotes.
-- Incremental by article (macros/incremental.sql).
-- depends_on: {{ ref('int_articles_to_reresolve') }}
with mention_entities as (

    select * from {{ ref('int_mention_entities') }}
    where {{ rebuilt_articles_only('article_id', 'identity') }}

)

select
    mention_id,
    article_id,
    entity_type,
    entity_id,
    surface_text,
    char_start,
    char_end,
    source_entity_type as mention_type
from mention_entities
-- the extractor may report one span twice; one mention_id is one mention
qualify row_number() over (partition by mention_id order by mention_no) = 1

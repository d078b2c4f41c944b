{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('identity') }}",
    )
}}
-- Person and organization mentions resolved to an actor across the whole warehouse.
--
-- The names resolve in int_actor_name_clusters (reference ids, shared name keys, near
-- spellings, names an article states are another name of a person: see there). Here each mention takes its name's cluster, and a lone surname
-- ('Mamai') that its article did not resolve joins the multi-token person cluster with that
-- last name token: the one in its own article when exactly one is there; else, when its
-- article has none, the unique one across the warehouse. When several clusters share the
-- surname it cannot be attributed and stays its own cluster.
-- actor_id = md5(cluster key): stable across runs and rebuilds.
-- Incremental by article (macros/incremental.sql); name_cluster_key and surname_owner_key keep
-- what the names resolved to, so a later run can tell which articles a new name re-resolves.
-- depends_on: {{ ref('int_articles_to_reresolve') }}
with mentions as (

    select * from {{ ref('int_mentions_located') }}
    where entity_type in ('person', 'organization')
        and {{ rebuilt_articles_only('article_id', 'identity') }}

),

names as (

    select * from {{ ref('int_actor_name_clusters') }}

),

respelled as (

    select
        mentions.*,
        names.resolved_ref_id,
        names.base_resolution,
        names.near_spelling,
        names.stated_alias,
        names.name_cluster_key as base_cluster_key,
        names.surname_owner_key
    from mentions
    inner join names
        on mentions.entity_type = names.entity_type
        and mentions.name_key is not distinct from names.name_key
        and mentions.ref_id is not distinct from names.ref_id

),

surname_owners as (

    select distinct
        article_id,
        base_cluster_key,
        {{ last_name_token('name_key') }} as surname
    from respelled
    where entity_type = 'person' and {{ name_token_count('name_key') }} > 1

),

article_owners as (

    select
        article_id,
        surname,
        count(distinct base_cluster_key) as owner_count,
        min(base_cluster_key) as cluster_key
    from surname_owners
    group by article_id, surname

),

resolved as (

    select
        respelled.*,
        case
            when respelled.entity_type <> 'person'
                or respelled.resolved_ref_id is not null
                or {{ name_token_count('respelled.name_key') }} <> 1
                then null
            when article_owners.owner_count = 1 then article_owners.cluster_key
            when article_owners.owner_count is null then respelled.surname_owner_key
        end as surname_cluster_key
    from respelled
    left join article_owners
        on respelled.article_id = article_owners.article_id
        and respelled.name_key = article_owners.surname

),

final as (

    select
        *,
        coalesce(surname_cluster_key, base_cluster_key) as cluster_key,
        case
            when surname_cluster_key is not null then 'surname'
            when stated_alias then 'stated_alias'
            when near_spelling then 'near_spelling'
            else base_resolution
        end as resolution
    from resolved

)

select
    mention_id,
    article_id,
    published_date,
    content_sha256,
    mention_no,
    entity_type,
    surface_text,
    char_start,
    char_end,
    canonical_name,
    name_key,
    ref_id,
    country_id,
    roles,
    party_name_key,
    detector,
    base_cluster_key as name_cluster_key,
    surname_owner_key,
    cluster_key,
    resolution,
    case when starts_with(cluster_key, 'ref:') then substr(cluster_key, 5) end as actor_ref_id,
    {{ stable_id(['cluster_key']) }} as actor_id
from final

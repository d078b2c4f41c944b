-- Person and organization mentions resolved to an actor across the whole warehouse.
--
-- Cluster key, in order of preference:
--   1. 'ref:' || ref_id when the extractor matched the mention to the reference seeds;
--   2. the reference entity that other mentions of the same type and name_key were
--      matched to, when exactly one was (an unmatched spelling of a known name);
--   3. entity_type || ':' || name_key.
-- A lone surname ('Mamai') that its article did not resolve joins the multi-token
-- person cluster with that last name token: the one in its own article when exactly one
-- is there; else, when its article has none, the unique one across the warehouse. When
-- several clusters share the surname it cannot be attributed and stays its own cluster.
-- actor_id = md5(cluster key): stable across runs and rebuilds.
with mentions as (

    select * from {{ ref('int_mentions_located') }}
    where entity_type in ('person', 'organization')

),

reference_name_keys as (

    select entity_type, name_key, min(ref_id) as ref_id
    from mentions
    where ref_id is not null
    group by entity_type, name_key
    having count(distinct ref_id) = 1

),

keyed as (

    select
        mentions.*,
        coalesce(mentions.ref_id, reference_name_keys.ref_id) as resolved_ref_id,
        case
            when mentions.ref_id is not null then 'reference'
            when reference_name_keys.ref_id is not null then 'reference_name_key'
            else 'name_key'
        end as base_resolution,
        case
            when coalesce(mentions.ref_id, reference_name_keys.ref_id) is not null
                then 'ref:' || coalesce(mentions.ref_id, reference_name_keys.ref_id)
            else mentions.entity_type || ':' || mentions.name_key
        end as base_cluster_key
    from mentions
    left join reference_name_keys
        on mentions.ref_id is null
        and mentions.entity_type = reference_name_keys.entity_type
        and mentions.name_key = reference_name_keys.name_key

),

surname_owners as (

    select distinct
        article_id,
        base_cluster_key,
        {{ last_name_token('name_key') }} as surname
    from keyed
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

warehouse_owners as (

    select
        surname,
        count(distinct base_cluster_key) as owner_count,
        min(base_cluster_key) as cluster_key
    from surname_owners
    group by surname

),

resolved as (

    select
        keyed.*,
        case
            when keyed.entity_type <> 'person'
                or keyed.resolved_ref_id is not null
                or {{ name_token_count('keyed.name_key') }} <> 1
                then null
            when article_owners.owner_count = 1 then article_owners.cluster_key
            when article_owners.owner_count is null and warehouse_owners.owner_count = 1
                then warehouse_owners.cluster_key
        end as surname_cluster_key
    from keyed
    left join article_owners
        on keyed.article_id = article_owners.article_id
        and keyed.name_key = article_owners.surname
    left join warehouse_owners
        on keyed.name_key = warehouse_owners.surname

),

final as (

    select
        *,
        coalesce(surname_cluster_key, base_cluster_key) as cluster_key,
        case when surname_cluster_key is not null then 'surname' else base_resolution end as resolution
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
    cluster_key,
    resolution,
    case when starts_with(cluster_key, 'ref:') then substr(cluster_key, 5) end as actor_ref_id,
    {{ stable_id(['cluster_key']) }} as actor_id
from final

-- Party names resolved to a party across the whole warehouse: one row per distinct
-- (name_key, ref_id) that any party mention carries. int_party_mentions_resolved applies it
-- to each article's mentions; int_article_changes rebuilds every article whose party names
-- now resolve to another party.
--
-- Cluster key: 'ref:' || ref_id when the extractor matched the mention to the reference
-- seeds; else the reference party that other mentions with the same name_key were
-- matched to, when exactly one was; else the name_key itself.
with names as (

    select distinct name_key, ref_id
    from {{ ref('int_mentions_located') }}
    where entity_type = 'party'

),

reference_name_keys as (

    select name_key, min(ref_id) as ref_id
    from names
    where ref_id is not null
    group by name_key
    having count(distinct ref_id) = 1

)

select
    names.name_key,
    names.ref_id,
    coalesce(names.ref_id, reference_name_keys.ref_id) as party_ref_id,
    case
        when names.ref_id is not null then 'reference'
        when reference_name_keys.ref_id is not null then 'reference_name_key'
        else 'name_key'
    end as resolution,
    case
        when coalesce(names.ref_id, reference_name_keys.ref_id) is not null
            then 'ref:' || coalesce(names.ref_id, reference_name_keys.ref_id)
        else names.name_key
    end as cluster_key
from names
left join reference_name_keys
    on names.ref_id is null
    and names.name_key = reference_name_keys.name_key

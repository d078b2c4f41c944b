-- Party mentions resolved to a party across the whole warehouse.
--
-- Cluster key: 'ref:' || ref_id when the extractor matched the mention to the reference
-- seeds; else the reference party that other mentions with the same name_key were
-- matched to, when exactly one was; else the name_key itself.
-- party_id = md5(cluster key): stable across runs and rebuilds.
with mentions as (

    select * from {{ ref('int_mentions_located') }}
    where entity_type = 'party'

),

reference_name_keys as (

    select name_key, min(ref_id) as ref_id
    from mentions
    where ref_id is not null
    group by name_key
    having count(distinct ref_id) = 1

),

keyed as (

    select
        mentions.*,
        coalesce(mentions.ref_id, reference_name_keys.ref_id) as party_ref_id,
        case
            when mentions.ref_id is not null then 'reference'
            when reference_name_keys.ref_id is not null then 'reference_name_key'
            else 'name_key'
        end as resolution,
        case
            when coalesce(mentions.ref_id, reference_name_keys.ref_id) is not null
                then 'ref:' || coalesce(mentions.ref_id, reference_name_keys.ref_id)
            else mentions.name_key
        end as cluster_key
    from mentions
    left join reference_name_keys
        on mentions.ref_id is null
        and mentions.name_key = reference_name_keys.name_key

)

select
    mention_id,
    article_id,
    published_date,
    content_sha256,
    mention_no,
    surface_text,
    char_start,
    char_end,
    canonical_name,
    name_key,
    ref_id,
    country_id,
    party_kind,
    party_status,
    detector,
    cluster_key,
    resolution,
    party_ref_id,
    {{ stable_id(['cluster_key']) }} as party_id
from keyed

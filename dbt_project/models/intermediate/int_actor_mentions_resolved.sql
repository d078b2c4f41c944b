-- Person and organization mentions resolved to an actor across the whole warehouse.
--
-- Cluster key, in order of preference:
--   1. 'ref:' || ref_id when the extractor matched the mention to the reference seeds;
--   2. the reference entity that other mentions of the same type and name_key were
--      matched to, when exactly one was (an unmatched spelling of a known name);
--   3. entity_type || ':' || name_key;
--   then a person key one edit from another with the same given name, or the same surname,
--   joins it (near_spellings).
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

unreferenced_people as (

    select distinct
        base_cluster_key,
        list_first(string_split_regex(trim(name_key), '\s+')) as given_name,
        {{ last_name_token('name_key') }} as surname
    from keyed
    where entity_type = 'person'
        and resolved_ref_id is null
        and {{ name_token_count('name_key') }} > 1

),

-- Two spellings of one person that name_key does not fold ('Galia Tamabayeva' / 'Ghalia
-- Tamambaeva'): the same given name and surnames of 7+ letters one edit apart, or the same
-- surname and given names of 6+ letters one edit apart; surnames of the same grammatical
-- gender (Nazarbayev is not Nazarbayeva). The later key maps to the earliest.
near_spellings as (

    select later.base_cluster_key, min(earlier.base_cluster_key) as near_cluster_key
    from unreferenced_people as later
    inner join unreferenced_people as earlier
        on later.base_cluster_key > earlier.base_cluster_key
        and ends_with(later.surname, 'a') = ends_with(earlier.surname, 'a')
        and (
            (
                later.given_name = earlier.given_name
                and least(length(later.surname), length(earlier.surname)) >= 7
                and levenshtein(later.surname, earlier.surname) <= 1
            )
            or (
                -- 'Dauletmurat' / 'Davletmurat Tajimuratov': Kazakh 'у' is written u or v
                later.surname = earlier.surname
                and least(length(later.given_name), length(earlier.given_name)) >= 6
                and levenshtein(later.given_name, earlier.given_name) <= 1
            )
        )
    group by later.base_cluster_key

),

respelled as (

    select
        keyed.* replace (coalesce(near_spellings.near_cluster_key, keyed.base_cluster_key) as base_cluster_key),
        near_spellings.near_cluster_key is not null as near_spelling
    from keyed
    left join near_spellings on keyed.base_cluster_key = near_spellings.base_cluster_key

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
        respelled.*,
        case
            when respelled.entity_type <> 'person'
                or respelled.resolved_ref_id is not null
                or {{ name_token_count('respelled.name_key') }} <> 1
                then null
            when article_owners.owner_count = 1 then article_owners.cluster_key
            when article_owners.owner_count is null and warehouse_owners.owner_count = 1
                then warehouse_owners.cluster_key
        end as surname_cluster_key
    from respelled
    left join article_owners
        on respelled.article_id = article_owners.article_id
        and respelled.name_key = article_owners.surname
    left join warehouse_owners
        on respelled.name_key = warehouse_owners.surname

),

final as (

    select
        *,
        coalesce(surname_cluster_key, base_cluster_key) as cluster_key,
        case
            when surname_cluster_key is not null then 'surname'
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
    cluster_key,
    resolution,
    case when starts_with(cluster_key, 'ref:') then substr(cluster_key, 5) end as actor_ref_id,
    {{ stable_id(['cluster_key']) }} as actor_id
from final

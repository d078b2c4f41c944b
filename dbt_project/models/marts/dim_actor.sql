-- People and organizations, one row per resolved actor (see int_actor_mentions_resolved).
--
-- name: the reference seeds' canonical name, else the most frequent canonical_name
-- (ties: longest, then alphabetical). country_id: the most frequent non-null country of
-- the mentions, else the reference's. party_id: the party whose name_key the mentions
-- give most often as the actor's party (a key no party mention carries is ignored).
with mentions as (

    select * from {{ ref('int_actor_mentions_resolved') }}

),

party_mentions as (

    select name_key, party_id from {{ ref('int_party_mentions_resolved') }}

),

reference_people as (

    select person_ref_id as ref_id, name, country_id from {{ ref('stg_reference__people') }}

),

reference_organizations as (

    select org_ref_id as ref_id, name, country_id from {{ ref('stg_reference__organizations') }}

),

clusters as (

    select
        actor_id,
        min(actor_ref_id) as actor_ref_id,
        min(cluster_key) as cluster_key,
        count(distinct article_id) as article_count,
        count(*) as mention_count,
        min(published_date) as first_seen_date,
        max(published_date) as last_seen_date,
        list_sort(list_distinct(flatten(list(coalesce(roles, []))))) as roles
    from mentions
    group by actor_id

),

type_choice as (

    select actor_id, entity_type
    from (
        select actor_id, entity_type, count(*) as mentions
        from mentions
        group by actor_id, entity_type
    )
    qualify row_number() over (partition by actor_id order by mentions desc, entity_type desc) = 1

),

name_choice as (

    select actor_id, canonical_name
    from (
        select actor_id, canonical_name, count(*) as mentions
        from mentions
        group by actor_id, canonical_name
    )
    qualify row_number() over (
        partition by actor_id order by mentions desc, length(canonical_name) desc, canonical_name
    ) = 1

),

country_choice as (

    select actor_id, country_id
    from (
        select actor_id, country_id, count(*) as mentions
        from mentions
        where country_id is not null
        group by actor_id, country_id
    )
    qualify row_number() over (partition by actor_id order by mentions desc, country_id) = 1

),

party_by_name_key as (

    select name_key, party_id
    from (
        select name_key, party_id, count(*) as mentions
        from party_mentions
        group by name_key, party_id
    )
    qualify row_number() over (partition by name_key order by mentions desc, party_id) = 1

),

party_choice as (

    select actor_id, party_id
    from (
        select mentions.actor_id, party_by_name_key.party_id, count(*) as mentions
        from mentions
        inner join party_by_name_key on mentions.party_name_key = party_by_name_key.name_key
        group by mentions.actor_id, party_by_name_key.party_id
    )
    qualify row_number() over (partition by actor_id order by mentions desc, party_id) = 1

),

alias_values as (

    select actor_id, surface_text as alias from mentions
    union
    select actor_id, canonical_name as alias from mentions

),

aliases as (

    select actor_id, list_sort(list(alias)) as aliases
    from alias_values
    group by actor_id

),

joined as (

    select
        clusters.*,
        -- a reference id is looked up in the table of the actor's own type
        case when type_choice.entity_type = 'person' then reference_people.name
            else reference_organizations.name end as reference_name,
        case when type_choice.entity_type = 'person' then reference_people.country_id
            else reference_organizations.country_id end as reference_country_id,
        type_choice.entity_type as actor_type,
        name_choice.canonical_name as text_name,
        country_choice.country_id as text_country_id,
        party_choice.party_id,
        aliases.aliases
    from clusters
    left join type_choice on clusters.actor_id = type_choice.actor_id
    left join reference_people on clusters.actor_ref_id = reference_people.ref_id
    left join reference_organizations on clusters.actor_ref_id = reference_organizations.ref_id
    left join name_choice on clusters.actor_id = name_choice.actor_id
    left join country_choice on clusters.actor_id = country_choice.actor_id
    left join party_choice on clusters.actor_id = party_choice.actor_id
    left join aliases on clusters.actor_id = aliases.actor_id

)

select
    actor_id,
    coalesce(reference_name, text_name) as name,
    aliases,
    actor_type,
    coalesce(text_country_id, reference_country_id) as country_id,
    party_id,
    roles,
    article_count,
    mention_count,
    first_seen_date,
    last_seen_date,
    actor_ref_id,
    cluster_key
from joined

-- Political parties and party-like movements, one row per resolved party.
--
-- registration_status, in order:
--   1. 'banned' when any mention's text says the party is banned (a ban outweighs
--      every other claim: it is the status analysts must not miss);
--   2. else the most frequent status the texts give among registered / unregistered
--      (ties: the one stated by the most recently published article, then alphabetical);
--   3. else the reference seeds' current status (the open row of the status history,
--      else ref_parties.registration_status);
--   4. else 'unknown'.
with mentions as (

    select * from {{ ref('int_party_mentions_resolved') }}

),

reference_parties as (

    select * from {{ ref('stg_reference__parties') }}

),

reference_current_status as (

    select party_ref_id, status
    from {{ ref('stg_reference__party_status_history') }}
    where valid_to is null
    qualify row_number() over (
        partition by party_ref_id order by valid_from desc nulls last, status
    ) = 1

),

clusters as (

    select
        party_id,
        min(party_ref_id) as party_ref_id,
        min(cluster_key) as cluster_key,
        count(distinct article_id) as article_count,
        count(*) as mention_count,
        min(published_date) as first_seen_date,
        max(published_date) as last_seen_date,
        bool_or(party_status = 'banned') as text_says_banned
    from mentions
    group by party_id

),

name_choice as (

    select party_id, canonical_name
    from (
        select party_id, canonical_name, count(*) as mentions
        from mentions
        group by party_id, canonical_name
    )
    qualify row_number() over (
        partition by party_id order by mentions desc, length(canonical_name) desc, canonical_name
    ) = 1

),

kind_choice as (

    select party_id, party_kind
    from (
        select party_id, party_kind, count(*) as mentions
        from mentions
        where party_kind is not null
        group by party_id, party_kind
    )
    qualify row_number() over (partition by party_id order by mentions desc, party_kind) = 1

),

country_choice as (

    select party_id, country_id
    from (
        select party_id, country_id, count(*) as mentions
        from mentions
        where country_id is not null
        group by party_id, country_id
    )
    qualify row_number() over (partition by party_id order by mentions desc, country_id) = 1

),

text_status_choice as (

    select party_id, party_status
    from (
        select party_id, party_status, count(*) as mentions, max(published_date) as latest
        from mentions
        where party_status in ('registered', 'unregistered')
        group by party_id, party_status
    )
    qualify row_number() over (
        partition by party_id order by mentions desc, latest desc nulls last, party_status
    ) = 1

),

alias_values as (

    select party_id, surface_text as alias from mentions
    union
    select party_id, canonical_name as alias from mentions

),

aliases as (

    select party_id, list_sort(list(alias)) as aliases
    from alias_values
    group by party_id

),

joined as (

    select
        clusters.*,
        reference_parties.name as reference_name,
        reference_parties.country_id as reference_country_id,
        reference_parties.kind as reference_kind,
        coalesce(reference_current_status.status, reference_parties.registration_status)
            as reference_status,
        name_choice.canonical_name as text_name,
        kind_choice.party_kind as text_kind,
        country_choice.country_id as text_country_id,
        text_status_choice.party_status as text_status,
        aliases.aliases
    from clusters
    left join reference_parties on clusters.party_ref_id = reference_parties.party_ref_id
    left join reference_current_status
        on clusters.party_ref_id = reference_current_status.party_ref_id
    left join name_choice on clusters.party_id = name_choice.party_id
    left join kind_choice on clusters.party_id = kind_choice.party_id
    left join country_choice on clusters.party_id = country_choice.party_id
    left join text_status_choice on clusters.party_id = text_status_choice.party_id
    left join aliases on clusters.party_id = aliases.party_id

)

select
    party_id,
    coalesce(reference_name, text_name) as name,
    aliases,
    coalesce(reference_country_id, text_country_id) as country_id,
    coalesce(reference_kind, text_kind, 'party') as kind,
    case
        when text_says_banned then 'banned'
        when text_status is not null then text_status
        when reference_status in ('registered', 'unregistered', 'banned') then reference_status
        else 'unknown'
    end as registration_status,
    case
        when text_says_banned or text_status is not null then 'text'
        when reference_status in ('registered', 'unregistered', 'banned') then 'reference'
        else 'none'
    end as registration_status_source,
    first_seen_date,
    last_seen_date,
    article_count,
    mention_count,
    party_ref_id,
    cluster_key
from joined

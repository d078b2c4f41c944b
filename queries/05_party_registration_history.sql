-- Question: What is the registration history of this party: founded, refused, registered, banned?
-- Parameter $party: any name or alias of the party, or part of it ('Respublica', 'YNTYMAQ', 'DVK').
-- An event belongs to the party when the party takes part in it or is named inside its evidence.
-- Each row gives the party's status as the texts last give it, then one dated event (none: NULLs).
with party as (
    select dim_party.party_id, dim_party.name, dim_party.registration_status
    from marts.dim_party as dim_party
    where dim_party.name ilike '%' || $party || '%'
        or exists (select 1 from unnest(dim_party.aliases) as spelling(alias) where spelling.alias ilike '%' || $party || '%')
),

party_events as (
    select participant.entity_id as party_id, participant.event_id
    from marts.bridge_event_participant as participant
    where participant.entity_type = 'party'
    union
    select mention.entity_id as party_id, event.event_id
    from marts.fct_mention as mention
    join marts.fct_event as event
        on event.article_id = mention.article_id
        and mention.char_start < event.char_end and mention.char_end > event.char_start
    where mention.entity_type = 'party'
),

registration_events as (
    select party_events.party_id, event.*
    from party_events
    join marts.fct_event as event on event.event_id = party_events.event_id
    where event.event_type in ('organization_founded', 'registration_refused', 'registration_granted', 'ban')
)

select
    party.name as party,
    party.registration_status as current_status,
    registration_events.event_type,
    registration_events.event_date,
    registration_events.event_date_precision,
    coalesce(article.title, article.source_uri) as article,
    registration_events.evidence_text
from party
left join registration_events on registration_events.party_id = party.party_id
left join marts.dim_article as article on registration_events.article_id = article.article_id
order by party.name, registration_events.event_date nulls last, registration_events.event_type

-- Question: Which parties were refused registration or banned, and how often?
-- A party counts when the texts say it is unregistered or banned, or when a registration_refused or
-- ban event names it (as a participant or inside the event's evidence). refusals counts distinct
-- refusal events; the evidence of each is listed.
with party_events as (
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

setbacks as (
    select party_events.party_id, event.event_id, event.event_type, event.evidence_text
    from party_events
    join marts.fct_event as event on event.event_id = party_events.event_id
    where event.event_type in ('registration_refused', 'ban')
)

select
    party.name as party,
    country.name as country,
    party.registration_status,
    count(distinct setbacks.event_id) filter (where setbacks.event_type = 'registration_refused') as refusals,
    count(distinct setbacks.event_id) filter (where setbacks.event_type = 'ban') as bans,
    list_distinct(list(setbacks.evidence_text) filter (where setbacks.event_id is not null)) as evidence,
    party.article_count
from marts.dim_party as party
left join marts.dim_country as country on party.country_id = country.country_id
left join setbacks on setbacks.party_id = party.party_id
group by party.party_id, party.name, country.name, party.registration_status, party.article_count
having party.registration_status in ('unregistered', 'banned') or count(setbacks.event_id) > 0
order by refusals desc, bans desc, party.name

-- Who took part in which event: the participant mention's actor or party.
with participants as (

    select * from {{ ref('stg_event_participants') }}

),

events as (

    select article_id, content_sha256, event_no, event_id from {{ ref('int_events_located') }}

),

mention_entities as (

    select * from {{ ref('int_mention_entities') }}
    where entity_type in ('actor', 'party')

)

select distinct
    events.event_id,
    mention_entities.entity_type,
    mention_entities.entity_id,
    participants.role
from participants
inner join events
    on participants.content_sha256 = events.content_sha256
    and participants.event_no = events.event_no
inner join mention_entities
    on events.article_id = mention_entities.article_id
    and participants.mention_no = mention_entities.mention_no

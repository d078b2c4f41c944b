-- Question: Which events of one type happened in the same country within some days of an election?
-- Parameters: $event_type (e.g. 'detention', 'protest', 'registration_granted', 'election_called')
-- and $days (the window either side of the election date). Only events and elections with a known
-- date count; a date known to the month or year stands for its first day, so read days_from_election
-- with both precisions.
select
    country.name as country,
    election.election_type,
    election.election_date,
    election.election_date_precision,
    event.event_type,
    event.event_date,
    event.event_date_precision,
    date_diff('day', election.election_date, event.event_date) as days_from_election,
    event.evidence_text,
    coalesce(article.title, article.source_uri) as article
from marts.fct_election as election
join marts.fct_event as event
    on event.country_id = election.country_id
    and event.event_type = $event_type
    and abs(date_diff('day', election.election_date, event.event_date)) <= $days
left join marts.dim_country as country on election.country_id = country.country_id
join marts.dim_article as article on event.article_id = article.article_id
order by country, election.election_date, days_from_election

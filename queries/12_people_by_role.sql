-- Question: Who holds a given role (president, activist, journalist, party_leader, ...), and where?
-- Parameter $role: one role as stored in dim_actor.roles (lower case, e.g. 'activist').
select
    actor.name,
    country.name as country,
    party.name as party,
    actor.roles,
    actor.aliases,
    actor.article_count
from marts.dim_actor as actor
left join marts.dim_country as country on actor.country_id = country.country_id
left join marts.dim_party as party on actor.party_id = party.party_id
where list_contains(actor.roles, $role)
order by actor.article_count desc, actor.name

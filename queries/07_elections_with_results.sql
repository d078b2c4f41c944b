-- Question: Which elections took place, and with what results?
-- One row per election and result (a party's or a candidate's vote share and seats); an election the
-- texts report without results has one row with NULL results. article_count: how many articles cover it.
select
    country.name as country,
    election.election_type,
    election.election_date,
    election.election_date_precision,
    election.is_snap,
    coalesce(party.name, candidate.name) as contestant,
    result.vote_share_pct,
    result.seats,
    election.article_count,
    election.election_id
from marts.fct_election as election
left join marts.dim_country as country on election.country_id = country.country_id
left join marts.fct_election_result as result on result.election_id = election.election_id
left join marts.dim_party as party on result.party_id = party.party_id
left join marts.dim_actor as candidate on result.actor_id = candidate.actor_id
order by country, election.election_date nulls last, election.election_type, result.vote_share_pct desc nulls last

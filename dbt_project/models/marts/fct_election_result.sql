-- Vote shares and seats, attached to the election and to the party or candidate whose
-- mention the extractor linked. The same result read twice (same election, entity,
-- figures and article) is one row; its evidence is the first occurrence in the article.
with results as (

    select * from {{ ref('stg_election_results') }}

),

elections as (

    select article_id, content_sha256, election_no, election_id from {{ ref('int_elections_keyed') }}

),

mention_entities as (

    select * from {{ ref('int_mention_entities') }}

),

attached as (

    select
        elections.election_id,
        parties.entity_id as party_id,
        actors.entity_id as actor_id,
        results.vote_share_pct,
        results.seats,
        results.vote_count,
        elections.article_id,
        results.evidence_text,
        results.char_start,
        results.char_end
    from results
    inner join elections
        on results.content_sha256 = elections.content_sha256
        and results.election_no = elections.election_no
    left join mention_entities as parties
        on elections.article_id = parties.article_id
        and results.party_mention_no = parties.mention_no
        and parties.entity_type = 'party'
    left join mention_entities as actors
        on elections.article_id = actors.article_id
        and results.actor_mention_no = actors.mention_no
        and actors.entity_type = 'actor'

)

select
    {{ stable_id(['election_id', 'party_id', 'actor_id', 'vote_share_pct', 'seats', 'vote_count', 'article_id']) }}
        as election_result_id,
    election_id,
    party_id,
    actor_id,
    vote_share_pct,
    seats,
    vote_count,
    article_id,
    evidence_text,
    char_start,
    char_end
from attached
qualify row_number() over (
    partition by election_id, party_id, actor_id, vote_share_pct, seats, vote_count, article_id
    order by char_start, char_end
) = 1

-- Vote shares and seats, attached to the election and to the party or candidate whose
-- mention the extractor linked. The same result read twice (same election, entity,
-- figures and article) is one row; its evidence is the first occurrence in the article.
--
-- A result with neither a party nor a candidate mention is the vote's own figure (a
-- referendum's 'yes' share); one whose mention did not resolve to an entity is dropped.
-- Several articles report one election's figures with different rounding (81.3 and 81.31).
-- Each figure is kept as printed unless, together, an election's shares add up to more than
-- 100.5: then a share within one point of the most precise figure read for the same party or
-- candidate takes that figure, so one result is not counted twice. If an election's shares still add
-- up to more than 100.5 (a misread figure), only the shares of the one article whose own
-- figures are consistent and most complete are kept; the others' shares become NULL (their
-- seats and evidence stay). A contradiction is a data-quality note, never a failed publish.
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
        results.party_mention_no,
        results.actor_mention_no,
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

),

resolved as (

    select *
    from attached
    where (party_mention_no is null and actor_mention_no is null)
        or party_id is not null
        or actor_id is not null

),

harmonised as (

    select
        * exclude (vote_share_pct),
        vote_share_pct as read_share_pct,
        first_value(vote_share_pct ignore nulls) over (
            partition by election_id, party_id, actor_id
            order by
                length(coalesce(nullif(split_part(cast(vote_share_pct as varchar), '.', 2), ''), '')) desc,
                vote_share_pct
            rows between unbounded preceding and unbounded following
        ) as precise_share_pct
    from resolved

),

read_totals as (

    select election_id, sum(read_share_pct) as total_pct
    from (
        select distinct election_id, party_id, actor_id, read_share_pct
        from harmonised
        where read_share_pct is not null
    )
    group by election_id

),

rounded as (

    -- figures are left as each article printed them unless, together, they over-count the vote
    select
        harmonised.* exclude (precise_share_pct, read_share_pct),
        case
            when read_totals.total_pct > 100.5 and abs(harmonised.read_share_pct - harmonised.precise_share_pct) < 1
                then harmonised.precise_share_pct
            else harmonised.read_share_pct
        end as vote_share_pct
    from harmonised
    left join read_totals on harmonised.election_id = read_totals.election_id

),

shares as (

    select distinct election_id, article_id, party_id, actor_id, vote_share_pct
    from rounded
    where vote_share_pct is not null

),

election_totals as (

    select election_id, sum(vote_share_pct) as total_pct
    from (select distinct election_id, party_id, actor_id, vote_share_pct from shares)
    group by election_id

),

article_totals as (

    select election_id, article_id, sum(vote_share_pct) as total_pct, count(*) as share_count
    from shares
    group by election_id, article_id

),

trusted as (

    -- for an election whose shares do not add up: the consistent article with most figures
    select election_id, arg_max(article_id, share_count * 1000 + total_pct) as article_id
    from article_totals
    where total_pct <= 100.5
    group by election_id

),

attached_checked as (

    select
        rounded.* exclude (vote_share_pct),
        case
            when election_totals.total_pct > 100.5 and rounded.article_id is distinct from trusted.article_id
                then null
            else rounded.vote_share_pct
        end as vote_share_pct
    from rounded
    left join election_totals on rounded.election_id = election_totals.election_id
    left join trusted on rounded.election_id = trusted.election_id

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
from attached_checked
qualify row_number() over (
    partition by election_id, party_id, actor_id, vote_share_pct, seats, vote_count, article_id
    order by char_start, char_end
) = 1

-- Every article mention of an election, with its evidence.
select distinct
    election_id,
    article_id,
    evidence_text,
    char_start,
    char_end,
    is_snap
from {{ ref('int_elections_keyed') }}

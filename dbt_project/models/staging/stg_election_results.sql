-- Election results of the configured extractor version.
select
    content_sha256,
    extractor_version,
    cast(election_no as integer) as election_no,
    cast(party_mention_no as integer) as party_mention_no,
    cast(actor_mention_no as integer) as actor_mention_no,
    cast(vote_share_pct as double) as vote_share_pct,
    cast(seats as integer) as seats,
    cast(vote_count as bigint) as vote_count,
    evidence_text,
    cast(char_start as integer) as char_start,
    cast(char_end as integer) as char_end
from {{ source('nlp', 'election_results') }}
where extractor_version = '{{ var("extractor_version") }}'

-- People (or unnamed groups) detained, arrested, jailed or sentenced, with evidence.
select
    detention_id,
    event_id,
    article_id,
    actor_id,
    detainee_count,
    detained_date,
    detained_date_precision,
    country_id,
    location,
    authority,
    charge,
    outcome,
    term_days,
    evidence_text,
    char_start,
    char_end
from {{ ref('int_detentions_resolved') }}

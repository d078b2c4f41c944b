-- Detentions of the configured extractor version.
select
    content_sha256,
    extractor_version,
    cast(detention_no as integer) as detention_no,
    cast(event_no as integer) as event_no,
    cast(detainee_mention_no as integer) as detainee_mention_no,
    cast(detainee_count as integer) as detainee_count,
    cast(detained_date as date) as detained_date,
    detained_date_precision,
    upper(country_id) as country_id,
    location,
    authority,
    charge,
    outcome,
    cast(term_days as integer) as term_days,
    evidence_text,
    cast(char_start as integer) as char_start,
    cast(char_end as integer) as char_end,
    detained_day_month,
    cast(reported_date as date) as reported_date
from {{ source('nlp', 'detentions') }}
where extractor_version = '{{ var("extractor_version") }}'

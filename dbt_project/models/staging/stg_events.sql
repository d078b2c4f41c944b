-- Event candidates of the configured extractor version.
select
    content_sha256,
    extractor_version,
    cast(event_no as integer) as event_no,
    event_type,
    trigger_text,
    cast(event_date as date) as event_date,
    event_date_precision,
    upper(country_id) as country_id,
    location,
    evidence_text,
    cast(char_start as integer) as char_start,
    cast(char_end as integer) as char_end,
    cast(confidence as double) as confidence
from {{ source('nlp', 'events') }}
where extractor_version = '{{ var("extractor_version") }}'

-- Election mentions of the configured extractor version.
select
    content_sha256,
    extractor_version,
    cast(election_no as integer) as election_no,
    upper(country_id) as country_id,
    election_type,
    cast(election_date as date) as election_date,
    election_date_precision,
    day_month,
    cast(is_snap as boolean) as is_snap,
    evidence_text,
    cast(char_start as integer) as char_start,
    cast(char_end as integer) as char_end
from {{ source('nlp', 'elections') }}
where extractor_version = '{{ var("extractor_version") }}'

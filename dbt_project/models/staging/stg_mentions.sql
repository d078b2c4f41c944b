-- Entity mentions of the configured extractor version.
select
    content_sha256,
    extractor_version,
    cast(mention_no as integer) as mention_no,
    entity_type,
    surface_text,
    cast(char_start as integer) as char_start,
    cast(char_end as integer) as char_end,
    canonical_name,
    name_key,
    ref_id,
    upper(country_id) as country_id,
    cast(coalesce(roles, []) as varchar[]) as roles,
    party_name_key,
    party_kind,
    party_status,
    detector
from {{ source('nlp', 'mentions') }}
where extractor_version = '{{ var("extractor_version") }}'

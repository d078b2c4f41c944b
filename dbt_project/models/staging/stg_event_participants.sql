-- Event participants (a mention and its role) of the configured extractor version.
select
    content_sha256,
    extractor_version,
    cast(event_no as integer) as event_no,
    cast(mention_no as integer) as mention_no,
    role
from {{ source('nlp', 'event_participants') }}
where extractor_version = '{{ var("extractor_version") }}'

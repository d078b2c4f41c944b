-- Which article bodies the configured extractor version has processed.
select
    content_sha256,
    extractor_version,
    cast(extracted_at as timestamp) as extracted_at
from {{ source('nlp', 'extractions') }}
where extractor_version = '{{ var("extractor_version") }}'

-- The current version of every landed article. Every offset in the warehouse indexes body.
with articles as (

    select * from {{ ref('stg_articles') }}

),

extractions as (

    select content_sha256, extracted_at from {{ ref('stg_extractions') }}

)

select
    articles.article_id,
    articles.document_id,
    articles.source_uri,
    articles.source_name,
    articles.url,
    articles.title,
    articles.published_date,
    articles.published_date_precision,
    articles.language,
    articles.body,
    articles.char_count,
    articles.content_sha256,
    articles.ingested_at,
    articles.ordinal,
    articles.media_type,
    extractions.extracted_at,
    extractions.content_sha256 is not null as is_extracted
from articles
left join extractions on articles.content_sha256 = extractions.content_sha256

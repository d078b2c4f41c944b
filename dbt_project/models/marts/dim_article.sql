{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_rebuilt_articles('content') }}",
    )
}}
-- The current version of every landed article. Every offset in the warehouse indexes body.
-- Incremental by article (macros/incremental.sql): int_article_changes fingerprints every
-- column here, so an article whose row would differ is rebuilt.
-- depends_on: {{ ref('int_article_changes') }}
with articles as (

    select * from {{ ref('stg_articles') }}
    where {{ rebuilt_articles_only('article_id', 'content') }}

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

-- The current version of every article: the rows of the most recently landed document
-- of each source_uri (the same rule extraction uses to pick what to process). Older
-- content versions stay in raw.articles as history and never reach the warehouse.
with documents as (

    select * from {{ source('raw', 'documents') }}

),

current_documents as (

    select document_id, media_type, encoding
    from documents
    qualify row_number() over (
        partition by source_uri order by landed_at desc, document_id desc
    ) = 1

),

articles as (

    select * from {{ source('raw', 'articles') }}

)

select
    articles.article_id,
    articles.document_id,
    cast(articles.ordinal as integer) as ordinal,
    articles.source_uri,
    articles.source_name,
    articles.url,
    articles.title,
    cast(articles.published_date as date) as published_date,
    articles.published_date_precision,
    articles.language,
    articles.body,
    cast(articles.char_count as integer) as char_count,
    articles.content_sha256,
    cast(articles.landed_at as timestamp) as ingested_at,
    articles.run_id,
    current_documents.media_type,
    current_documents.encoding
from articles
inner join current_documents on articles.document_id = current_documents.document_id

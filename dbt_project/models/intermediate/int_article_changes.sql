-- Which articles this run (re)builds: one row per current article, and per article the base
-- build had that is gone. The article-keyed incremental models that do not depend on
-- identity (mentions and events placed in articles) delete and insert again the rows of every
-- article with rebuild = true; those that do (resolved mentions, detentions) use
-- int_articles_to_reresolve, which adds the articles whose names now resolve elsewhere.
-- See macros/incremental.sql.
--
-- change:
--   added     - not in the base build;
--   changed   - its body, publication date, extraction or any other column of dim_article
--               (its document, title, source...) differs from the base build's;
--   removed   - in the base build, no longer current (its rows are deleted);
--   unchanged - nothing to do.
-- On a full build (no base build, or --full-refresh) every article is 'added'.
-- The base build's fingerprints are read by name from this model's own table, before this
-- run replaces it (see previous_build_relation).
{%- set previous_changes = previous_build_relation(this.schema, this.identifier) %}
with current_articles as (

    select
        articles.article_id,
        {{ stable_id([
            'articles.content_sha256', 'articles.published_date', 'articles.published_date_precision',
            'extractions.extracted_at', 'articles.document_id', 'articles.source_uri',
            'articles.source_name', 'articles.url', 'articles.title', 'articles.language',
            'articles.ordinal', 'articles.media_type', 'articles.ingested_at',
        ]) }} as article_fingerprint
    from {{ ref('stg_articles') }} as articles
    left join {{ ref('stg_extractions') }} as extractions
        on articles.content_sha256 = extractions.content_sha256

),

previous_articles as (

    {% if previous_changes is not none -%}
    select article_id, article_fingerprint
    from {{ previous_changes }}
    where change <> 'removed'
    {%- else -%}
    select null::varchar as article_id, null::varchar as article_fingerprint
    where false
    {%- endif %}

),

compared as (

    select
        coalesce(current_articles.article_id, previous_articles.article_id) as article_id,
        current_articles.article_fingerprint,
        case
            when previous_articles.article_id is null then 'added'
            when current_articles.article_id is null then 'removed'
            when current_articles.article_fingerprint <> previous_articles.article_fingerprint then 'changed'
            else 'unchanged'
        end as change
    from current_articles
    full join previous_articles on current_articles.article_id = previous_articles.article_id

)

select
    article_id,
    article_fingerprint,
    change,
    change <> 'unchanged' as rebuild
from compared

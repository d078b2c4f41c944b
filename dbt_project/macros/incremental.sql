{#
    Incremental builds keyed on the article.

    A run's build file starts as a copy of the last audited build (flows/transform.py), so
    every incremental model already holds the rows of every article built before.
    `int_article_changes` marks the articles whose rows must change in this run (added, changed
    or removed); `int_articles_to_reresolve` adds the articles whose people or parties resolve
    to another identity because of a new article. Each incremental model deletes those articles' rows
    (pre-hook) and inserts them again from its inputs, restricted to the same articles.
    A full build (no base file, or `--full-refresh`) builds every article.
#}

{#-
    The articles an incremental model rebuilds: scope 'content' (int_article_changes) for
    models that place extraction rows in articles, 'identity' (int_articles_to_reresolve)
    for models that carry resolved actor or party ids.
-#}
{% macro rebuilt_articles(scope) -%}
    {%- if scope == 'identity' -%}
        select article_id from {{ ref('int_articles_to_reresolve') }}
    {%- else -%}
        select article_id from {{ ref('int_article_changes') }} where rebuild
    {%- endif -%}
{%- endmacro %}

{#- The pre-hook of an article-keyed incremental model: drop the rows being rebuilt. -#}
{% macro delete_rebuilt_articles(scope) -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where article_id in ({{ rebuilt_articles(scope) }})
    {%- endif -%}
{%- endmacro %}

{#- A filter on the model's article column: only the articles being rebuilt, when incremental. -#}
{% macro rebuilt_articles_only(article_column, scope) -%}
    {%- if is_incremental() -%}
        {{ article_column }} in ({{ rebuilt_articles(scope) }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#-
    A model as the base build left it, read before this run replaces it: the relation in
    the build file, or none on a full build. Read by name, not through ref(), because the
    reader runs before the model it reads (a ref would be a cycle).
-#}
{% macro previous_build_relation(schema, identifier) -%}
    {%- if flags.FULL_REFRESH -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=target.database, schema=schema, identifier=identifier)) }}
{%- endmacro %}

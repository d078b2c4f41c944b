{#
    Evidence offsets index dim_article.body (0-based, end-exclusive): for every row,
    substr(body, char_start + 1, char_end - char_start) must equal the evidence column
    (evidence_text, or surface_text for mentions). A row whose article is missing fails too.

    rebuilt_articles_only: for the article-keyed incremental models, check the rows of the
    articles this build (re)built (int_articles_to_reresolve: every article on a full build;
    on an incremental build the new, changed and re-resolved ones). The other rows are the
    base build's, checked when it was built, and their article bodies and extraction have not
    changed since (int_article_changes): the check then costs what changed, not the warehouse.
    A row whose article_id is not current is still caught by the model's relationships test.
#}
{% test evidence_matches_article_body(model, column_name, article_id='article_id', char_start='char_start', char_end='char_end', rebuilt_articles_only=false) %}

select
    evidence.{{ article_id }} as article_id,
    evidence.{{ char_start }} as char_start,
    evidence.{{ char_end }} as char_end,
    evidence.{{ column_name }} as evidence,
    substr(articles.body, evidence.{{ char_start }} + 1, evidence.{{ char_end }} - evidence.{{ char_start }})
        as body_slice
from {{ model }} as evidence
left join {{ ref('dim_article') }} as articles
    on evidence.{{ article_id }} = articles.article_id
where (
        articles.article_id is null
        or evidence.{{ char_start }} < 0
        or evidence.{{ char_end }} < evidence.{{ char_start }}
        or substr(articles.body, evidence.{{ char_start }} + 1, evidence.{{ char_end }} - evidence.{{ char_start }})
            is distinct from evidence.{{ column_name }}
    )
    {%- if rebuilt_articles_only %}
    and evidence.{{ article_id }} in (select article_id from {{ ref('int_articles_to_reresolve') }})
    {%- endif %}

{% endtest %}

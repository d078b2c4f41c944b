-- Question: What exactly does the source say behind this fact?
-- Parameter $fact_id: an event_id, detention_id, mention_id or election_id. Returns the article, its
-- source, the evidence span cut from the article body by its offsets, and the text around it
-- (200 characters either side) to read the evidence in context.
with facts as (
    select 'event' as fact_kind, event_id as fact_id, article_id, char_start, char_end
    from marts.fct_event
    union all
    select 'detention', detention_id, article_id, char_start, char_end
    from marts.fct_detention
    union all
    select 'mention', mention_id, article_id, char_start, char_end
    from marts.fct_mention
    union all
    select 'election', election_id, article_id, char_start, char_end
    from marts.bridge_election_article
)

select
    facts.fact_kind,
    facts.fact_id,
    coalesce(article.title, article.source_uri) as article,
    article.source_name,
    article.source_uri,
    article.published_date,
    facts.char_start,
    facts.char_end,
    substr(article.body, facts.char_start + 1, facts.char_end - facts.char_start) as evidence,
    substr(article.body, greatest(facts.char_start - 200, 0) + 1,
           facts.char_end - greatest(facts.char_start - 200, 0) + 200) as in_context
from facts
join marts.dim_article as article on facts.article_id = article.article_id
where facts.fact_id = $fact_id
order by article.published_date nulls last, facts.char_start

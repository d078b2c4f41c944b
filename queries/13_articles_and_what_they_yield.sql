-- Question: Which articles are in the warehouse, from which sources, and what was read out of each?
-- One row per article: where it came from, when it was published, and how many mentions, events,
-- detentions and elections the pipeline found in it (a zero row may be worth a manual read).
select
    article.title,
    article.source_name,
    article.source_uri,
    article.published_date,
    article.published_date_precision,
    article.char_count,
    (select count(*) from marts.fct_mention as m where m.article_id = article.article_id) as mentions,
    (select count(*) from marts.fct_event as e where e.article_id = article.article_id) as events,
    (select count(*) from marts.fct_detention as d where d.article_id = article.article_id) as detentions,
    (select count(distinct b.election_id) from marts.bridge_election_article as b
     where b.article_id = article.article_id) as elections,
    article.article_id
from marts.dim_article as article
order by article.published_date nulls last, article.source_uri, article.title

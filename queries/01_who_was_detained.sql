-- Question: Who was detained, and for how long?
-- One row per detention record: the person (or an unnamed group and its size), what happened,
-- the custodial term in days when the text gives one, when and where, and the sentence it was read from.
select
    coalesce(actor.name, 'unnamed group') as detained,
    detention.detainee_count,
    detention.outcome,
    detention.term_days,
    detention.detained_date,
    detention.detained_date_precision,
    country.name as country,
    detention.location,
    detention.charge,
    coalesce(article.title, article.source_uri) as article,
    detention.evidence_text
from marts.fct_detention as detention
left join marts.dim_actor as actor on detention.actor_id = actor.actor_id
left join marts.dim_country as country on detention.country_id = country.country_id
join marts.dim_article as article on detention.article_id = article.article_id
order by detained nulls last, detention.detained_date nulls last, detention.term_days desc nulls last

-- Question: Who was detained, and for how long?
-- One row per detention case (one real episode of one person, or of one unnamed group, however
-- many articles reported it): the person (or the group and its size), the latest outcome, the
-- custodial term in days when a report gives one, when and where, how many reports and outlets
-- stand behind it, and the sentence that states the latest outcome.
select
    coalesce(actor.name, case_.detainee_description, 'unnamed group') as detained,
    case_.detainee_count,
    case_.latest_outcome as outcome,
    case_.term_days,
    case_.first_date as detained_date,
    case_.first_date_precision as detained_date_precision,
    country.name as country,
    case_.location,
    case_.charge,
    case_.report_count,
    case_.source_count,
    coalesce(article.title, article.source_uri) as article,
    detention.evidence_text
from marts.fct_detention_case as case_
left join marts.dim_actor as actor on case_.actor_id = actor.actor_id
left join marts.dim_country as country on case_.country_id = country.country_id
join marts.fct_detention as detention on case_.latest_outcome_detention_id = detention.detention_id
join marts.dim_article as article on detention.article_id = article.article_id
order by detained nulls last, case_.first_date nulls last, case_.term_days desc nulls last

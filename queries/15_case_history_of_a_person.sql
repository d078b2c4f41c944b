-- Question: What happened to a person after the arrest, and where is each step written?
-- Parameter: $name, any spelling of the person's name or a part of it ('Mamai', 'Мамай').
-- One row per report behind each of the person's detention cases, in the order they were
-- published: the case (its first date and latest outcome), what this report says (outcome,
-- term, date), the outlet and article, and the evidence sentence.
select
    actor.name as person,
    case_.case_id,
    case_.first_date as case_first_date,
    case_.latest_outcome as case_latest_outcome,
    case_.report_count as case_reports,
    detention.outcome as report_outcome,
    detention.term_days as report_term_days,
    detention.detained_date as report_detained_date,
    article.published_date as reported_on,
    coalesce(article.source_name, article.source_uri) as source,
    coalesce(article.title, article.source_uri) as article,
    detention.evidence_text
from marts.fct_detention_case as case_
join marts.dim_actor as actor on case_.actor_id = actor.actor_id
join marts.bridge_detention_case_report as bridge on case_.case_id = bridge.case_id
join marts.fct_detention as detention on bridge.detention_id = detention.detention_id
join marts.dim_article as article on bridge.article_id = article.article_id
where lower(actor.name) like '%' || lower($name) || '%'
    or exists (select 1 from unnest(actor.aliases) as alias(a) where lower(alias.a) like '%' || lower($name) || '%')
order by person, case_.first_date nulls last, case_.case_id, article.published_date nulls last, detention.detention_id

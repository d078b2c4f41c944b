-- Question: How many people were detained per country and year, with what outcomes and terms?
-- Counts detention cases (one real episode, however many articles reported it), by the year of
-- the detention; year is NULL where no report gives one. people counts a named detainee as one
-- and an unnamed group by its size when the reports give it (else it is left out of that count);
-- reports is how many fct_detention rows (article reports) stand behind those cases.
select
    coalesce(country.name, 'unknown country') as country,
    year(case_.first_date) as year,
    count(*) as cases,
    count(distinct case_.actor_id) as named_detainees,
    cast(sum(case when case_.actor_id is not null then 1 else case_.detainee_count end) as bigint) as people,
    cast(sum(case_.report_count) as bigint) as reports,
    count(case_.term_days) as cases_with_term,
    cast(sum(case_.term_days) as bigint) as total_term_days,
    max(case_.term_days) as longest_term_days,
    list_sort(list_distinct(list(case_.latest_outcome))) as outcomes
from marts.fct_detention_case as case_
left join marts.dim_country as country on case_.country_id = country.country_id
group by all
order by country, year nulls last

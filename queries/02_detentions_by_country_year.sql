-- Question: How many detentions were recorded per country and year, with what outcomes and terms?
-- year is NULL where the text gives no year for the detention. people counts a named detainee as one
-- and an unnamed group by its size when the text gives it (else it is left out of that count).
select
    coalesce(country.name, 'unknown country') as country,
    year(detention.detained_date) as year,
    count(*) as detention_records,
    count(detention.actor_id) as named_detainees,
    cast(sum(case when detention.actor_id is not null then 1 else detention.detainee_count end) as bigint) as people,
    count(detention.term_days) as records_with_term,
    cast(sum(detention.term_days) as bigint) as total_term_days,
    max(detention.term_days) as longest_term_days,
    list_sort(list_distinct(list(detention.outcome))) as outcomes
from marts.fct_detention as detention
left join marts.dim_country as country on detention.country_id = country.country_id
group by all
order by country, year nulls last

-- Question: What kinds of political events does the corpus record, per country and year?
-- year is NULL for events whose date the text does not settle. avg_confidence is the extractor's
-- mean confidence (0..1) for that cell: low values deserve a look at the evidence.
select
    coalesce(country.name, 'unknown country') as country,
    year(event.event_date) as year,
    event.event_type,
    count(*) as events,
    count(distinct event.article_id) as articles,
    round(avg(event.confidence), 2) as avg_confidence
from marts.fct_event as event
left join marts.dim_country as country on event.country_id = country.country_id
group by all
order by country, year nulls last, events desc, event.event_type

-- One row per real election across all articles (see int_elections_keyed for the key).
with mentions as (

    select * from {{ ref('int_elections_keyed') }}

)

select
    election_id,
    any_value(country_id) as country_id,
    any_value(election_type) as election_type,
    any_value(election_date) as election_date,
    any_value(election_date_precision) as election_date_precision,
    bool_or(is_snap) as is_snap,
    count(distinct article_id) as article_count,
    min(day_month) as day_month,
    any_value(election_key) as election_key,
    count(*) as mention_count
from mentions
group by election_id

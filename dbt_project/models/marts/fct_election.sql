-- One row per real election across all articles (see int_elections_keyed for the key).
-- Mentions merged into one election may differ in precision ('January 2021' and 'January 10,
-- 2021'): the election takes its most precise date.
with mentions as (

    select
        *,
        case election_date_precision when 'day' then 3 when 'month' then 2 when 'year' then 1 else 0 end
            as precision_rank
    from {{ ref('int_elections_keyed') }}

)

select
    election_id,
    any_value(country_id) as country_id,
    any_value(election_type) as election_type,
    arg_max(election_date, precision_rank) as election_date,
    arg_max(election_date_precision, precision_rank) as election_date_precision,
    bool_or(is_snap) as is_snap,
    count(distinct article_id) as article_count,
    min(day_month) as day_month,
    any_value(election_key) as election_key,
    count(*) as mention_count
from mentions
group by election_id

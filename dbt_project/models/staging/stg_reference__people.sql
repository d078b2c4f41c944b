-- People of the reference seeds (heads of state, ministers, well-known opposition figures).
select
    cast(person_ref_id as varchar) as person_ref_id,
    cast(name as varchar) as name,
    upper(cast(country_id as varchar)) as country_id
from {{ ref('ref_people') }}

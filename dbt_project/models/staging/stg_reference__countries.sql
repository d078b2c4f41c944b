-- Countries of the reference seeds (ISO 3166-1).
select
    upper(cast(country_id as varchar)) as country_id,
    upper(cast(iso3 as varchar)) as iso3,
    cast(name as varchar) as name,
    cast(region as varchar) as region
from {{ ref('ref_countries') }}

-- Countries: the reference list (ISO 3166-1 alpha-2 keys). Country mentions point here.
select
    country_id,
    iso3,
    name,
    region
from {{ ref('stg_reference__countries') }}

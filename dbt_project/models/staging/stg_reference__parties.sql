-- Political parties and party-like movements of the reference seeds.
select
    cast(party_ref_id as varchar) as party_ref_id,
    cast(name as varchar) as name,
    upper(cast(country_id as varchar)) as country_id,
    cast(kind as varchar) as kind,
    cast(registration_status as varchar) as registration_status,
    try_cast(founded_year as integer) as founded_year,
    try_cast(dissolved_year as integer) as dissolved_year
from {{ ref('ref_parties') }}

-- Organizations of the reference seeds (courts, ministries, NGOs, media, ...).
select
    cast(org_ref_id as varchar) as org_ref_id,
    cast(name as varchar) as name,
    upper(cast(country_id as varchar)) as country_id,
    cast(kind as varchar) as kind
from {{ ref('ref_organizations') }}

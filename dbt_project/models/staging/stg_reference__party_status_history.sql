-- Registration status history of reference parties; valid_to NULL = still in force.
select
    cast(party_ref_id as varchar) as party_ref_id,
    cast(status as varchar) as status,
    try_cast(cast(valid_from as varchar) as date) as valid_from,
    try_cast(cast(valid_to as varchar) as date) as valid_to,
    cast(note as varchar) as note
from {{ ref('ref_party_status_history') }}

-- Question: How fresh is this warehouse, what went into it, and which files were turned away?
-- The run log as of the last publish (newest first) and every quarantined file with its reason,
-- both from schema ops.
select
    'run' as kind,
    run_id as item,
    status,
    started_at as happened_at,
    finished_at,
    documents_landed,
    articles,
    gate_summary as detail
from ops.run_log
union all
select
    'quarantined file',
    source_uri,
    stage,
    quarantined_at,
    null,
    null,
    null,
    reason
from ops.quarantine
order by kind desc, happened_at desc

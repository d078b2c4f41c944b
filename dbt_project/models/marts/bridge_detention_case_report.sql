-- Which detention reports (fct_detention rows) make up each detention case: every report is in
-- exactly one case (see int_detention_case_members for the merging rules).
select
    case_id,
    detention_id,
    article_id
from {{ ref('int_detention_case_members') }}

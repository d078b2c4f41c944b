-- Election mentions placed in their current article(s), keyed to one real election.
--
-- A dated mention's key is country + type + date + precision, so every article that
-- names the same election (to the same precision) shares one election_id. An undated
-- mention (no year in the text) cannot be merged safely across articles: its key also
-- holds the article_id and the day/month ('MM-DD') when the text gives one. So one
-- article's "the January 10 election" and another's dated 2021-01-10 election stay
-- apart: nothing in the text proves they are the same vote.
with elections as (

    select * from {{ ref('stg_elections') }}

),

articles as (

    select article_id, content_sha256 from {{ ref('stg_articles') }}

),

keyed as (

    select
        articles.article_id,
        elections.*,
        case
            when elections.election_date is not null then concat_ws(
                '|', elections.country_id, elections.election_type,
                strftime(elections.election_date, '%Y-%m-%d'), elections.election_date_precision
            )
            else concat_ws(
                '|', elections.country_id, elections.election_type, 'undated',
                articles.article_id, coalesce(elections.day_month, '')
            )
        end as election_key
    from elections
    inner join articles on elections.content_sha256 = articles.content_sha256

)

select
    md5(election_key) as election_id,
    election_key,
    article_id,
    content_sha256,
    election_no,
    country_id,
    election_type,
    election_date,
    case when election_date is null then 'unknown' else election_date_precision end
        as election_date_precision,
    day_month,
    is_snap,
    evidence_text,
    char_start,
    char_end
from keyed

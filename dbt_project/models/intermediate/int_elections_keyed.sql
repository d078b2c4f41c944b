-- Election mentions placed in their current article(s), keyed to one real election.
--
-- A dated mention's own key is country + type + date + precision, so every article that
-- names the same election (to the same precision) shares one election_id. A coarser mention
-- then joins the one finer election it can only mean: 'parliamentary elections in January
-- 2021' in one article and 'the January 10, 2021 parliamentary election' in another are one
-- election, provided (a) exactly one finer election of that country and type lies in the
-- month (or year) and (b) the coarser mention's own article does not itself name a finer
-- election in that period (the extractor already merged what it could within an article, so
-- a finer mention left apart there is another vote). Months resolve to days first, then years
-- to the resolved months/days.
--
-- An undated mention (no year in the text) cannot be merged safely across articles: its key
-- also holds the article_id and the day/month ('MM-DD') when the text gives one. So one
-- article's "the January 10 election" and another's dated 2021-01-10 election stay apart:
-- nothing in the text proves they are the same vote.
with elections as (

    select * from {{ ref('stg_elections') }}

),

articles as (

    select article_id, content_sha256 from {{ ref('stg_articles') }}

),

placed as (

    select
        articles.article_id,
        elections.*,
        case when elections.election_date is null then 'unknown' else elections.election_date_precision end
            as precision_known,
        case
            when elections.election_date is not null then concat_ws(
                '|', elections.country_id, elections.election_type,
                strftime(elections.election_date, '%Y-%m-%d'), elections.election_date_precision
            )
            else concat_ws(
                '|', elections.country_id, elections.election_type, 'undated',
                articles.article_id, coalesce(elections.day_month, '')
            )
        end as own_key
    from elections
    inner join articles on elections.content_sha256 = articles.content_sha256

),

dated as (

    select distinct article_id, country_id, election_type, election_date, precision_known, own_key
    from placed
    where precision_known in ('day', 'month', 'year')

),

-- a month mention -> the single day-precise election of its country and type in that month
month_to_day as (

    select
        m.own_key,
        m.article_id,
        min(d.own_key) as finer_key,
        count(distinct d.own_key) as finer_count,
        count(distinct d.own_key) filter (where d.article_id = m.article_id) as own_article_finer
    from dated as m
    inner join dated as d
        on m.country_id = d.country_id
        and m.election_type = d.election_type
        and d.precision_known = 'day'
        and date_trunc('month', d.election_date) = m.election_date
    where m.precision_known = 'month'
    group by m.own_key, m.article_id

),

month_resolved as (

    select
        dated.*,
        case
            when dated.precision_known = 'month' and month_to_day.finer_count = 1
                and month_to_day.own_article_finer = 0
                then month_to_day.finer_key
            else dated.own_key
        end as month_key
    from dated
    left join month_to_day
        on dated.own_key = month_to_day.own_key
        and dated.article_id = month_to_day.article_id

),

-- a year mention -> the single month- or day-precise election (after the step above) in that year
year_to_finer as (

    select
        y.own_key,
        y.article_id,
        min(f.month_key) as finer_key,
        count(distinct f.month_key) as finer_count,
        count(distinct f.month_key) filter (where f.article_id = y.article_id) as own_article_finer
    from month_resolved as y
    inner join month_resolved as f
        on y.country_id = f.country_id
        and y.election_type = f.election_type
        and f.precision_known in ('day', 'month')
        and year(f.election_date) = year(y.election_date)
    where y.precision_known = 'year'
    group by y.own_key, y.article_id

),

resolved as (

    select
        month_resolved.article_id,
        month_resolved.own_key,
        case
            when month_resolved.precision_known = 'year' and year_to_finer.finer_count = 1
                and year_to_finer.own_article_finer = 0
                then year_to_finer.finer_key
            else month_resolved.month_key
        end as election_key
    from month_resolved
    left join year_to_finer
        on month_resolved.own_key = year_to_finer.own_key
        and month_resolved.article_id = year_to_finer.article_id

),

keyed as (

    select
        placed.*,
        coalesce(resolved.election_key, placed.own_key) as election_key
    from placed
    left join resolved
        on placed.article_id = resolved.article_id
        and placed.own_key = resolved.own_key

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
    precision_known as election_date_precision,
    day_month,
    is_snap,
    evidence_text,
    char_start,
    char_end
from keyed

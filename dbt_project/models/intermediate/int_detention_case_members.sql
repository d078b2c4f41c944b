-- Every detention report (fct_detention row) assigned to one detention case: one real
-- detention episode of one person, or of one unnamed group at one place and time.
--
-- People (actor_id set), reports with a detention date, in date order per actor. A report
-- opens a new episode unless
--   * its date range overlaps or comes within 31 days of the episode's reports so far
--     (a month-precision '2022-02' and a day-precision '2022-02-25' are compatible), or
--   * it is a later stage of the open episode (sentenced, suspended, fined, released) within
--     two years, and the report before it was neither a release nor an administrative arrest
--     already served: a verdict follows its arrest into the arrest's case, an arrest months
--     after a release is a new case.
-- People, undated reports: they join the actor's only dated episode unless their outcome
-- contradicts it (days of administrative arrest against a criminal case, or the reverse). When
-- the dated reports already split the person into several episodes, or the outcome
-- contradicts, an undated report is a case of its own (per article). An actor with no dated
-- report at all has one undated case, split only by that same contradiction.
-- Unnamed groups merge only when country, location, a day-precision date and the count all
-- agree; otherwise every group report is its own case.
-- case_id = md5 of the case key, whose anchor is the case's first detention_id in date
-- order: the same reports give the same ids on every run and after a full rebuild.
with detentions as (

    select * from {{ ref('int_detentions_resolved') }}

),

articles as (

    select article_id, published_date from {{ ref('stg_articles') }}

),

reports as (

    select
        detentions.detention_id,
        detentions.article_id,
        detentions.actor_id,
        detentions.detainee_count,
        detentions.country_id,
        detentions.location,
        detentions.outcome,
        detentions.term_days,
        detentions.detained_date,
        detentions.detained_date_precision,
        articles.published_date,
        -- the kind of punishment a report speaks of: days of administrative arrest (an outcome
        -- still open with a term of at most 30 days is one too) or a criminal sentence
        case
            when detentions.outcome = 'administrative_arrest'
                or (detentions.outcome = 'unknown' and detentions.term_days <= 30) then 'administrative'
            when detentions.outcome in ('sentenced', 'suspended_sentence') then 'criminal'
        end as punishment,
        detentions.detained_date as range_start,
        case detentions.detained_date_precision
            when 'day' then detentions.detained_date
            when 'month' then last_day(detentions.detained_date)
            when 'year' then make_date(year(detentions.detained_date), 12, 31)
        end as range_end
    from detentions
    inner join articles on detentions.article_id = articles.article_id

),

person_dated as (

    select
        *,
        max(range_end) over preceding_reports as prev_end,
        lag(outcome) over ordered as prev_outcome,
        lag(term_days) over ordered as prev_term_days
    from reports
    where actor_id is not null and range_start is not null
    window
        ordered as (partition by actor_id order by range_start, range_end, detention_id),
        preceding_reports as (
            partition by actor_id order by range_start, range_end, detention_id
            rows between unbounded preceding and 1 preceding
        )

),

person_flagged as (

    select
        *,
        case
            when prev_end is null then 1
            when range_start <= prev_end + interval 31 day then 0
            when prev_outcome = 'released' then 1
            when prev_outcome = 'administrative_arrest' and prev_term_days is not null then 1
            when outcome in ('sentenced', 'suspended_sentence', 'fined', 'released')
                and range_start <= prev_end + interval 730 day then 0
            else 1
        end as opens_episode
    from person_dated

),

person_episodes as (

    select
        *,
        sum(opens_episode) over (
            partition by actor_id order by range_start, range_end, detention_id
        ) as episode_no
    from person_flagged

),

person_episode_keys as (

    select
        actor_id,
        episode_no,
        min(detention_id) filter (where opens_episode = 1) as anchor_detention_id,
        bool_or(punishment = 'administrative') as has_administrative,
        bool_or(punishment = 'criminal') as has_criminal
    from person_episodes
    group by actor_id, episode_no

),

person_episode_counts as (

    select actor_id, count(*) as episodes from person_episode_keys group by actor_id

),

person_undated as (

    select
        reports.*,
        case
            when counts.episodes = 1
                and not (reports.punishment = 'administrative' and only_episode.has_criminal)
                and not (
                    reports.punishment = 'criminal'
                    and only_episode.has_administrative
                    and not only_episode.has_criminal
                )
                then 'person|' || reports.actor_id || '|' || only_episode.anchor_detention_id
            when counts.episodes is null
                then 'person|' || reports.actor_id || '|undated|'
                    || case when reports.punishment = 'administrative' then 'administrative' else 'main' end
            else 'person|' || reports.actor_id || '|undated|' || reports.article_id
        end as case_key
    from reports
    left join person_episode_counts as counts on reports.actor_id = counts.actor_id
    left join person_episode_keys as only_episode
        on reports.actor_id = only_episode.actor_id and counts.episodes = 1
    where reports.actor_id is not null and reports.range_start is null

),

groups as (

    select
        *,
        case
            when detainee_count is not null and detained_date_precision = 'day' and country_id is not null
                then 'group|' || country_id || '|' || coalesce(lower(location), '') || '|'
                    || range_start || '|' || detainee_count
            else 'group|report|' || detention_id
        end as case_key
    from reports
    where actor_id is null

),

members as (

    select
        person_episodes.detention_id,
        'person|' || person_episodes.actor_id || '|' || keys.anchor_detention_id as case_key,
        'dated' as placement
    from person_episodes
    inner join person_episode_keys as keys
        on person_episodes.actor_id = keys.actor_id
        and person_episodes.episode_no = keys.episode_no

    union all

    select
        detention_id,
        case_key,
        case when case_key like '%|undated|%' then 'undated' else 'undated_joined' end as placement
    from person_undated

    union all

    select detention_id, case_key, 'group' as placement
    from groups

)

select
    {{ stable_id(['members.case_key']) }} as case_id,
    members.case_key,
    members.placement,
    reports.*
from members
inner join reports on members.detention_id = reports.detention_id

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
--     after a release is a new case; or
--   * it is the release from the open episode's prison sentence, within that term and two years.
-- People, undated reports: the candidate episodes are the person's dated episodes the report
-- does not contradict (days of administrative arrest against a criminal case or the reverse,
-- another prison term) and, when its article is dated, that were current when it appeared
-- (begun by then, and ended less than two years plus the longest term before; a report of a
-- prison term being served reaches back that term too, to an episode no release closed). The
-- report joins on positive evidence only: the one candidate with its prison term, the one with
-- a report on the same day and month (a date given without its year), the one whose reports name
-- the same family of charge (money laundering, mass riots, extremism, ...; when it and an open
-- arrest both decide, they must agree), the one candidate still
-- open when the report is a verdict or release that follows its arrest (an episode with no
-- release yet), or, in a dated
-- article, the one candidate current at publication. Reports left apart are a case per
-- article, except that those with the same day and month, those with the same kind and term,
-- and those of one kind of punishment in articles that appeared within 31 days of each other,
-- are one case each. An article's date is its publication date, else the dateline or page
-- date that extraction read. An actor with no
-- dated report at all has one undated case, split only by the administrative/criminal
-- contradiction.
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
        detentions.detained_day_month,
        -- the families of charge the report names (money laundering, mass riots, extremism, ...)
        {{ charge_families("lower(coalesce(detentions.charge, '') || ' ' || coalesce(detentions.evidence_text, ''))") }}
            as charge_families,
        -- the date the report speaks from: the article's publication date, else the dateline or
        -- page date extraction read
        coalesce(articles.published_date, detentions.reported_date) as published_date,
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
            -- freed a term after the verdict: the release closes the same episode
            when outcome = 'released' and prev_outcome = 'sentenced'
                and range_start <= prev_end + to_days(730 + coalesce(prev_term_days, 0)) then 0
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
        bool_or(punishment = 'criminal') as has_criminal,
        list(distinct term_days) filter (where punishment = 'criminal' and term_days is not null)
            as criminal_terms,
        min(range_start) as episode_start,
        max(range_end) as episode_end,
        max(term_days) as longest_term_days,
        list_distinct(flatten(list(charge_families))) as charge_families,
        list(distinct strftime(range_start, '%m-%d')) filter (where detained_date_precision = 'day')
            as day_months,
        -- still open: its last report is no release and no administrative arrest already served
        arg_max(outcome, range_start) not in ('released', 'administrative_arrest') as is_open
    from person_episodes
    group by actor_id, episode_no

),

person_undated_reports as (

    select * from reports where actor_id is not null and range_start is null

),

-- the episodes of the same person an undated report may belong to: those it does not contradict
-- (days of administrative arrest against a criminal case or the reverse, another prison term),
-- and, when its article is dated, that began by then
undated_candidates as (

    select
        undated.detention_id,
        keys.anchor_detention_id,
        coalesce(list_contains(keys.criminal_terms, undated.term_days), false) as same_term,
        coalesce(list_contains(keys.day_months, undated.detained_day_month), false) as same_day,
        len(list_intersect(keys.charge_families, undated.charge_families)) > 0 as same_charge,
        -- 'a sentence or a release follows its arrest into the arrest's case': a later stage of an
        -- episode still open
        keys.is_open and undated.outcome in ('sentenced', 'suspended_sentence', 'fined', 'released')
            as follows_arrest,
        undated.published_date
    from person_undated_reports as undated
    inner join person_episode_keys as keys on undated.actor_id = keys.actor_id
    where not coalesce(undated.punishment = 'administrative' and keys.has_criminal, false)
        and not coalesce(
            undated.punishment = 'criminal' and keys.has_administrative and not keys.has_criminal, false
        )
        and not coalesce(
            undated.punishment = 'criminal'
            and undated.term_days is not null
            and len(keys.criminal_terms) > 0
            and not list_contains(keys.criminal_terms, undated.term_days),
            false
        )
        -- a dated article speaks of an episode that was current when it appeared
        and (
            undated.published_date is null
            or (
                keys.episode_start <= undated.published_date
                -- a report of a prison term being served speaks of an episode up to that term old,
                -- one no release has closed
                and undated.published_date
                <= keys.episode_end + to_days(
                    730 + greatest(
                        coalesce(keys.longest_term_days, 0),
                        case when keys.is_open then coalesce(undated.term_days, 0) else 0 end
                    )
                )
            )
        )

),

-- Not contradicting is not enough: a report joins an episode on positive evidence, the same
-- prison term, the same day and month, being the later stage of the one episode of the person
-- still open (a verdict after an arrest),
-- or (in a dated article) being the one episode current when the article appeared.
-- Politicians are detained again and again; an undated report that only fails to contradict the
-- one dated episode is as likely to tell another.
undated_choice as (

    select
        detention_id,
        case
            when count(*) filter (where same_term) = 1
                then any_value(anchor_detention_id) filter (where same_term)
            when count(*) filter (where same_day) = 1
                then any_value(anchor_detention_id) filter (where same_day)
            -- the charge and the open arrest, when both decide, must agree
            when count(*) filter (where same_charge) = 1
                and count(*) filter (where follows_arrest and not same_charge) = 0
                then any_value(anchor_detention_id) filter (where same_charge)
            when count(*) filter (where follows_arrest) = 1
                and not (
                    count(*) filter (where same_charge) = 1
                    and count(*) filter (where same_charge and not follows_arrest) = 1
                )
                then any_value(anchor_detention_id) filter (where follows_arrest)
            when count(*) = 1 and any_value(published_date) is not null
                then any_value(anchor_detention_id)
        end as anchor_detention_id
    from undated_candidates
    group by detention_id

),

person_has_dated as (

    select distinct actor_id from person_episode_keys

),

-- undated reports left apart: those of one person and one kind of punishment in articles that
-- appeared within 31 days of each other are one episode, told by several outlets at the time
undated_apart as (

    select
        undated.*,
        case
            when undated.published_date is null then 1
            when undated.published_date <= lag(undated.published_date) over apart + interval 31 day then 0
            else 1
        end as opens_group
    from person_undated_reports as undated
    left join undated_choice as choice on undated.detention_id = choice.detention_id
    where choice.anchor_detention_id is null
    window apart as (
        partition by undated.actor_id, coalesce(undated.punishment, '')
        order by undated.published_date nulls last, undated.detention_id
    )

),

undated_groups as (

    select
        detention_id,
        first_value(article_id) over (
            partition by actor_id, coalesce(punishment, ''), group_no
            order by published_date nulls last, detention_id
        ) as group_article_id
    from (
        select
            *,
            sum(opens_group) over (
                partition by actor_id, coalesce(punishment, '')
                order by published_date nulls last, detention_id
            ) as group_no
        from undated_apart
    ) as numbered

),

person_undated as (

    select
        undated.*,
        case
            when choice.anchor_detention_id is not null
                then 'person|' || undated.actor_id || '|' || choice.anchor_detention_id
            when dated.actor_id is null
                then 'person|' || undated.actor_id || '|undated|'
                    || case when undated.punishment = 'administrative' then 'administrative' else 'main' end
            -- the same day and month, or the same prison term, told without a year, is one episode
            when undated.detained_day_month is not null
                then 'person|' || undated.actor_id || '|undated|day|' || undated.detained_day_month
            when undated.punishment is not null and undated.term_days is not null
                then 'person|' || undated.actor_id || '|undated|' || undated.punishment || '|'
                    || undated.term_days
            else 'person|' || undated.actor_id || '|undated|' || grouped.group_article_id
        end as case_key
    from person_undated_reports as undated
    left join undated_choice as choice on undated.detention_id = choice.detention_id
    left join person_has_dated as dated on undated.actor_id = dated.actor_id
    left join undated_groups as grouped on undated.detention_id = grouped.detention_id

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

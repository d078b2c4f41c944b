-- One row per real detention episode of one person, or of one unnamed group at one place and
-- time, across articles and sources, with what happened next. Count people with this table;
-- count reports with fct_detention. Merging rules: int_detention_case_members.
with members as (

    select * from {{ ref('int_detention_case_members') }}

),

articles as (

    select
        article_id,
        coalesce(source_name, regexp_extract(url, '^[a-z]+://([^/]+)', 1), source_uri) as source
    from {{ ref('stg_articles') }}

),

detentions as (

    select detention_id, charge from {{ ref('int_detentions_resolved') }}

),

reports as (

    select
        members.*,
        articles.source,
        detentions.charge,
        case members.outcome
            when 'released' then 6
            when 'suspended_sentence' then 5
            when 'sentenced' then 5
            when 'fined' then 4
            when 'administrative_arrest' then 3
            else 1
        end as outcome_stage,
        -- when the report says the outcome happened: the arrest at its date, a later stage at
        -- the report's own date (the verdict or the release is news when it is reported)
        case
            when members.outcome = 'unknown' or members.published_date is null then members.detained_date
            else members.published_date
        end as outcome_date,
        case
            when members.outcome = 'unknown' or members.published_date is null
                then members.detained_date_precision
            else 'day'
        end as outcome_date_precision
    from members
    inner join articles on members.article_id = articles.article_id
    inner join detentions on members.detention_id = detentions.detention_id

),

latest as (

    select
        case_id,
        detention_id as latest_outcome_detention_id,
        outcome as latest_outcome,
        term_days,
        charge
    from reports
    qualify row_number() over (
        partition by case_id
        order by (outcome <> 'unknown') desc, outcome_date desc nulls last, outcome_stage desc, detention_id
    ) = 1

),

firsts as (

    select
        case_id,
        detained_date as first_date,
        detained_date_precision as first_date_precision
    from reports
    qualify row_number() over (
        partition by case_id order by detained_date nulls last, detention_id
    ) = 1

),

stages as (

    select
        case_id,
        outcome,
        min(outcome_date) as outcome_date,
        arg_min(outcome_date_precision, outcome_date) as outcome_date_precision,
        max(outcome_stage) as outcome_stage
    from reports
    group by case_id, outcome

),

history as (

    select
        case_id,
        list(
            struct_pack(outcome := outcome, date := outcome_date, date_precision := coalesce(outcome_date_precision, 'unknown'))
            order by outcome_stage, outcome_date nulls last
        ) as outcome_history
    from stages
    group by case_id

),

cases as (

    select
        case_id,
        any_value(actor_id) as actor_id,
        max(detainee_count) as detainee_count,
        -- the most reported; a tie goes to the earliest report (mode alone picks one at random,
        -- and a rebuild must give the same row)
        mode(country_id order by published_date nulls last, detention_id) as country_id,
        mode(location order by published_date nulls last, detention_id) as location,
        count(*) as report_count,
        count(distinct article_id) as article_count,
        count(distinct source) as source_count,
        min(published_date) as first_reported_date,
        max(published_date) as last_reported_date
    from reports
    group by case_id

)

select
    cases.case_id,
    cases.actor_id,
    cast(case when cases.actor_id is null then cases.detainee_count end as integer) as detainee_count,
    case
        when cases.actor_id is not null then null
        when cases.detainee_count is not null
            then cases.detainee_count || ' people' || coalesce(' in ' || cases.location, '')
        else 'an unnamed group' || coalesce(' in ' || cases.location, '')
    end as detainee_description,
    cases.country_id,
    cases.location,
    firsts.first_date,
    case when firsts.first_date is null then 'unknown' else firsts.first_date_precision end
        as first_date_precision,
    latest.latest_outcome,
    cast(latest.term_days as integer) as term_days,
    latest.charge,
    latest.latest_outcome_detention_id,
    history.outcome_history,
    cases.report_count,
    cases.article_count,
    cases.source_count,
    cases.first_reported_date,
    cases.last_reported_date
from cases
inner join latest on cases.case_id = latest.case_id
inner join firsts on cases.case_id = firsts.case_id
inner join history on cases.case_id = history.case_id

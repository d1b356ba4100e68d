-- Every scoring rule that fired for every person, with its points after decay and caps: the
-- full explanation of a score. Rules are rows of the scoring_rules seed: fit rules read the
-- profile, engagement rules count touchpoints. A rule applies to all people, or only to B2B or
-- B2C ones. A touchpoint's points halve every `half_life_days` (as of the day of the run), and
-- a rule never gives more than `max_points`, up or down. Points are decimals with one digit, so
-- a person's sums are exact and the same on every run, whatever the order they are added in.
-- Incremental: a run on the same day as the last one scores only the people profiled again;
-- the first run of a day scores everyone, as every engagement point has decayed.

{{ config(
    materialized="incremental",
    unique_key="lead_id",
    pre_hook="{{ delete_rescored() }}",
    post_hook="{{ delete_missing('lead_id', 'select lead_id from ' ~ ref('int_leads_profiled')) }}",
) }}

{%- set rescored = rescored_leads() %}

with

profiles as (
    select * from {{ ref('int_leads_profiled') }}
    {%- if rescored %}
        where lead_id in ({{ rescored }})
    {%- endif %}
),

rules as (
    select * from {{ ref('scoring_rules') }}
),

as_of as (
    select cast('{{ scoring_day() }}' as date) as day
),

profile_facts as (
    select
        lead_id,
        customer_type,
        (email is not null and not is_free_mail and not is_disposable)::integer
            as business_email,
        (email is not null and is_free_mail)::integer as free_mail,
        is_role_address::integer as role_address,
        is_disposable::integer as disposable_email,
        is_competitor::integer as competitor,
        (seniority in ('executive', 'vice_president', 'director'))::integer as senior_title,
        (seniority = 'manager')::integer as manager_title,
        is_student_or_job_seeker::integer as student_or_job_seeker,
        (company is not null)::integer as company_given,
        (phone_e164 is not null)::integer as valid_phone,
        (
            first_name is not null
            and last_name is not null
            and email is not null
            and phone_e164 is not null
        )::integer as complete_profile,
        (platform_count > 1)::integer as multi_channel,
        is_hand_raiser::integer as hand_raiser,
        has_unsubscribed::integer as unsubscribed
    from profiles
),

profile_fired as (
    select
        lead_id,
        customer_type,
        rule_id,
        times,
        null::timestamptz as fired_at
    from (
        unpivot profile_facts
        on columns(* exclude (lead_id, customer_type))
        into name rule_id value times
    )
    where times > 0
),

touchpoint_fired as (
    select
        touchpoints.lead_id,
        profiles.customer_type,
        touchpoints.touchpoint_type as rule_id,
        1 as times,
        touchpoints.captured_at as fired_at
    from {{ ref('fct_touchpoints') }} as touchpoints
    inner join profiles on touchpoints.lead_id = profiles.lead_id
),

fired as (
    select * from profile_fired
    union all
    select * from touchpoint_fired
),

weighted as (
    select
        fired.lead_id,
        fired.rule_id,
        fired.times,
        fired.fired_at,
        fired.times * rules.points * case
            when rules.half_life_days is null or fired.fired_at is null then 1.0
            else pow(
                0.5,
                greatest(date_diff('day', fired.fired_at::date, as_of.day), 0)
                / rules.half_life_days
            )
        end as decayed_points
    from fired
    inner join rules
        on
            fired.rule_id = rules.rule_id
            and rules.applies_to in ('all', fired.customer_type)
    cross join as_of
)

select
    weighted.lead_id,
    weighted.rule_id,
    rules.rule_group,
    rules.label,
    sum(weighted.times)::integer as occurrences,
    max(weighted.fired_at) as last_fired_at,
    cast(
        round(
            sign(sum(weighted.decayed_points))
            * least(
                abs(sum(weighted.decayed_points)),
                coalesce(rules.max_points, abs(sum(weighted.decayed_points)))
            ),
            1
        ) as decimal(9, 1)
    ) as points,
    any_value(as_of.day) as scored_on,
    {{ batch_at() }} as batch_at
from weighted
inner join rules on weighted.rule_id = rules.rule_id
cross join as_of
group by weighted.lead_id, weighted.rule_id, rules.rule_group, rules.label, rules.max_points

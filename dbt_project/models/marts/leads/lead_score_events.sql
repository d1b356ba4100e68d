-- Every scoring rule that fired for every person, with its points: the full explanation.
-- Points per rule come from the scoring_rules seed; thresholds and caps from dbt vars.

with

profiles as (
    select * from {{ ref('int_leads_profiled') }}
),

rules as (
    select * from {{ ref('scoring_rules') }}
),

senior_pattern as (
    select
        '(^|[^a-z])(ceo|cto|cfo|coo|cmo|chief|founder|fondat|pr[ée]sident|directeur|directrice'
        || '|director|head of|vp|vice[- ]president|dg)([^a-z]|$)' as pattern
),

fired as (
    select lead_id, 'business_email' as rule_id, 1 as occurrences
    from profiles where email is not null and not is_free_mail and not is_disposable
    union all
    select lead_id, 'free_mail', 1 from profiles where is_free_mail
    union all
    select lead_id, 'disposable_email', 1 from profiles where is_disposable
    union all
    select lead_id, 'senior_title', 1
    from profiles, senior_pattern
    where regexp_matches(lower(job_title), senior_pattern.pattern)
    union all
    select lead_id, 'manager_title', 1
    from profiles, senior_pattern
    where
        regexp_matches(lower(job_title), '(manager|responsable|chef de|lead)')
        and not regexp_matches(lower(job_title), senior_pattern.pattern)
    union all
    select lead_id, 'student_or_job_seeker', 1
    from profiles
    where regexp_matches(lower(job_title), '(student|[ée]tudiant|stagiaire|intern|job seeker)')
    union all
    select lead_id, 'company_given', 1 from profiles where company is not null
    union all
    select lead_id, 'valid_phone', 1 from profiles where phone_e164 is not null
    union all
    select lead_id, 'form_fill', form_fills from profiles where form_fills > 0
    union all
    select lead_id, 'ad_lead_form', ad_lead_forms from profiles where ad_lead_forms > 0
    union all
    select lead_id, 'multi_channel', 1 from profiles where platform_count > 1
    union all
    select lead_id, 'hand_raiser', 1 from profiles where is_hand_raiser
)

select
    fired.lead_id,
    fired.rule_id,
    rules.rule_group,
    rules.label,
    fired.occurrences,
    rules.points * fired.occurrences as points
from fired
inner join rules on fired.rule_id = rules.rule_id

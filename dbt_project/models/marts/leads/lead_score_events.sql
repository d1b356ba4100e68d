-- Every scoring rule that fired for every person, with its points: the full explanation.
-- One column per rule counts how often it fired; points per rule come from the scoring_rules
-- seed, thresholds and caps from dbt vars. A new rule is a column here and a row in the seed.

with

profiles as (
    select * from {{ ref('int_leads_profiled') }}
),

rules as (
    select * from {{ ref('scoring_rules') }}
),

titles as (
    select
        lead_id,
        regexp_matches(
            lower(coalesce(job_title, '')),
            '(^|[^a-z])(ceo|cto|cfo|coo|cmo|chief|founder|fondat|pr[ée]sident|directeur'
            || '|directrice|director|head of|vp|vice[- ]president|dg)([^a-z]|$)'
        ) as is_senior,
        regexp_matches(
            lower(coalesce(job_title, '')), '(manager|responsable|chef de|lead)'
        ) as is_manager,
        regexp_matches(
            lower(coalesce(job_title, '')), '(student|[ée]tudiant|stagiaire|intern|job seeker)'
        ) as is_student
    from profiles
),

occurrences as (
    select
        profiles.lead_id,
        (
            profiles.email is not null
            and not profiles.is_free_mail
            and not profiles.is_disposable
        )::integer as business_email,
        coalesce(profiles.is_free_mail, false)::integer as free_mail,
        coalesce(profiles.is_disposable, false)::integer as disposable_email,
        titles.is_senior::integer as senior_title,
        (titles.is_manager and not titles.is_senior)::integer as manager_title,
        titles.is_student::integer as student_or_job_seeker,
        (profiles.company is not null)::integer as company_given,
        (profiles.phone_e164 is not null)::integer as valid_phone,
        profiles.form_fills as form_fill,
        profiles.ad_lead_forms as ad_lead_form,
        profiles.webinar_registrations as webinar_registration,
        profiles.webinar_attendances as webinar_attendance,
        profiles.chatbot_conversations as chatbot_conversation,
        (profiles.platform_count > 1)::integer as multi_channel,
        profiles.is_hand_raiser::integer as hand_raiser
    from profiles
    inner join titles on profiles.lead_id = titles.lead_id
),

fired as (
    unpivot occurrences
    on columns(* exclude (lead_id))
    into name rule_id value times
)

select
    fired.lead_id,
    fired.rule_id,
    rules.rule_group,
    rules.label,
    fired.times as occurrences,
    rules.points * fired.times as points
from fired
inner join rules on fired.rule_id = rules.rule_id
where fired.times > 0

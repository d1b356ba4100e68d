-- One row per person: best profile values, origin, consent state, score, grade, tier, reasons.
-- Scores are points, not permission: `is_marketable_for_<purpose>` says whether the person may
-- be contacted for that purpose (current consent granted), whatever the tier.
-- Incremental, as lead_score_events: everyone on a day's first run, else the people profiled
-- again.

{{ config(
    materialized="incremental",
    unique_key="lead_id",
    post_hook="{{ delete_missing('lead_id', 'select lead_id from ' ~ ref('int_leads_profiled')) }}",
) }}

{%- set rescored = rescored_leads() %}

with

profiles as (
    select * exclude (batch_at) from {{ ref('int_leads_profiled') }}
    {%- if rescored %}
        where lead_id in ({{ rescored }})
    {%- endif %}
),

events as (
    select * from {{ ref('lead_score_events') }}
    {%- if rescored %}
        where lead_id in ({{ rescored }})
    {%- endif %}
),

scores as (
    select
        lead_id,
        least(
            coalesce(sum(points) filter (where rule_group = 'fit'), 0),
            {{ var('scoring_fit_cap') }}
        ) as fit_score,
        least(
            coalesce(sum(points) filter (where rule_group = 'engagement'), 0),
            {{ var('scoring_engagement_cap') }}
        ) as engagement_score,
        string_agg(
            label || ' (' || case when points > 0 then '+' else '' end || points || ')',
            '; ' order by abs(points) desc, rule_id
        ) as all_reasons,
        list(label order by abs(points) desc, rule_id)[1:3] as top_reason_labels
    from events
    group by lead_id
),

scored as (
    select
        profiles.*,
        scores.all_reasons as score_explanation,
        coalesce(scores.fit_score, 0) as fit_score,
        coalesce(scores.engagement_score, 0) as engagement_score,
        coalesce(scores.fit_score, 0) + coalesce(scores.engagement_score, 0) as total_score,
        array_to_string(scores.top_reason_labels, '; ') as score_reasons
    from profiles
    left join scores on profiles.lead_id = scores.lead_id
)

select
    *,
    case
        when fit_score >= {{ var('scoring_grade_a') }} then 'A'
        when fit_score >= {{ var('scoring_grade_b') }} then 'B'
        when fit_score >= {{ var('scoring_grade_c') }} then 'C'
        else 'D'
    end as grade,
    case
        when is_hand_raiser or total_score >= {{ var('scoring_hot_threshold') }} then 'hot'
        when total_score >= {{ var('scoring_warm_threshold') }} then 'warm'
        else 'cold'
    end as tier,
    {%- for purpose in var('consent_purposes') %}
        consent_{{ purpose }} = 'granted' as is_marketable_for_{{ purpose }},
    {%- endfor %}
    '{{ var("scoring_model_version") }}' as score_model_version,
    cast('{{ run_started_at.isoformat() }}' as timestamp) as scored_at,
    cast('{{ scoring_day() }}' as date) as scored_on,
    {{ batch_at() }} as batch_at
from scored

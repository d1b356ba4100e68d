-- Lead KPIs per day, channel, platform and campaign. A person counts as new where and when
-- their first touchpoint was captured; tiers are those of the people first seen there.

with

touchpoints as (
    select
        *,
        {{ dbt.date_trunc('day', 'captured_at') }} as captured_on,
        coalesce(campaign_id, '(none)') as campaign
    from {{ ref('fct_touchpoints') }}
),

first_touch as (
    select
        lead_id,
        source_record_key
    from touchpoints
    qualify row_number() over (
        partition by lead_id order by captured_at, source_record_key
    ) = 1
),

leads as (
    select * from {{ ref('dim_leads') }}
)

select
    touchpoints.captured_on,
    touchpoints.channel,
    touchpoints.platform,
    touchpoints.campaign,
    count(*) as new_leads,
    count(*) filter (where touchpoints.direction = 'inbound') as inbound_leads,
    count(*) filter (where touchpoints.direction = 'outbound') as outbound_leads,
    count(first_touch.lead_id) as new_persons,
    count(*) filter (where leads.tier = 'hot') as new_hot_persons,
    count(*) filter (where leads.tier = 'warm') as new_warm_persons,
    count(*) filter (where leads.tier = 'cold') as new_cold_persons,
    count(*) filter (where touchpoints.is_hand_raiser) as hand_raisers
from touchpoints
left join first_touch on touchpoints.source_record_key = first_touch.source_record_key
left join leads on first_touch.lead_id = leads.lead_id
group by all

-- Lead KPIs per day, channel, platform and campaign. A person counts as new where and when
-- their first touchpoint was captured; tiers are those of the people first seen there. Ad
-- spend joins on day, platform and campaign: days with spend and no lead still show. CRM
-- outcomes of the new persons give conversion and speed to lead (capture to first sales
-- activity).

with

touchpoints as (
    select
        *,
        (captured_at at time zone 'UTC')::date as captured_on,
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
),

spend as (
    select * from {{ ref('fct_ad_spend') }}
),

outcomes as (
    select * from {{ ref('fct_lead_outcomes') }}
),

channels as (
    select
        source_key as platform,
        channel
    from {{ ref('lead_sources') }}
),

lead_counts as (
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
        count(*) filter (where touchpoints.is_hand_raiser) as hand_raisers,
        count(first_touch.lead_id) filter (where outcomes.is_converted) as converted_persons,
        count(outcomes.first_sales_activity_at) as contacted_persons,
        median(
            date_diff('minute', touchpoints.captured_at, outcomes.first_sales_activity_at)
        ) as median_minutes_to_first_sales_activity,
        count(*) filter (
            where outcomes.first_sales_activity_at
            <= touchpoints.captured_at + interval 1 hour
        ) as contacted_within_1h
    from touchpoints
    left join first_touch on touchpoints.source_record_key = first_touch.source_record_key
    left join leads on first_touch.lead_id = leads.lead_id
    left join outcomes on first_touch.lead_id = outcomes.lead_id
    group by all
)

select
    coalesce(lead_counts.captured_on, spend.spent_on) as captured_on,
    coalesce(lead_counts.channel, channels.channel) as channel,
    coalesce(lead_counts.platform, spend.platform) as platform,
    coalesce(lead_counts.campaign, spend.campaign_id) as campaign,
    coalesce(lead_counts.new_leads, 0) as new_leads,
    coalesce(lead_counts.inbound_leads, 0) as inbound_leads,
    coalesce(lead_counts.outbound_leads, 0) as outbound_leads,
    coalesce(lead_counts.new_persons, 0) as new_persons,
    coalesce(lead_counts.new_hot_persons, 0) as new_hot_persons,
    coalesce(lead_counts.new_warm_persons, 0) as new_warm_persons,
    coalesce(lead_counts.new_cold_persons, 0) as new_cold_persons,
    coalesce(lead_counts.hand_raisers, 0) as hand_raisers,
    coalesce(lead_counts.converted_persons, 0) as converted_persons,
    round(lead_counts.converted_persons / nullif(lead_counts.new_persons, 0), 3)
        as conversion_rate,
    lead_counts.median_minutes_to_first_sales_activity,
    round(lead_counts.contacted_within_1h / nullif(lead_counts.contacted_persons, 0), 3)
        as share_contacted_within_1h,
    spend.spend,
    spend.currency,
    round(spend.spend / nullif(lead_counts.new_leads, 0), 2) as cost_per_lead
from lead_counts
full outer join spend
    on
        lead_counts.captured_on = spend.spent_on
        and lead_counts.platform = spend.platform
        and lead_counts.campaign = spend.campaign_id
left join channels on spend.platform = channels.platform

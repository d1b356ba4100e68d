-- Ad spend per day, lead platform and campaign, from every ads platform, in its currency.

with

spend as (
    select * from {{ ref('stg_ad_spend__meta_insights') }}
    union all
    select * from {{ ref('stg_ad_spend__google_ads_costs') }}
    union all
    select * from {{ ref('stg_ad_spend__linkedin_ad_analytics') }}
)

select
    spent_on,
    platform,
    campaign_id,
    any_value(campaign_name) as campaign_name,
    any_value(currency) as currency,
    sum(spend) as spend,
    sum(impressions) as impressions,
    sum(clicks) as clicks
from spend
group by spent_on, platform, campaign_id

with

source as (
    select * from {{ source('ad_spend', 'meta_ad_insights') }}
)

select
    _source || ':' || _record_id as spend_key,
    'meta_lead_ads' as platform,
    payload ->> 'account_id' as account_id,
    payload ->> 'campaign_id' as campaign_id,
    payload ->> 'campaign_name' as campaign_name,
    (payload ->> 'date_start')::date as spent_on,
    (payload ->> 'spend')::decimal(18, 2) as spend,
    payload ->> 'account_currency' as currency,
    (payload ->> 'impressions')::bigint as impressions,
    (payload ->> 'clicks')::bigint as clicks,
    _extracted_at as extracted_at
from source

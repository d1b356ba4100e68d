with

source as (
    select * from {{ source('ad_spend', 'google_ads_campaign_costs') }}
)

select
    _source || ':' || _record_id as spend_key,
    'google_ads' as platform,
    split_part(_source, '/', 2) as account_id,
    payload -> 'campaign' ->> 'id' as campaign_id,
    payload -> 'campaign' ->> 'name' as campaign_name,
    (payload -> 'segments' ->> 'date')::date as spent_on,
    ((payload -> 'metrics' ->> 'costMicros')::hugeint / 1000000)::decimal(18, 2) as spend,
    payload -> 'customer' ->> 'currencyCode' as currency,
    null::bigint as impressions,
    null::bigint as clicks,
    _extracted_at as extracted_at
from source

with

source as (
    select * from {{ source('ad_spend', 'linkedin_ad_analytics') }}
),

accounts as (
    select
        _record_id as account_id,
        payload ->> 'currency' as currency
    from {{ source('ad_spend', 'linkedin_ad_accounts') }}
)

select
    source._source || ':' || source._record_id as spend_key,
    'linkedin_lead_sync' as platform,
    split_part(source._source, '/', 2) as account_id,
    source.payload -> 'pivotValues' ->> 0 as campaign_id,
    source.payload -> 'pivotValues' ->> 0 as campaign_name,
    make_date(
        (source.payload -> 'dateRange' -> 'start' ->> 'year')::integer,
        (source.payload -> 'dateRange' -> 'start' ->> 'month')::integer,
        (source.payload -> 'dateRange' -> 'start' ->> 'day')::integer
    ) as spent_on,
    (source.payload ->> 'costInLocalCurrency')::decimal(18, 2) as spend,
    accounts.currency,
    (source.payload ->> 'impressions')::bigint as impressions,
    (source.payload ->> 'clicks')::bigint as clicks,
    source._extracted_at as extracted_at
from source
left join accounts on split_part(source._source, '/', 2) = accounts.account_id

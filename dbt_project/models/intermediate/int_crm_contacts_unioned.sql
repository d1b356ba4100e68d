{{ config(
    materialized="view",
    tags=["pre_enrichment"],
) }}

-- Every CRM record in one shape, with the opt-outs the CRM holds: HubSpot's "unsubscribed from
-- all email", Salesforce's Email Opt Out and Do Not Call. Enrichment reads the opted-out emails
-- and phones; int_consent_events turns each opt-out into a denial of that identifier.

with

hubspot as (
    select
        'hubspot_crm:' || hubspot_contact_id as source_record_key,
        'hubspot_crm' as platform,
        lead_id,
        email_raw,
        null::varchar as phone_raw,
        null::varchar as country_raw,
        email_opted_out,
        false as do_not_call,
        crm_modified_at,
        extracted_at
    from {{ ref('stg_hubspot_crm__contacts') }}
),

salesforce as (
    select
        'salesforce_crm:' || salesforce_lead_id as source_record_key,
        'salesforce_crm' as platform,
        lead_id,
        email_raw,
        phone_raw,
        country_raw,
        email_opted_out,
        do_not_call,
        crm_modified_at,
        extracted_at
    from {{ ref('stg_salesforce_crm__leads') }}
),

unioned as (
    select * from hubspot
    union all
    select * from salesforce
)

select
    *,
    coalesce(country_raw, '{{ var("default_phone_region") }}') as phone_region
from unioned

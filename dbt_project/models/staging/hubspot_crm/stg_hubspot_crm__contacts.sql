with

source as (
    select * from {{ source('hubspot_crm', 'hubspot_contacts') }}
),

parsed as (
    select
        _record_id,
        _extracted_at,
        from_json(
            payload,
            '{"properties": {"email": "VARCHAR", "leadpipe_lead_id": "VARCHAR", "lifecyclestage": "VARCHAR",
              "hs_sa_first_engagement_date": "VARCHAR", "recent_deal_close_date": "VARCHAR",
              "recent_deal_amount": "VARCHAR", "createdate": "VARCHAR",
              "lastmodifieddate": "VARCHAR", "hs_email_optout": "VARCHAR"}}'
        ).properties as contact
    from source
)

select
    _record_id as hubspot_contact_id,
    {{ nullif_blank('contact.leadpipe_lead_id') }} as lead_id,
    {{ nullif_blank('contact.email') }} as email_raw,
    coalesce(lower(contact.hs_email_optout) = 'true', false) as email_opted_out,
    {{ nullif_blank('contact.lifecyclestage') }} as lifecycle_stage,
    try_cast(contact.createdate as timestamptz) as crm_created_at,
    try_cast(contact.hs_sa_first_engagement_date as timestamptz) as first_sales_activity_at,
    try_cast(contact.recent_deal_close_date as timestamptz) as won_at,
    try_cast(contact.recent_deal_amount as decimal(18, 2)) as won_amount,
    try_cast(contact.lastmodifieddate as timestamptz) as crm_modified_at,
    _extracted_at as extracted_at
from parsed

with

parsed as (
    select
        _record_id,
        _extracted_at,
        from_json(
            payload,
            '{"Email": "VARCHAR", "Phone": "VARCHAR", "Country": "VARCHAR",
              "Leadpipe_Lead_Id__c": "VARCHAR", "Status": "VARCHAR", "IsConverted": "BOOLEAN",
              "CreatedDate": "VARCHAR", "LastModifiedDate": "VARCHAR",
              "HasOptedOutOfEmail": "BOOLEAN", "DoNotCall": "BOOLEAN",
              "ConvertedOpportunity": {"IsWon": "BOOLEAN", "Amount": "DOUBLE",
                                       "CloseDate": "VARCHAR"},
              "Tasks": {"records": [{"CreatedDate": "VARCHAR"}]}}'
        ) as lead
    from {{ source('salesforce_crm', 'salesforce_leads') }}
)

select
    _record_id as salesforce_lead_id,
    {{ nullif_blank('lead.leadpipe_lead_id__c') }} as lead_id,
    {{ nullif_blank('lead.email') }} as email_raw,
    {{ nullif_blank('lead.phone') }} as phone_raw,
    {{ nullif_blank('lead.country') }} as country_raw,
    coalesce(lead.hasoptedoutofemail, false) as email_opted_out,
    coalesce(lead.donotcall, false) as do_not_call,
    {{ nullif_blank('lead.status') }} as lifecycle_stage,
    try_cast(lead.createddate as timestamptz) as crm_created_at,
    try_cast(lead.tasks.records[1].createddate as timestamptz) as first_sales_activity_at,
    coalesce(lead.isconverted, false) or coalesce(lead.convertedopportunity.iswon, false)
        as is_converted,
    case
        when lead.convertedopportunity.iswon
            then try_cast(lead.convertedopportunity.closedate as timestamptz)
    end as won_at,
    case
        when lead.convertedopportunity.iswon
            then lead.convertedopportunity.amount::decimal(18, 2)
    end as won_amount,
    try_cast(lead.lastmodifieddate as timestamptz) as crm_modified_at,
    _extracted_at as extracted_at
from parsed

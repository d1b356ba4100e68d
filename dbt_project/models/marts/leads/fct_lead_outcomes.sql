-- What sales did with each lead leadpipe sent, in every CRM it reached: first sales activity,
-- latest stage, converted, won deal.

with

crm_records as (
    select
        lead_id,
        'hubspot' as crm,
        lifecycle_stage,
        first_sales_activity_at,
        lifecycle_stage in ('opportunity', 'customer') or won_at is not null as is_converted,
        won_at,
        won_amount,
        crm_modified_at
    from {{ ref('stg_hubspot_crm__contacts') }}
    union all
    select
        lead_id,
        'salesforce' as crm,
        lifecycle_stage,
        first_sales_activity_at,
        is_converted,
        won_at,
        won_amount,
        crm_modified_at
    from {{ ref('stg_salesforce_crm__leads') }}
)

select
    lead_id,
    min(first_sales_activity_at) as first_sales_activity_at,
    arg_max(lifecycle_stage, crm_modified_at) as lifecycle_stage,
    arg_max(crm, crm_modified_at) as last_updated_in,
    bool_or(is_converted) as is_converted,
    min(won_at) as won_at,
    sum(won_amount) as won_amount
from crm_records
where lead_id is not null
group by lead_id

-- What sales did with each lead leadpipe sent: first sales activity, stage, won deal.

with

contacts as (
    select * from {{ ref('stg_hubspot_crm__contacts') }}
    where lead_id is not null
)

select
    lead_id,
    min(first_sales_activity_at) as first_sales_activity_at,
    arg_max(lifecycle_stage, crm_modified_at) as lifecycle_stage,
    bool_or(lifecycle_stage in ('opportunity', 'customer') or won_at is not null)
        as is_converted,
    min(won_at) as won_at,
    sum(won_amount) as won_amount
from contacts
group by lead_id

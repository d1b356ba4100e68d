-- Records refused by a record-level rule, with the reason and the raw record as delivered.
-- Fix the cause upstream (or accept the source in seeds/lead_sources.csv) and they flow again.

with

refused as (
    select
        source_record_key,
        platform,
        source,
        record_id,
        captured_at,
        quarantine_reason
    from {{ ref('int_contacts_enriched') }}
    where quarantine_reason is not null
),

raw_records as (
    select
        _source,
        _record_id,
        payload,
        _extracted_at
    from {{ source('meta_lead_ads', 'meta_lead_ads_leads') }}
    union all
    select
        _source,
        _record_id,
        payload,
        _extracted_at
    from {{ source('typeform', 'typeform_responses') }}
)

select
    refused.*,
    raw_records.payload as raw_record,
    raw_records._extracted_at as extracted_at
from refused
inner join raw_records
    on refused.source = raw_records._source and refused.record_id = raw_records._record_id

-- Survivorship: for each person and attribute, the value that wins among their records, and
-- the record it came from. The most trusted source wins (lead_sources.trust), then the most
-- recent capture; for the message (a free-text answer), the most recent one. Emails and phones
-- compete only when valid. Paid providers' values (stg_enrichment__provider_values) rank below
-- every record (trust 0): they fill gaps, never overwrite what the person gave.
-- Incremental: only the people whose records were resolved again, or whose email a provider
-- answered for, since the last build.

{{ config(
    unique_key="lead_id",
    post_hook="{{ delete_missing('lead_id', 'select lead_id from ' ~ ref('int_leads_resolved')) }}",
) }}

{%- if is_incremental() %}{% set since = last_built() %}{% endif %}

with

resolved as (
    select * from {{ ref('int_leads_resolved') }}
    {%- if is_incremental() %}
        where lead_id in (
            select lead_id from {{ ref('int_leads_resolved') }} where batch_at > {{ since }}
            union
            select answered.lead_id
            from {{ ref('int_leads_resolved') }} as answered
            inner join {{ ref('int_contacts_enriched') }} as contacts
                on answered.source_record_key = contacts.source_record_key
            where contacts.email_match_key in (
                select email_match_key from {{ ref('stg_enrichment__provider_values') }}
                where fetched_at > {{ since }}
            )
        )
    {%- endif %}
),

contacts as (
    select
        contacts.*,
        resolved.lead_id
    from {{ ref('int_contacts_enriched') }} as contacts
    inner join resolved on contacts.source_record_key = resolved.source_record_key
),

provided as (
    select distinct
        contacts.lead_id,
        provider_values.source_record_key,
        provider_values.provider as platform,
        0 as source_trust,
        provider_values.fetched_at as captured_at,
        null as email,
        null as phone_e164,
        null as first_name,
        null as last_name,
        provider_values.company,
        provider_values.job_title,
        provider_values.country_code,
        null as message
    from contacts
    inner join {{ ref('stg_enrichment__provider_values') }} as provider_values
        on contacts.email_match_key = provider_values.email_match_key
    where contacts.email_is_valid
),

candidates as (
    unpivot (
        select
            lead_id,
            source_record_key,
            platform,
            source_trust,
            captured_at,
            case when email_is_valid then email end as email,
            case when phone_is_valid then phone_e164 end as phone_e164,
            first_name,
            last_name,
            company,
            job_title,
            country_code,
            message
        from contacts
        union all
        select * from provided
    )
    on email, phone_e164, first_name, last_name, company, job_title, country_code, message
    into name attribute value value
)

select
    lead_id,
    attribute,
    value,
    source_record_key,
    platform,
    source_trust,
    captured_at,
    {{ batch_at() }} as batch_at
from candidates
qualify row_number() over (
    partition by lead_id, attribute
    order by
        if(attribute = 'message', 0, source_trust) desc, captured_at desc, source_record_key desc
) = 1

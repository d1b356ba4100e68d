-- Survivorship: for each person and attribute, the value that wins among their records, and
-- the record it came from. The most trusted source wins (lead_sources.trust), then the most
-- recent capture. Emails and phones compete only when valid.

with

contacts as (
    select
        contacts.*,
        resolved.lead_id
    from {{ ref('int_contacts_enriched') }} as contacts
    inner join {{ ref('int_leads_resolved') }} as resolved
        on contacts.source_record_key = resolved.source_record_key
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
            country_code
        from contacts
    )
    on email, phone_e164, first_name, last_name, company, job_title, country_code
    into name attribute value value
)

select
    lead_id,
    attribute,
    value,
    source_record_key,
    platform,
    source_trust,
    captured_at
from candidates
qualify row_number() over (
    partition by lead_id, attribute
    order by source_trust desc, captured_at desc, source_record_key desc
) = 1

-- Every unified contact with what enrichment knows of its values (email, phone, country, job
-- title), its channel and trust from lead_sources, and the reason it is refused, if it is.
-- Incremental: only the contacts unified since the last build.
-- Built after erasures are processed: depends_on: {{ source('privacy', 'erasure_log') }}

{{ config(
    unique_key="source_record_key",
) }}

with

contacts as (
    select * exclude (batch_at) from {{ ref('int_contacts_unioned') }}
    {%- if is_incremental() %}
        where batch_at > {{ last_built() }}
    {%- endif %}
),

emails as (
    select * from {{ ref('stg_enrichment__emails') }}
),

phones as (
    select * from {{ ref('stg_enrichment__phones') }}
),

countries as (
    select * from {{ ref('stg_enrichment__countries') }}
),

titles as (
    select * from {{ ref('stg_enrichment__job_titles') }}
),

sources as (
    select * from {{ ref('lead_sources') }}
),

joined as (
    select
        contacts.*,
        emails.email,
        coalesce(emails.email_is_valid, false) as email_is_valid,
        emails.email_invalid_reason,
        emails.email_match_key,
        emails.email_domain,
        coalesce(emails.is_free_mail, false) as is_free_mail,
        coalesce(emails.is_disposable, false) as is_disposable,
        coalesce(emails.is_role_address, false) as is_role_address,
        emails.company_domain,
        phones.phone_e164,
        coalesce(phones.phone_is_valid, false) as phone_is_valid,
        phones.phone_line_type,
        coalesce(countries.country_code, phones.phone_country_code) as country_code,
        titles.seniority,
        titles.department,
        coalesce(titles.is_student_or_job_seeker, false) as is_student_or_job_seeker,
        sources.channel,
        coalesce(contacts.declared_direction, sources.direction) as direction,
        sources.trust as source_trust,
        {{ proper_case('contacts.first_name') }} as first_name_clean,
        {{ proper_case('contacts.last_name') }} as last_name_clean
    from contacts
    left join emails on contacts.email_raw = emails.email_raw
    left join phones
        on
            contacts.phone_raw = phones.phone_raw
            and contacts.phone_region = phones.default_region
    left join countries on contacts.country_raw = countries.country_raw
    left join titles on contacts.job_title = titles.job_title
    left join sources on contacts.source_key = sources.source_key
)

select
    * exclude (first_name, last_name, first_name_clean, last_name_clean, declared_direction),
    first_name_clean as first_name,
    last_name_clean as last_name,
    case
        when source_problem is not null then source_problem
        when is_test then 'platform_test_lead'
        when channel is null then 'unknown_source'
        when email_raw is null and phone_raw is null and link_key is null
            then 'no_email_and_no_phone'
        when not email_is_valid and not phone_is_valid and link_key is null
            then 'no_valid_email_or_phone'
    end as quarantine_reason,
    {{ batch_at() }} as batch_at
from joined

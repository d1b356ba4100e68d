-- Consent as events: one row per answered consent question, per identifier it was given with.
-- Consent attaches to the identifier: an email's consent does not cover calling the phone.
-- Incremental: only the records enriched since the last build.

{{ config(
    unique_key="source_record_key",
    post_hook="{{ delete_missing('source_record_key', 'select source_record_key from '
        ~ ref('int_contacts_enriched') ~ ' where quarantine_reason is null') }}",
) }}

with

contacts as (
    select * from {{ ref('int_contacts_enriched') }}
    {%- if is_incremental() %}
        where batch_at > {{ last_built() }}
    {%- endif %}
),

answers as (
    unpivot (
        select
            source_record_key,
            platform,
            form_id,
            campaign_id,
            captured_at,
            email_match_key,
            email_is_valid,
            phone_e164,
            phone_is_valid,
            consent_sales_contact as sales_contact,
            consent_email_marketing as email_marketing
        from contacts
        where quarantine_reason is null
    )
    on sales_contact, email_marketing
    into name purpose value granted
),

per_identifier as (
    select
        *,
        'email' as identifier_type,
        email_match_key as identifier,
        'email' as channel
    from answers
    where email_is_valid
    union all
    select
        *,
        'phone' as identifier_type,
        phone_e164 as identifier,
        'phone' as channel
    from answers
    where phone_is_valid and purpose = 'sales_contact'
)

select
    source_record_key,
    identifier_type,
    identifier,
    purpose,
    channel,
    'consent' as lawful_basis,
    platform as capture_platform,
    form_id as capture_form_id,
    campaign_id as capture_campaign_id,
    captured_at as event_at,
    md5(source_record_key || '|' || purpose || '|' || identifier_type) as consent_event_id,
    case when granted then 'granted' else 'denied' end as status,
    {{ batch_at() }} as batch_at
from per_identifier
